// "Add a row" for a Django formset: the page already offers some empty rows and works without scripts; with scripts,
// a button appends a copy of the formset's empty form (its <template>) and a newly added row can be removed again.
//
// Markup: an element with data-formset="<prefix>" holds the management form, the rows in [data-formset-rows], the
// empty form in <template data-formset-template> (its "__prefix__" becomes the row's index), the hidden
// [data-formset-controls] with the [data-formset-add] button and the [data-formset-limit] note, and the
// [data-formset-without-script] hint that scripts hide. A new row is marked data-formset-new and holds a
// [data-formset-remove] button; its fields marked data-formset-numbered end their aria-label with the row number.
// The server checks the counts again (masterplan/forms/rows.py): this only spares a save to get more rows.
(function () {
  "use strict";
  var NAMED = ["id", "name", "for", "aria-describedby", "aria-labelledby"];

  function count(box, prefix, name) {
    return box.querySelector("input[name='" + prefix + "-" + name + "']");
  }

  // Give a row and everything in it the index: ids stay unique and every label keeps pointing at its field.
  function number(row, prefix, index) {
    // "indicator-3-name" as a name, "id_indicator-3-name" or "div_id_indicator-3-name" as an id.
    var pattern = new RegExp("(^|_)" + prefix + "-(\\d+|__prefix__)-", "g");
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (element) {
      NAMED.forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) {
          element.setAttribute(attribute, value.replace(pattern, "$1" + prefix + "-" + index + "-"));
        }
      });
    });
    // A table row's fields are labelled "<column> <row number>" (formset_table.html).
    row.querySelectorAll("[data-formset-numbered]").forEach(function (field) {
      var label = field.getAttribute("aria-label");
      field.setAttribute("aria-label", label.replace(/(\d+|__number__)$/, String(index + 1)));
    });
  }

  function filled(row) {
    var fields = row.querySelectorAll("input:not([type=hidden]), textarea, select");
    return Array.prototype.some.call(fields, function (field) {
      if (field.tagName === "SELECT") {
        var first = field.querySelector("option[selected]") || field.options[0];
        return first ? field.value !== first.value : false;
      }
      return field.value.trim() !== "";
    });
  }

  function enhance(box) {
    var prefix = box.getAttribute("data-formset");
    var total = count(box, prefix, "TOTAL_FORMS");
    var maximum = parseInt((count(box, prefix, "MAX_NUM_FORMS") || {}).value, 10);
    var rows = box.querySelector("[data-formset-rows]");
    var template = box.querySelector("template[data-formset-template]");
    var controls = box.querySelector("[data-formset-controls]");
    var add = box.querySelector("[data-formset-add]");
    var limit = box.querySelector("[data-formset-limit]");
    if (!total || !rows || !template || !controls || !add) return;

    function refresh() {
      var full = !isNaN(maximum) && parseInt(total.value, 10) >= maximum;
      add.disabled = full;
      if (limit) limit.hidden = !full;
    }

    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (isNaN(index) || (!isNaN(maximum) && index >= maximum)) return;
      var copy = template.content.cloneNode(true);
      var row = copy.firstElementChild;
      number(row, prefix, index);
      rows.appendChild(copy);
      total.value = index + 1;
      refresh();
      row.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });

    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      var row = button && button.closest("[data-formset-new]");
      if (!row || (filled(row) && !window.confirm(button.getAttribute("data-formset-confirm")))) return;
      var firstNew = parseInt(total.value, 10) - rows.querySelectorAll("[data-formset-new]").length;
      row.remove();
      // The rows after it move up one index, so the server reads indices 0..TOTAL_FORMS-1 without a gap.
      rows.querySelectorAll("[data-formset-new]").forEach(function (other, position) {
        number(other, prefix, firstNew + position);
      });
      total.value = parseInt(total.value, 10) - 1;
      refresh();
      add.focus();
    });

    controls.hidden = false;
    box.querySelectorAll("[data-formset-without-script]").forEach(function (hint) { hint.hidden = true; });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(enhance);
  });
})();
