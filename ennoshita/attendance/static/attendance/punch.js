// 打刻: the clock on the page, and the position when the employee ticks the box (never otherwise).
(function () {
  "use strict";
  var clock = document.getElementById("punch-clock");
  if (clock) {
    var tick = function () {
      var now = new Date();
      clock.textContent = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
    };
    tick();
    setInterval(tick, 10000);
  }
  var form = document.getElementById("punch-form");
  var box = document.querySelector("[data-position]");
  if (!form || !box) return;
  form.addEventListener("submit", function (event) {
    if (!box.checked || !navigator.geolocation || form.dataset.located) return;
    event.preventDefault();
    var button = event.submitter;
    var send = function () {
      form.dataset.located = "1";
      if (button) {
        var kind = document.createElement("input");
        kind.type = "hidden"; kind.name = "kind"; kind.value = button.value;
        form.appendChild(kind);
      }
      form.submit();
    };
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
      send();
    }, send, { timeout: 8000, maximumAge: 60000 });
  });
})();
