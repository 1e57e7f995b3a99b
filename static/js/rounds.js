// Rounds pages: the team member form shows the candidates of the right pool for the chosen position
// (leaders and deputies from the leader pool 组长库, members from the talent pool 人才库).
(function () {
  "use strict";

  function filterCadres(form) {
    var position = form.querySelector("select[name=position]");
    var cadre = form.querySelector("select[name=cadre]");
    if (!position || !cadre) { return; }
    var pool = position.value === "member" ? "人才库" : "组长库";
    Array.prototype.forEach.call(cadre.options, function (option) {
      if (!option.value) { return; }
      var match = option.textContent.indexOf("（" + pool) !== -1;
      option.hidden = !match;
      if (!match && option.selected) { cadre.value = ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("add-member-form");
    if (!form) { return; }
    filterCadres(form);
    form.querySelector("select[name=position]").addEventListener("change", function () { filterCadres(form); });
  });
})();
