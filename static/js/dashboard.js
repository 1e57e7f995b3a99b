// Dashboard filter: a round belongs to one plan, so choosing a plan clears a round of another plan; the form
// submits itself on change so the cards and charts follow the filter at once.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The roll-up's year choice applies at once too.
    var rollup = document.getElementById("rollup-filter");
    if (rollup) {
      rollup.addEventListener("change", function () { rollup.submit(); });
    }
    var form = document.getElementById("figure-filter");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target.name === "plan") {
        var round = form.querySelector("select[name=round]");
        if (round) { round.value = ""; }
      }
      form.submit();
    });
  });
})();
