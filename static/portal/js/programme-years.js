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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-programme-years]").forEach(function (form) {
      ["start_year", "end_year"].forEach(function (name) {
        var select = form.querySelector("[name=" + name + "]");
        if (select) select.addEventListener("change", function () { update(form); });
      });
      update(form);
    });
  });
})();
