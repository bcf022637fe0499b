// 給与の設定: show the 健康保険組合 fields only while 健康保険組合 is chosen (the server checks all).
(function () {
  "use strict";
  var form = document.getElementById("settings-form");
  if (!form) return;
  var select = form.querySelector('select[name="health_insurer"]');
  if (!select) return;
  function sync() {
    form.querySelectorAll("[data-insurer-only]").forEach(function (el) {
      el.hidden = el.getAttribute("data-insurer-only") !== select.value;
    });
  }
  select.addEventListener("change", sync);
  sync();
})();
