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
