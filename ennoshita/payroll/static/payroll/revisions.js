// 定時決定・随時改定: the 「全員」 box of a table ticks (or unticks) every row box of the same form.
document.addEventListener("change", (event) => {
  const all = event.target;
  if (!all.matches || !all.matches("[data-check-all]")) return;
  all.form.querySelectorAll("input[name='employee']:not(:disabled)").forEach((box) => {
    box.checked = all.checked;
  });
});
