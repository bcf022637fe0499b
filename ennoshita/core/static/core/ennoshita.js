// Small behaviours shared by every screen. No framework: htmx does the rest.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches && el.matches("[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  const el = event.target.closest && event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
});
// Tabs: <div data-tabs><button data-tab="x">…</button>…<section data-panel="x">…</section></div>
function activateTab(root, name) {
  root.querySelectorAll("[data-tab]").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
  root.querySelectorAll("[data-panel]").forEach((p) => { p.hidden = p.dataset.panel !== name; });
}
document.addEventListener("click", (event) => {
  const tab = event.target.closest && event.target.closest("[data-tab]");
  if (!tab) return;
  const root = tab.closest("[data-tabs]");
  activateTab(root, tab.dataset.tab);
  history.replaceState(null, "", "#" + tab.dataset.tab);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-tabs]").forEach((root) => {
    const wanted = location.hash.slice(1);
    const first = root.querySelector("[data-tab]");
    const chosen = wanted && root.querySelector(`[data-tab="${wanted}"]`) ? wanted : first && first.dataset.tab;
    if (chosen) activateTab(root, chosen);
  });
  setTimeout(() => document.querySelectorAll(".toast").forEach((t) => t.classList.add("fade")), 6000);
});
// 担当者・宛先 picker (core/member_picker.py): suggestions while typing; choosing one sets the hidden id.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("[data-member-text]")) return;
  const root = box.closest("[data-member-picker]");
  const hidden = root.querySelector("[data-member-id]");
  const list = root.querySelector("datalist");
  const chosen = Array.from(list.options).find((o) => o.value === box.value);
  hidden.value = chosen ? chosen.dataset.id : "";
  if (chosen) return;
  clearTimeout(box._memberTimer);
  box._memberTimer = setTimeout(async () => {
    const query = box.value.trim();
    if (!query) { list.replaceChildren(); return; }
    const response = await fetch(root.dataset.memberPicker + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } });
    if (!response.ok || box.value.trim() !== query) return;
    const { results } = await response.json();
    list.replaceChildren(...results.map((r) => { const o = document.createElement("option"); o.value = r.label; o.dataset.id = r.id; return o; }));
    const exact = results.find((r) => r.label === box.value);
    if (exact) hidden.value = exact.id;
  }, 200);
});
