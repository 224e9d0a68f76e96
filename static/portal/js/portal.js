// Small behaviours of the portal, loaded as a file: the Content Security Policy forbids inline scripts.
"use strict";

// Ask before an action that cannot be undone: <button data-confirm="Question?">.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// The menus are <details> and open without scripts; with scripts, a click elsewhere or Escape closes them.
function closeMenus(except) {
  document.querySelectorAll("details.portal-menu[open]").forEach(function (menu) {
    if (menu !== except) {
      menu.removeAttribute("open");
    }
  });
}
document.addEventListener("click", function (event) {
  closeMenus(event.target.closest("details.portal-menu"));
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    var open = document.querySelector("details.portal-menu[open]");
    closeMenus(null);
    if (open) {
      open.querySelector("summary").focus();
    }
  }
});

// The GOV.UK error-summary pattern: a page that comes back with errors puts the focus on their summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});

// A box that scrolls sideways takes the keyboard focus, so the arrow keys scroll it. Templates write
// tabindex="0" themselves; this covers one that forgot.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
    box.setAttribute("tabindex", "0");
  });
});
