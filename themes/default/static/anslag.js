// One rule for notice status on every page (start, förbund, anslagstavla, protocol, embed): a
// page is built on one day and correct on that day without this script; when a visitor opens it
// later, the script applies the same rule to the visitor's Swedish date:
//   posted > today                  → not yet up (hidden),
//   posted <= today <= last appeal  → up, with the days left,
//   last appeal < today             → taken down: listed under "Nyligen nedtagna" for
//                                     RECENT_DAYS days where the page has that list, else hidden.
// Every notice carries its dates (data-uppsatt, data-sista); counts ([data-antal]) and "none"
// notes ([data-tom]) follow from what is shown.
(function () {
  "use strict";
  var RECENT_DAYS = 60;
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
  function status(today, posted, last) {
    if (posted && today < posted) { return ["kommande", "Anslaget har ännu inte satts upp."]; }
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
  function each(selector, f) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), f);
  }
  function update() {
    var today = window.PROTOKOLL_IDAG || todayInStockholm();
    each("[data-idag]", function (stamp) {
      stamp.setAttribute("datetime", today);
      stamp.textContent = dateText(today);
    });
    var current = document.querySelector('[data-lista="aktuella"]');
    var expired = document.querySelector('[data-lista="nedtagna"]');
    each(".anslag-post, .sista-dag", function (post) {
      var last = post.getAttribute("data-sista");
      if (!last) { return; }
      var s = status(today, post.getAttribute("data-uppsatt"), last);
      var line = post.querySelector(".status");
      if (line) { line.setAttribute("data-status", s[0]); line.textContent = s[1]; }
      Array.prototype.forEach.call(post.querySelectorAll("[data-visas]"), function (el) {
        el.hidden = (el.getAttribute("data-visas") === "utgangen") !== (s[0] === "utgangen");
      });
      if (!post.classList.contains("anslag-post")) { return; }
      if (s[0] === "utgangen" && current && expired && post.parentNode === current) {
        expired.insertBefore(post, expired.firstChild);
      }
      var inExpired = expired && post.parentNode === expired;
      if (s[0] === "kommande") { post.hidden = true; }
      else if (s[0] === "pagar") { post.hidden = false; }
      else { post.hidden = !inExpired || days(last, today) > RECENT_DAYS; }
    });
    [["aktuella", current], ["nedtagna", expired]].forEach(function (pair) {
      if (!pair[1]) { return; }
      var shown = Array.prototype.filter.call(pair[1].children, function (li) { return !li.hidden; }).length;
      each('[data-tom="' + pair[0] + '"]', function (empty) { empty.hidden = shown > 0; });
      if (pair[0] !== "aktuella") { return; }
      each("[data-antal]", function (count) {
        var text = count.getAttribute(shown === 0 ? "data-text-0" : shown === 1 ? "data-text-1" : "data-text-n");
        if (text) { count.textContent = text.replace("{n}", String(shown)); }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
}());
