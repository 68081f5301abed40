// Small behaviours the pages ask for through data- attributes, so no template needs an inline script
// (the Content-Security-Policy allows scripts from our static files only).
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (filters, the organization switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    // <form data-confirm="question">: ask before a destructive action.
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // <form data-max-files="N">: refuse too many files before uploading them; the server checks again.
    var limit = form.getAttribute("data-max-files");
    if (limit) {
      var tooMany = false;
      form.querySelectorAll('input[type="file"]').forEach(function (input) {
        if (input.files && input.files.length > Number(limit)) { tooMany = true; }
      });
      var notice = form.querySelector("[data-too-many]");
      if (notice) { notice.hidden = !tooMany; }
      if (tooMany) { event.preventDefault(); }
    }
  });
}());
