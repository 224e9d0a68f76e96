// Small behaviours of the portal, loaded as a file: the Content Security Policy forbids inline scripts.
"use strict";

// Ask before an action that cannot be undone: <button data-confirm="Question?">.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
