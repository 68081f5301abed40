// Questionnaire screens: the upload's file-count check and confirmations before destructive forms.
// Kept in a static file so pages need no inline script (the Content-Security-Policy forbids it).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.id === "questionnaire-upload") {
      var input = document.getElementById("qn-files");
      var tooMany = input.files.length > Number(form.dataset.maxFiles);
      document.getElementById("qn-too-many").hidden = !tooMany;
      if (tooMany) { event.preventDefault(); return; }
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
