// Finding form: the "我已确认不是重复问题" box is shown only while near duplicates are listed (htmx fills
// #duplicates from the server as the title and facts are typed).
(function () {
  "use strict";

  function confirmBox() {
    var input = document.querySelector("#finding-form input[name=confirm_not_duplicate]");
    return input ? input.closest(".mb-3") : null;
  }

  function sync() {
    var box = confirmBox();
    if (!box) { return; }
    var hasDuplicates = !!document.querySelector("#duplicates .duplicate-item");
    var input = box.querySelector("input");
    var hasError = !!box.querySelector(".invalid-feedback");
    box.classList.toggle("d-none", !hasDuplicates && !hasError && !input.checked);
    box.classList.toggle("border", hasDuplicates);
    box.classList.toggle("border-warning", hasDuplicates);
    box.classList.toggle("p-2", hasDuplicates);
  }

  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "duplicates") { sync(); }
  });
})();
