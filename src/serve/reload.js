// protokoll serve: reloads the page when the site has been rebuilt. Injected only by the preview
// server, never part of a built site. The server answers the long poll when the build
// generation differs from the one this page was served with, or after 25 s with the same one.
(function () {
  "use strict";
  var me = document.currentScript;
  var seen = me ? me.getAttribute("data-generation") : "";
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
