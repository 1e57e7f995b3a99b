// Referral pages: show the source field that matches the chosen source; select all leads of a batch.
(function () {
  "use strict";

  function toggleSourceFields(form) {
    var source = form.querySelector("select[name=source]");
    if (!source) { return; }
    var apply = function () {
      ["finding", "petition"].forEach(function (name) {
        var field = form.querySelector("[name=" + name + "]");
        if (!field) { return; }
        var block = field.closest(".mb-3");
        if (block) { block.hidden = source.value !== name; }
      });
    };
    source.addEventListener("change", apply);
    apply();
  }

  function selectAllLeads(form) {
    var boxes = form.querySelectorAll("input[type=checkbox][name=leads]");
    if (boxes.length < 2) { return; }
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-sm btn-outline-secondary mb-2";
    toggle.textContent = "全选 / 全不选";
    toggle.addEventListener("click", function () {
      var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      boxes.forEach(function (b) { b.checked = !all; });
    });
    var first = boxes[0].closest(".mb-3");
    if (first) { first.insertBefore(toggle, first.firstChild.nextSibling); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var leadForm = document.getElementById("lead-form");
    if (leadForm) { toggleSourceFields(leadForm); }
    var batchForm = document.getElementById("batch-form");
    if (batchForm) { selectAllLeads(batchForm); }
  });
})();
