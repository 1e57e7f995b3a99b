// Rectification pages. No inline scripts (CSP): behaviour is attached here by data attributes.
(function () {
  "use strict";

  // Task form: a 立行立改 (immediate) task must be done within the office's immediate_fix_days after
  // feedback. Cap the date picker accordingly so the user sees the limit before the server refuses.
  function wireTaskKind(select) {
    var form = select.form;
    var deadline = form && form.querySelector("input[name=deadline]");
    if (!deadline) { return; }
    var apply = function () {
      deadline.min = select.dataset.earliest || "";
      if (select.value === "immediate") {
        deadline.max = select.dataset.immediateLimit;
        if (deadline.value && deadline.value > deadline.max) { deadline.value = deadline.max; }
      } else {
        deadline.removeAttribute("max");
      }
    };
    select.addEventListener("change", apply);
    apply();
  }

  // Progress form: the number of rules established follows the names typed, one per line.
  function wireRuleNames(textarea) {
    var count = textarea.form && textarea.form.querySelector("input[name=rules_established_count]");
    if (!count) { return; }
    textarea.addEventListener("input", function () {
      var names = textarea.value.split("\n").filter(function (line) { return line.trim() !== ""; });
      count.value = names.length;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-immediate-limit]").forEach(wireTaskKind);
    document.querySelectorAll("textarea[name=rules_established_names]").forEach(wireRuleNames);
  });
})();
