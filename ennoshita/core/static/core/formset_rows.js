// 「行を追加」 for a Django formset, without a framework (without JS the form still posts its rows).
// <template data-formset-template="P"> holds the formset's empty_form (prefix __prefix__, row
// number __number__); a [data-formset-add="P"] button appends a copy numbered by P-TOTAL_FORMS
// into [data-formset="P"], counts it, and dispatches "formset:added" on the new row so that the
// page's own script can wire it up. MAX_NUM_FORMS is respected.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    var prefix = button.getAttribute("data-formset-add");
    var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
    var holder = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = document.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    if (!template || !holder || !total) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) {
      button.disabled = true;
      return;
    }
    // rows of a table must be parsed inside a table body, or the parser drops the <tr>
    var box = document.createElement(holder.tagName === "TBODY" ? "tbody" : "div");
    box.innerHTML = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var row = box.firstElementChild;
    holder.appendChild(row);
    total.value = String(index + 1);
    row.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
})();
