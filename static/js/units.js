// Cadre form: the employer is either a registered unit or free text, never both (the service keeps one).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var employer = document.getElementById("id_employer");
    var employerName = document.getElementById("id_employer_name");
    if (!employer || !employerName) { return; }
    var sync = function () {
      var registered = employer.value !== "";
      employerName.disabled = registered;
      if (registered) { employerName.value = ""; }
    };
    employer.addEventListener("change", sync);
    sync();
  });
})();
