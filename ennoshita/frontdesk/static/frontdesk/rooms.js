// 会議室予約の日表示・週表示: drag over free slots of one column to choose a time range, then the
// booking form opens prefilled (?room=&start=&end=). A single click books one slot (the cell's
// link, which also works without JavaScript and from the keyboard).
(function () {
  "use strict";
  function init(table) {
    var bookUrl = table.getAttribute("data-book-url");
    var anchor = null;
    var selected = [];

    function cellsOfColumn(col) {
      return Array.prototype.slice.call(table.querySelectorAll('td.room-slot.free[data-col="' + col + '"]'));
    }
    function clear() {
      selected.forEach(function (c) { c.classList.remove("selecting"); });
      selected = [];
    }
    function mark(to) {
      clear();
      if (!anchor || to.getAttribute("data-col") !== anchor.getAttribute("data-col")) { return; }
      var cells = cellsOfColumn(anchor.getAttribute("data-col"));
      var a = cells.indexOf(anchor), b = cells.indexOf(to);
      var lo = Math.min(a, b), hi = Math.max(a, b);
      for (var i = lo; i <= hi; i++) {
        // stop at a booked slot: the range must be contiguous free time
        if (i > lo && cells[i].getAttribute("data-start") !== cells[i - 1].getAttribute("data-end")) { break; }
        cells[i].classList.add("selecting");
        selected.push(cells[i]);
      }
    }
    table.addEventListener("mousedown", function (ev) {
      var cell = ev.target.closest("td.room-slot.free");
      if (!cell || ev.button !== 0) { return; }
      ev.preventDefault();
      anchor = cell;
      mark(cell);
    });
    table.addEventListener("mouseover", function (ev) {
      if (!anchor) { return; }
      var cell = ev.target.closest("td.room-slot.free");
      if (cell) { mark(cell); }
    });
    document.addEventListener("mouseup", function () {
      if (!anchor) { return; }
      var range = selected.slice();
      anchor = null;
      if (!range.length) { clear(); return; }
      var first = range[0], last = range[range.length - 1];
      var url = bookUrl + "?room=" + encodeURIComponent(first.getAttribute("data-room")) +
        "&start=" + encodeURIComponent(first.getAttribute("data-start")) +
        "&end=" + encodeURIComponent(last.getAttribute("data-end"));
      window.location.href = url;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.room-grid"), init);
  });
})();
