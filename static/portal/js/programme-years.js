// The programme form: show the yearly target columns of the programme's years only, as its start and end change.
(function () {
  "use strict";
  function update(form) {
    var start = parseInt(form.querySelector("[name=start_year]").value, 10);
    var end = parseInt(form.querySelector("[name=end_year]").value, 10);
    form.querySelectorAll("[data-year]").forEach(function (cell) {
      var year = parseInt(cell.getAttribute("data-year"), 10);
      cell.hidden = !(isNaN(start) || isNaN(end) || (year >= start && year <= end));
    });
  }
  // A multi-select with data-searchable gets a search box that hides the options not matching what is typed;
  // without JavaScript the plain multi-select still works (Ctrl/Cmd-click).
  function searchable(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-search-placeholder") || "Cari…";
    box.setAttribute("aria-label", box.placeholder);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && option.text.toLowerCase().indexOf(needle) === -1 && !option.selected;
      });
    });
    select.parentNode.insertBefore(box, select);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-searchable]").forEach(searchable);
    document.querySelectorAll("form[data-programme-years]").forEach(function (form) {
      ["start_year", "end_year"].forEach(function (name) {
        var select = form.querySelector("[name=" + name + "]");
        if (select) select.addEventListener("change", function () { update(form); });
      });
      update(form);
    });
  });
  // A row added in the browser (formset-rows.js) is a copy of the empty form: show its years as the others show them.
  document.addEventListener("formset:added", function (event) {
    var form = event.target.closest("form[data-programme-years]");
    if (form) update(form);
  });
})();
