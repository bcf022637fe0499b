// 振替・入金・出金伝票: keyboard-first entry. No framework.
// Without JS the form is a table of rows that posts as it is; with it:
// - Enter moves to the next field (like Tab); a new row appears when the last one gets input;
// - the account cell suggests accounts (code, name, kana; hiragana and half-width kana too) from
//   the JSON endpoint; ↑↓ choose, Enter or Tab takes one and sets the line's default 税区分;
// - Ctrl+Enter posts, Ctrl+Shift+Enter posts and starts the next entry, Alt+D saves a draft;
// - the debit and credit totals, their difference and each line's tax are shown as one types.
//   The tax follows ledger.rules (rate × amount, or amount × rate / (100 + rate) when 税込, rounded
//   by the company's rule) in whole-yen BigInt arithmetic; the server recomputes it when posting.
(function () {
  "use strict";

  const form = document.getElementById("entry-form");
  if (!form) return;
  const kind = form.dataset.kind;
  const taxData = JSON.parse(document.getElementById("ledger-tax-data").textContent);
  const body = form.querySelector("[data-lines]");
  const template = document.getElementById("line-template");
  const totalForms = form.querySelector("[name=lines-TOTAL_FORMS]");
  const suggest = document.getElementById("account-suggest");
  const minRows = kind === "transfer" ? 2 : 1;

  // ---------------------------------------------------------------- rows
  const rows = () => Array.from(body.querySelectorAll("tr[data-line]"));
  const field = (row, name) => row.querySelector(`[data-field="${name}"]`);
  const amountInput = (row) => field(row, "debit") || field(row, "credit");

  function isBlank(row) {
    return ["account", "debit", "credit", "memo"].every((name) => {
      const el = field(row, name);
      return !el || !el.value.trim();
    });
  }

  function renumber() {
    rows().forEach((row, i) => {
      const cell = row.querySelector("[data-line-no]");
      if (cell) cell.textContent = String(i + 1);
    });
    totalForms.value = String(rows().length);
  }

  function addRow() {
    const index = rows().length;
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("tbody");
    holder.innerHTML = html;
    const row = holder.querySelector("tr[data-line]");
    body.appendChild(row);
    renumber();
    return row;
  }

  // Keep one empty row at the end (the server renders ten for use without JS).
  function trimRows() {
    let all = rows();
    while (all.length > minRows && isBlank(all[all.length - 1]) && isBlank(all[all.length - 2])) {
      const last = all[all.length - 1];
      const next = last.nextElementSibling;
      if (next && next.matches("[data-line-errors]")) next.remove();
      last.remove();
      all = rows();
    }
    renumber();
  }

  function ensureTrailingRow(row) {
    const all = rows();
    if (row === all[all.length - 1] && !isBlank(row)) addRow();
  }

  // ---------------------------------------------------------------- money (whole yen, BigInt)
  function parseYen(text) {
    const s = (text || "")
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[,，¥￥円\s]/g, "");
    return /^\d+$/.test(s) ? BigInt(s) : null;
  }

  function formatYen(value) {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + digits;
  }

  // "10.00" → 1000n (the rate in hundredths of a percent)
  function rateHundredths(text) {
    const [whole, frac = ""] = String(text).split(".");
    return BigInt(whole || "0") * 100n + BigInt((frac + "00").slice(0, 2));
  }

  function divide(num, den, rule) {
    const q = num / den;
    const r = num % den;
    if (r === 0n) return q;
    if (rule === "round_up") return q + 1n;
    if (rule === "half_up") return 2n * r >= den ? q + 1n : q;
    return q; // truncate (切り捨て)
  }

  function lineTaxCode(row) {
    const select = field(row, "tax_code");
    return (select && select.value) || row.dataset.defaultTax || "";
  }

  // {amount, tax, gross, side} of a row, or null when it has no amount.
  function lineFigures(row) {
    const debitEl = field(row, "debit");
    const creditEl = field(row, "credit");
    const debit = debitEl ? parseYen(debitEl.value) : null;
    const credit = creditEl ? parseYen(creditEl.value) : null;
    const amount = debit !== null && debit > 0n ? debit : credit;
    if (amount === null || amount <= 0n) return null;
    const side = debit !== null && debit > 0n ? "debit" : "credit";
    const info = taxData.codes[lineTaxCode(row)];
    if (!info || !info.taxable) return { amount, tax: null, gross: amount, side };
    const rate = rateHundredths(info.rate);
    const included = field(row, "tax_included").checked;
    const tax = included
      ? divide(amount * rate, 10000n + rate, taxData.rounding)
      : divide(amount * rate, 10000n, taxData.rounding);
    return { amount, tax, gross: included ? amount : amount + tax, side };
  }

  function recalc() {
    let debit = 0n;
    let credit = 0n;
    rows().forEach((row) => {
      const figures = lineFigures(row);
      const cell = row.querySelector("[data-tax]");
      cell.textContent = figures && figures.tax !== null ? formatYen(figures.tax) : "";
      if (!figures) return;
      if (figures.side === "debit") debit += figures.gross;
      else credit += figures.gross;
    });
    // 入金伝票 / 出金伝票: the 現金 line takes the other side for the total
    if (kind === "receipt") debit = credit;
    if (kind === "payment") credit = debit;
    const diff = debit - credit;
    form.querySelector("[data-total=debit]").textContent = formatYen(debit);
    form.querySelector("[data-total=credit]").textContent = formatYen(credit);
    const diffOut = form.querySelector("[data-total=diff]");
    diffOut.textContent = formatYen(diff);
    diffOut.classList.toggle("diff-bad", diff !== 0n);
    diffOut.classList.toggle("diff-ok", diff === 0n && debit > 0n);
  }

  // ---------------------------------------------------------------- account suggestions
  let active = -1;
  let results = [];
  let target = null;
  let timer = null;
  let request = 0;

  function closeSuggest() {
    suggest.hidden = true;
    suggest.innerHTML = "";
    results = [];
    active = -1;
    if (target) target.setAttribute("aria-expanded", "false");
  }

  function highlight(index) {
    active = index;
    Array.from(suggest.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
  }

  function showSuggest(input, items) {
    results = items;
    suggest.innerHTML = "";
    if (!items.length || document.activeElement !== input) return closeSuggest();
    items.forEach((item, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = `account-option-${i}`;
      li.dataset.index = String(i);
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = item.code;
      const name = document.createElement("span");
      name.textContent = item.name;
      const kana = document.createElement("span");
      kana.className = "muted small";
      kana.textContent = item.kana;
      li.append(code, name, kana);
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(input, item);
      });
      suggest.appendChild(li);
    });
    const box = input.getBoundingClientRect();
    const host = form.getBoundingClientRect();
    suggest.style.left = `${box.left - host.left}px`;
    suggest.style.top = `${box.bottom - host.top}px`;
    suggest.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  async function search(text) {
    const url = `${form.dataset.searchUrl}?q=${encodeURIComponent(text)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return [];
    return (await response.json()).results || [];
  }

  function lookup(input) {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) return closeSuggest();
    const mine = ++request;
    timer = setTimeout(async () => {
      const items = await search(text);
      if (mine === request) showSuggest(input, items);
    }, 80);
  }

  function filterSubAccounts(row, code) {
    const select = field(row, "sub_account");
    if (!select) return;
    Array.from(select.options).forEach((option) => {
      if (!option.value) return;
      option.hidden = taxData.subs[option.value] !== code;
    });
    if (select.value && taxData.subs[select.value] !== code) select.value = "";
  }

  function pick(input, item) {
    const row = input.closest("tr[data-line]");
    input.value = item.label;
    row.dataset.account = item.code;
    row.dataset.defaultTax = item.tax_code || "";
    const tax = field(row, "tax_code");
    if (tax) tax.value = item.tax_code || "";
    filterSubAccounts(row, item.code);
    closeSuggest();
    ensureTrailingRow(row);
    recalc();
  }

  // A code or name typed without choosing a suggestion: take it when exactly one account fits.
  async function settle(input) {
    const row = input.closest("tr[data-line]");
    const text = input.value.trim();
    if (!text || row.dataset.account === text.split(/\s+/)[0]) return;
    const items = await search(text);
    const exact = items.find((item) => item.code === text || item.name === text || item.label === text);
    const only = exact || (items.length === 1 ? items[0] : null);
    if (only && input.value.trim() === text) {
      input.value = only.label;
      row.dataset.account = only.code;
      row.dataset.defaultTax = only.tax_code || "";
      const tax = field(row, "tax_code");
      if (tax && !tax.value) tax.value = only.tax_code || "";
      filterSubAccounts(row, only.code);
      recalc();
    }
  }

  // ---------------------------------------------------------------- keyboard
  function fields() {
    return Array.from(form.querySelectorAll("input, select")).filter(
      (el) => el.type !== "hidden" && !el.disabled && el.offsetParent !== null
    );
  }

  function focusNext(el) {
    const all = fields();
    const next = all[all.indexOf(el) + 1];
    if (next) {
      next.focus();
      if (next.select && next.type === "text") next.select();
    }
  }

  function submitWith(action) {
    const button = form.querySelector(`[data-action="${action}"]`);
    if (button) form.requestSubmit(button);
  }

  form.addEventListener("keydown", (event) => {
    const el = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submitWith(event.shiftKey ? "post_next" : "post");
      return;
    }
    if (event.altKey && (event.code === "KeyD" || event.key === "d" || event.key === "D")) {
      event.preventDefault();
      submitWith("draft");
      return;
    }
    const inAccount = el.matches && el.matches("[data-field=account]");
    if (inAccount && !suggest.hidden && results.length) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + results.length) % results.length);
        el.setAttribute("aria-activedescendant", `account-option-${active}`);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        if (event.key === "Enter") event.preventDefault();
        pick(el, results[Math.max(active, 0)]);
        if (event.key === "Enter") focusNext(el);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        closeSuggest();
        return;
      }
    }
    if (event.key === "Enter" && !event.isComposing && el.matches && el.matches("input, select")) {
      event.preventDefault();
      const row = el.closest("tr[data-line]");
      if (row) ensureTrailingRow(row);
      focusNext(el);
    }
  });

  form.addEventListener("input", (event) => {
    const el = event.target;
    const row = el.closest && el.closest("tr[data-line]");
    if (!row) return;
    if (el.matches("[data-field=account]")) {
      delete row.dataset.account;
      target = el;
      lookup(el);
    }
    ensureTrailingRow(row);
    recalc();
  });

  form.addEventListener("change", (event) => {
    const el = event.target;
    if (!(el.closest && el.closest("tr[data-line]"))) return;
    if (el.matches("[data-field=debit], [data-field=credit]")) {
      const value = parseYen(el.value);
      if (value !== null) el.value = formatYen(value); // 10000 → 10,000 (the server takes both)
    }
    recalc();
  });

  form.addEventListener("focusout", (event) => {
    const el = event.target;
    if (el.matches && el.matches("[data-field=account]")) {
      setTimeout(() => {
        if (document.activeElement !== el) {
          if (target === el) closeSuggest();
          settle(el);
        }
      }, 150);
    }
  });

  // 入力済みの行の科目 (a re-rendered form or a draft): filter their sub-accounts.
  rows().forEach((row) => {
    const text = field(row, "account").value.trim();
    if (text) {
      const code = text.split(/\s+/)[0];
      row.dataset.account = code;
      filterSubAccounts(row, code);
    }
  });
  trimRows();
  recalc();
  const firstError = form.querySelector(".has-error input, .has-error select");
  const start = firstError || (rows().some((r) => !isBlank(r)) ? null : field(rows()[0], "account"));
  if (start) start.focus();
  else if (!form.querySelector("[name=date]").value) form.querySelector("[name=date]").focus();
})();
