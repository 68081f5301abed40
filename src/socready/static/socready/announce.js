// Screen readers hear what an htmx save did: the result of every htmx request that changes something is
// written into the page's polite live region (#announcer in base.html).
(function () {
  "use strict";
  function say(text) {
    var region = document.getElementById("announcer");
    if (!region) { return; }
    region.textContent = "";
    // A fresh text node after a tick, so the same message twice in a row is still announced.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    var verb = (detail.requestConfig && detail.requestConfig.verb || "get").toLowerCase();
    if (verb === "get") { return; }
    say(detail.successful ? "Saved." : "Not saved: " + ((detail.xhr && detail.xhr.status) ? "the server answered "
      + detail.xhr.status : "the server could not be reached") + ".");
  });
})();
