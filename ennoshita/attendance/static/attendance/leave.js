// 休暇申請: show the end date only for 全日 and the times only for 時間単位 (the server checks all).
(function () {
  "use strict";
  var form = document.getElementById("leave-form");
  if (!form) return;
  function sync() {
    var checked = form.querySelector('input[name="unit"]:checked');
    var unit = checked ? checked.value : "full";
    form.querySelectorAll("[data-unit-only]").forEach(function (el) {
      el.hidden = el.getAttribute("data-unit-only") !== unit;
    });
  }
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "unit") sync();
  });
  sync();
})();
