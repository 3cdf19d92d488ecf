// Keeps the anslagstavla right between builds: the page is built on one day and correct on that
// day without this script; when a visitor opens it later, notices whose last appeal day has
// passed move to "Nyligen nedtagna" and the days left are counted from the visitor's date.
(function () {
  "use strict";
  function todayInStockholm() {
    // Legal dates are Swedish local dates, whatever the visitor's time zone.
    var parts = new Intl.DateTimeFormat("sv-SE", {
      timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit"
    }).formatToParts(new Date());
    var get = function (t) { return parts.filter(function (p) { return p.type === t; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }
  function days(a, b) {
    return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86400000);
  }
  function statusText(today, last) {
    var left = days(today, last);
    if (left < 0) { return ["utgangen", "Tiden för överklagande har löpt ut."]; }
    if (left === 0) { return ["pagar", "Sista dagen att överklaga är i dag."]; }
    if (left === 1) { return ["pagar", "1 dag kvar att överklaga."]; }
    return ["pagar", left + " dagar kvar att överklaga."];
  }
  var months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december"];
  function dateText(iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + months[parseInt(p[1], 10) - 1] + " " + p[0];
  }
  function update() {
    var built = document.body.getAttribute("data-byggdatum");
    var today = window.PROTOKOLL_IDAG || todayInStockholm();
    if (!built || today <= built) { return; }
    var stamp = document.querySelector("[data-idag]");
    if (stamp) { stamp.setAttribute("datetime", today); stamp.textContent = dateText(today); }
    var current = document.querySelector('[data-lista="aktuella"]');
    var expired = document.querySelector('[data-lista="nedtagna"]');
    var posts = document.querySelectorAll(".anslag-post, .sista-dag");
    Array.prototype.forEach.call(posts, function (post) {
      var last = post.getAttribute("data-sista");
      if (!last) { return; }
      var s = statusText(today, last);
      var status = post.querySelector(".status");
      if (status) { status.setAttribute("data-status", s[0]); status.textContent = s[1]; }
      if (s[0] === "utgangen" && current && expired && post.parentNode === current) {
        expired.insertBefore(post, expired.firstChild);
      }
    });
    [["aktuella", current], ["nedtagna", expired]].forEach(function (pair) {
      var empty = document.querySelector('[data-tom="' + pair[0] + '"]');
      if (empty && pair[1]) { empty.hidden = pair[1].children.length > 0; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
}());
