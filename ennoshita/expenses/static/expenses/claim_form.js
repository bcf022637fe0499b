// 経費精算の明細: show the inputs a line's category asks for (attendees, route, 日当). No money
// arithmetic here: the per-person amount comes from the server (HTMX). Rows added with 「行を追加」
// (core/formset_rows.js) are wired up when they arrive.
(function () {
  function update(fieldset) {
    var select = fieldset.querySelector("select[data-category]");
    var option = select && select.options[select.selectedIndex];
    var kind = option ? option.getAttribute("data-kind") || "" : "";
    fieldset.querySelectorAll("[data-for-kind]").forEach(function (block) {
      var kinds = block.getAttribute("data-for-kind").split(" ");
      block.hidden = kinds.indexOf(kind) < 0 && !block.querySelector(".error");
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-category]")) {
      update(event.target.closest("fieldset.expense-line"));
    }
  });
  document.addEventListener("formset:added", function (event) {
    if (event.target.matches("fieldset.expense-line")) update(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.expense-line").forEach(update);
  });
})();
