// 経費精算の明細: show the inputs a line's category asks for (attendees, route, 日当). No money
// arithmetic here: the per-person amount comes from the server (HTMX).
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
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.expense-line").forEach(function (fieldset) {
      update(fieldset);
      var select = fieldset.querySelector("select[data-category]");
      if (select) select.addEventListener("change", function () { update(fieldset); });
    });
  });
})();
