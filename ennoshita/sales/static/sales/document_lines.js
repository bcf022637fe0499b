// The lines of a quote, order or invoice. No framework; without JS the form posts as it is.
// - 「行を追加」 adds a row (and a row appears when the last one gets input);
// - choosing a product fills the row's description, unit, unit price and 税区分 (when empty);
// - each line's amount (quantity × unit price, 切り捨て) and the totals per tax rate are shown as
//   one types, the tax rounded once per rate by the company's rule, in whole-number BigInt
//   arithmetic. These figures are a guide: the server computes what is stored.
(function () {
  "use strict";

  const form = document.getElementById("doc-form");
  const dataEl = document.getElementById("sales-lines-data");
  if (!form || !dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  const body = form.querySelector("[data-lines]");
  const template = document.getElementById("line-template");
  const totalForms = form.querySelector("[name=lines-TOTAL_FORMS]");

  const rows = () => Array.from(body.querySelectorAll("tr[data-line]"));
  const field = (row, name) => row.querySelector(`[data-field="${name}"]`);

  function renumber() {
    rows().forEach((row, i) => {
      const cell = row.querySelector("[data-line-no]");
      if (cell) cell.textContent = String(i + 1);
    });
    totalForms.value = String(rows().length);
  }

  function addRow() {
    const index = rows().length;
    const holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.querySelector("tr[data-line]");
    body.appendChild(row);
    renumber();
    return row;
  }

  function isBlank(row) {
    return ["product", "description", "quantity", "unit_price"].every((name) => {
      const el = field(row, name);
      return !el || !el.value.trim();
    });
  }

  // ------------------------------------------------------------------ numbers
  function normalize(text) {
    return (text || "")
      .replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[,，¥￥円\s]/g, "");
  }

  // "12.5" with 3 places → 12500n; null when not a number
  function scaled(text, places) {
    const s = normalize(text);
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m || (!m[2] && !m[3])) return null;
    const frac = (m[3] || "").padEnd(places, "0");
    if (frac.length > places) return null;
    const value = BigInt((m[2] || "0") + frac);
    return m[1] ? -value : value;
  }

  function formatYen(value) {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + digits;
  }

  function divide(num, den, rule) {
    // rules._divide: floor / ceil / half_up (half away from zero)
    const q = num / den;
    const r = num % den;
    if (r === 0n) return q;
    if (rule === "ceil") return num > 0n ? q + 1n : q;
    if (rule === "half_up") {
      const mag = (2n * (num < 0n ? -num : num) + den) / (2n * den);
      return num < 0n ? -mag : mag;
    }
    return num < 0n ? q - 1n : q; // floor
  }

  function lineAmount(row) {
    const qty = scaled(field(row, "quantity").value, 3);
    const price = scaled(field(row, "unit_price").value, 4);
    if (qty === null || price === null) return null;
    return (qty * price) / 10000000n; // truncated toward zero (切り捨て)
  }

  function pricesIncludeTax() {
    const el = form.querySelector("[name=prices_include_tax]");
    return el ? el.value === "1" : false;
  }

  function recalc() {
    const sums = new Map();
    rows().forEach((row) => {
      const amount = lineAmount(row);
      const cell = row.querySelector("[data-amount]");
      cell.textContent = amount === null ? "" : formatYen(amount);
      if (amount === null) return;
      const rate = data.rates[field(row, "tax").value] ?? 0;
      sums.set(rate, (sums.get(rate) || 0n) + amount);
    });
    const included = pricesIncludeTax();
    const tbody = form.querySelector("[data-rate-totals]");
    tbody.textContent = "";
    let total = 0n;
    Array.from(sums.keys())
      .sort((a, b) => b - a)
      .forEach((rate) => {
        const sum = sums.get(rate);
        const r = BigInt(rate);
        const tax = included ? divide(sum * r, 100n + r, data.rounding) : divide(sum * r, 100n, data.rounding);
        total += included ? sum : sum + tax;
        const tr = document.createElement("tr");
        tr.dataset.rate = String(rate);
        [`${rate}%${rate === 8 ? " ※" : ""}`, formatYen(sum), formatYen(tax)].forEach((text, i) => {
          const td = document.createElement("td");
          td.textContent = text;
          if (i > 0) td.className = "num";
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
    form.querySelector("[data-total]").textContent = sums.size ? formatYen(total) : "—";
  }

  function fillFromProduct(row) {
    const product = data.products[field(row, "product").value];
    if (!product) return;
    const set = (name, value, always) => {
      const el = field(row, name);
      if (el && (always || !el.value.trim())) el.value = value;
    };
    set("description", product.description, true);
    set("unit", product.unit, true);
    set("unit_price", product.unit_price, true);
    set("quantity", "1", false);
    const tax = field(row, "tax");
    if (tax) tax.value = product.tax;
  }

  form.addEventListener("change", (event) => {
    const row = event.target.closest && event.target.closest("tr[data-line]");
    if (row && event.target.matches("[data-field=product]")) fillFromProduct(row);
    recalc();
  });
  form.addEventListener("input", (event) => {
    const row = event.target.closest && event.target.closest("tr[data-line]");
    if (row) {
      const all = rows();
      if (row === all[all.length - 1] && !isBlank(row)) addRow();
    }
    recalc();
  });
  const addButton = form.querySelector("[data-add-line]");
  if (addButton) addButton.addEventListener("click", () => field(addRow(), "product").focus());
  recalc();
})();
