// protokoll serve: reloads the page when the site has been rebuilt. Injected only by the preview
// server, never part of a built site. The server answers the long poll when the build
// generation differs from the one this page was served with, or after 25 s with the same one.
(function () {
  "use strict";
  var me = document.currentScript;
  var seen = me ? me.getAttribute("data-generation") : "";
  // After a failed rebuild the error panel is at the top of the page; the browser would restore
  // the reader's scroll position below it, so the panel is brought into view instead.
  function showErrors() {
    var panel = document.querySelector(".protokoll-fel");
    if ("scrollRestoration" in history) { history.scrollRestoration = panel ? "manual" : "auto"; }
    if (panel) { panel.scrollIntoView({ block: "start" }); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showErrors);
  } else {
    showErrors();
  }
  window.addEventListener("load", showErrors);
  function poll() {
    fetch("/__protokoll/andringar?generation=" + encodeURIComponent(seen), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (String(d.generation) !== String(seen)) {
          window.location.reload();
        } else {
          poll();
        }
      })
      .catch(function () { window.setTimeout(poll, 1000); });
  }
  poll();
}());
