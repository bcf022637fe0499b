// シフト表: fill a department's month with the keyboard (arrows move, a pattern code or 休 sets,
// Delete clears), by dragging a cell's value across others (mouse), or from the palette (phones);
// copy last month's rotation or a weekly rotation; live warnings from the server; save whole.
// Every text it shows comes from the page, translated there (json_script "shift-texts").
(function () {
  "use strict";
  var dataEl = document.getElementById("shift-data");
  var textsEl = document.getElementById("shift-texts");
  var grid = document.getElementById("shift-grid");
  if (!dataEl || !textsEl || !grid) return;
  var data = JSON.parse(dataEl.textContent);
  var texts = JSON.parse(textsEl.textContent);
  var REST = data.rest; // the code of a rest day, as the server reads it
  var patterns = {};
  data.patterns.forEach(function (p) { patterns[p.code] = p; });
  var paletteCodes = data.patterns.map(function (p) { return p.code; });
  var rows = Array.prototype.slice.call(grid.querySelectorAll("tbody tr[data-employee]"));
  var matrix = rows.map(function (tr) { return Array.prototype.slice.call(tr.querySelectorAll("td.cell")); });
  if (!matrix.length) return;
  var toolbar = document.getElementById("shift-toolbar");
  var saveButton = document.getElementById("shift-save");
  var errorsBox = document.getElementById("shift-errors");
  var input = document.getElementById("shift-cell-input");
  var csrf = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  var dirty = false;
  var active = null; // [row, col]
  var pending = null; // timer of a code still being typed
  toolbar.hidden = false;
  input.hidden = false;

  // a text of the page with its %(name)s placeholders filled
  function t(key, values) {
    return (texts[key] || key).replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function minutesOf(p) {
    var s = p.start.split(":"), e = p.end.split(":");
    var a = +s[0] * 60 + +s[1], b = +e[0] * 60 + +e[1];
    return (b > a ? b - a : b + 1440 - a) - (p.break || 0);
  }

  function paint(td, code) {
    td.dataset.code = code;
    td.textContent = code;
    var p = patterns[code];
    td.style.background = p ? p.color + "40" : (code === REST ? "#e4e7eb" : "");
  }

  function known(code) { return code === "" || code === REST || Object.prototype.hasOwnProperty.call(patterns, code); }

  function setCell(r, c, code) {
    var td = matrix[r] && matrix[r][c];
    if (!td || (td.classList.contains("out") && code) || td.dataset.code === code) return;
    paint(td, code);
    td.classList.remove("error");
    markDirty();
  }

  function markDirty() {
    dirty = true;
    saveButton.disabled = false;
    updateTotals();
    scheduleCheck();
  }

  function select(r, c) {
    r = Math.max(0, Math.min(matrix.length - 1, r));
    c = Math.max(0, Math.min(matrix[r].length - 1, c));
    if (active) matrix[active[0]][active[1]].classList.remove("active");
    active = [r, c];
    var td = matrix[r][c];
    td.classList.add("active");
    td.scrollIntoView({ block: "nearest", inline: "nearest" });
    var rect = td.getBoundingClientRect();
    input.style.position = "fixed";
    input.style.left = rect.left + "px";
    input.style.top = rect.top + "px";
    input.focus({ preventScroll: true });
  }

  function move(dr, dc) { if (active) select(active[0] + dr, active[1] + dc); }

  function flash(message) {
    errorsBox.hidden = false;
    errorsBox.textContent = message;
  }

  function commit(final) {
    clearTimeout(pending);
    var v = input.value.normalize("NFKC").trim();
    if (!v || !active) { input.value = ""; return; }
    var match = known(v) ? v : null;
    if (!match) {
      var upper = v.toUpperCase();
      paletteCodes.forEach(function (code) { if (code.toUpperCase() === upper) match = code; });
    }
    if (!match && /^[1-9]$/.test(v) && paletteCodes[+v - 1] && !paletteCodes.some(function (c) { return c.indexOf(v) === 0; })) {
      match = paletteCodes[+v - 1];
    }
    var longer = paletteCodes.some(function (c) { return c.length > v.length && c.indexOf(v) === 0; });
    if (match && (final || !longer)) {
      input.value = "";
      setCell(active[0], active[1], match);
      move(0, 1);
      return;
    }
    if (longer && !final) { pending = setTimeout(function () { commit(true); }, 900); return; }
    input.value = "";
    flash(t("unknown_code", { code: v }));
  }

  input.addEventListener("keydown", function (e) {
    if (e.isComposing || e.keyCode === 229 || !active) return;
    var empty = input.value === "";
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key] && empty) { e.preventDefault(); move(moves[e.key][0], moves[e.key][1]); return; }
    if (e.key === "Enter") { e.preventDefault(); if (empty) move(1, 0); else commit(true); return; }
    if (e.key === "Tab") { e.preventDefault(); if (!empty) commit(true); else move(0, e.shiftKey ? -1 : 1); return; }
    if ((e.key === "Delete" || e.key === "Backspace") && empty) { e.preventDefault(); setCell(active[0], active[1], ""); return; }
    if (e.key === "Escape") { input.value = ""; }
  });
  input.addEventListener("input", function (e) { if (!e.isComposing) commit(false); });
  input.addEventListener("compositionend", function () { setTimeout(function () { commit(false); }, 0); });

  // drag: the first cell's value is copied to every cell the pointer passes over (mouse and pen;
  // on a touch screen a tap selects and the palette sets)
  var drag = null;
  function position(td) {
    var tr = td.parentNode;
    return [rows.indexOf(tr), matrix[rows.indexOf(tr)].indexOf(td)];
  }
  grid.addEventListener("pointerdown", function (e) {
    var td = e.target.closest("td.cell");
    if (!td) return;
    var at = position(td);
    select(at[0], at[1]);
    if (e.pointerType === "touch") return;
    e.preventDefault();
    drag = { code: td.dataset.code, from: td };
    input.focus({ preventScroll: true });
  });
  document.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var el = document.elementFromPoint(e.clientX, e.clientY);
    var td = el && el.closest && el.closest("#shift-grid td.cell");
    if (!td || td === drag.from) return;
    var at = position(td);
    td.classList.add("dragging");
    setTimeout(function () { td.classList.remove("dragging"); }, 150);
    setCell(at[0], at[1], drag.code);
  });
  document.addEventListener("pointerup", function () { if (drag) { drag = null; input.focus({ preventScroll: true }); } });

  document.getElementById("shift-palette").addEventListener("click", function (e) {
    var b = e.target.closest("[data-code]");
    if (!b || !active) return;
    setCell(active[0], active[1], b.dataset.code);
    move(0, 1);
  });

  function cells() {
    var out = {};
    rows.forEach(function (tr, r) {
      var row = {};
      matrix[r].forEach(function (td) { if (td.dataset.code) row[td.dataset.day] = td.dataset.code; });
      out[tr.dataset.employee] = row;
    });
    return out;
  }

  function updateTotals() {
    rows.forEach(function (tr, r) {
      var minutes = 0, rest = 0;
      matrix[r].forEach(function (td) {
        var p = patterns[td.dataset.code];
        if (p) minutes += minutesOf(p);
        else if (!td.classList.contains("out")) rest += 1;
      });
      tr.querySelector("[data-hours]").textContent = Math.floor(minutes / 60) + ":" + String(minutes % 60).padStart(2, "0");
      tr.querySelector("[data-rest]").textContent = rest;
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, message: t("bad_response", { status: r.status }) }; });
    });
  }

  var checkTimer = null;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 600);
  }
  function showWarnings(warnings) {
    var list = document.getElementById("shift-warnings");
    list.textContent = "";
    var n = 0;
    rows.forEach(function (tr) {
      var found = warnings[tr.dataset.employee] || [];
      tr.classList.toggle("warned", found.length > 0);
      var name = tr.querySelector("th.who").firstChild.textContent.trim();
      found.forEach(function (w) {
        var li = document.createElement("li");
        li.dataset.employee = tr.dataset.employee;
        li.dataset.code = w.code;
        li.textContent = name + ": " + w.message;
        list.appendChild(li);
        n += 1;
      });
    });
    document.getElementById("warning-count").textContent = n;
  }
  function check() {
    post(data.urls.check, { department: data.department, month: data.month, cells: cells() }).then(function (res) {
      if (res.ok) showWarnings(res.warnings);
    });
  }

  saveButton.addEventListener("click", function () {
    saveButton.disabled = true;
    errorsBox.hidden = true;
    post(data.urls.save, { department: data.department, month: data.month, revision: data.revision, cells: cells() }).then(function (res) {
      if (res.ok) {
        dirty = false;
        window.location.reload();
        return;
      }
      saveButton.disabled = false;
      var lines = [res.message || t("not_saved")];
      Object.keys(res.errors || {}).forEach(function (key) {
        var parts = key.split(".");
        if (parts[0] === "cells" && parts.length === 3) {
          var tr = grid.querySelector('tr[data-employee="' + parts[1] + '"]');
          var td = tr && tr.querySelector('td[data-day="' + parts[2] + '"]');
          if (td) td.classList.add("error");
        }
        (res.errors[key] || []).forEach(function (m) { if (lines.indexOf(m) < 0) lines.push(m); });
      });
      errorsBox.hidden = false;
      errorsBox.textContent = "";
      lines.forEach(function (m) { var p = document.createElement("div"); p.textContent = m; errorsBox.appendChild(p); });
    });
  });

  function utc(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  var DAY = 86400000;

  document.getElementById("copy-last-month").addEventListener("click", function () {
    if (!window.confirm(t("confirm_copy"))) return;
    var first = utc(data.days[0]);
    var prev = iso(first - DAY).slice(0, 7);
    fetch(data.urls.data + "?department=" + data.department + "&month=" + prev, { credentials: "same-origin" })
      .then(function (r) { return r.json().catch(function () { return { ok: false, message: t("bad_response", { status: r.status }) }; }); })
      .then(function (res) {
        if (!res.ok) { flash(res.message || t("last_month_unreadable")); return; }
        rows.forEach(function (tr, r) {
          var before = res.cells[tr.dataset.employee];
          if (!before) return;
          var made = {};
          data.days.forEach(function (day, c) {
            var src = iso(utc(day) - 28 * DAY);
            var code = src < data.days[0] ? (before[src] || "") : (made[src] || "");
            made[day] = code;
            if (known(code)) setCell(r, c, code);
          });
        });
      });
  });

  function rotation() {
    var codes = [];
    var bad = null;
    document.querySelectorAll("[data-rotation]").forEach(function (el) {
      var v = el.value.normalize("NFKC").trim();
      if (!known(v)) bad = v;
      codes[+el.dataset.rotation] = v;
    });
    if (bad !== null) { flash(t("unknown_code", { code: bad })); return null; }
    return codes;
  }
  function applyRotation(r, codes, offset) {
    data.days.forEach(function (day, c) {
      var weekday = (new Date(utc(day)).getUTCDay() + 6) % 7; // Monday = 0
      setCell(r, c, codes[(weekday + offset) % 7]);
    });
  }
  document.getElementById("rotation-row").addEventListener("click", function () {
    var codes = rotation();
    if (!codes) return;
    if (!active) { flash(t("choose_row")); return; }
    applyRotation(active[0], codes, 0);
  });
  document.getElementById("rotation-all").addEventListener("click", function () {
    var codes = rotation();
    if (!codes) return;
    rows.forEach(function (_tr, r) { applyRotation(r, codes, r % 7); });
  });

  document.getElementById("publish-form").addEventListener("submit", function (e) {
    if (dirty) { e.preventDefault(); e.stopImmediatePropagation(); flash(t("unsaved_changes")); }
  }, true);
  window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });

  data.patterns.forEach(function (p) { p.break = p.break || 0; });
  matrix.forEach(function (tds) { tds.forEach(function (td) { paint(td, td.dataset.code); }); });
})();
