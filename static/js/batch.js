// Batch actions on list pages: a header checkbox with data-batch-toggle="ids" ticks every row checkbox named "ids".
document.addEventListener("change", (event) => {
  const toggle = event.target.closest("[data-batch-toggle]");
  if (!toggle) return;
  const name = toggle.dataset.batchToggle;
  document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => {
    box.checked = toggle.checked;
  });
});
