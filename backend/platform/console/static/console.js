// Live updates for the console: parts of a page marked data-live-src are fetched again (as
// server-rendered HTML) when the staff stream reports a change, without reloading the page.
(function () {
  "use strict";
  var parts = Array.prototype.slice.call(document.querySelectorAll("[data-live-src]"));
  var status = document.getElementById("live-status");
  if (!parts.length || !window.EventSource) { return; }
  var waiting = {};
  var timers = {}, busy = {}, dirty = {}, last = {};  // per part id

  function say(key) {
    if (!status) { return; }
    var text = status.getAttribute("data-words-" + key) || "";
    if (key !== "off") {
      // The district's clock, as every time the server writes on the page.
      var now = new Date().toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
      text += " · " + status.getAttribute("data-words-updated") + " " + now;
    }
    status.textContent = text;
  }

  function inUse(part) {
    // Never pull a form away from someone using it; try again once they leave it.
    if (part.contains(document.activeElement) && document.activeElement !== document.body) {
      waiting[part.id] = true;
      return true;
    }
    return false;
  }

  function refresh(part) {
    if (inUse(part)) { return; }
    if (busy[part.id]) { dirty[part.id] = true; return; }  // once more when this one is done
    busy[part.id] = true;
    fetch(part.getAttribute("data-live-src"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/console/login") !== -1) {
          // The session ended: sign in again, then come back to this page.
          window.location.assign("/console/login?expired=1&next=" +
                                 encodeURIComponent(window.location.pathname + window.location.search));
          throw new Error("signed out");
        }
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (inUse(part)) { return; }  // they started typing while the fetch was under way
        part.innerHTML = html;
        say("on");
      })
      .catch(function () { say("off"); })
      .then(function () {
        busy[part.id] = false;
        last[part.id] = Date.now();
        if (dirty[part.id]) { dirty[part.id] = false; schedule(part); }
      });
  }

  // Changes are coalesced per part: the first one asks for a refresh 150 ms later, the ones that
  // follow while it waits or loads ask for one more after it, and a part is fetched at most once a
  // second — a burst of a hundred changes costs two or three fetches, and a steady stream of
  // changes never starves the page (a debounce would wait for a quiet moment that never comes).
  function schedule(part) {
    if (timers[part.id] || busy[part.id]) { dirty[part.id] = true; return; }
    var wait = Math.max(150, (last[part.id] || 0) + 1000 - Date.now());
    timers[part.id] = setTimeout(function () { timers[part.id] = null; refresh(part); }, wait);
  }

  function refreshFor(event) {
    var station = null;
    try { station = JSON.parse(event.data).station_id || null; } catch (e) { station = null; }
    parts.forEach(function (part) {
      var only = part.getAttribute("data-live-station");
      if (!only || !station || only === station) { schedule(part); }
    });
  }

  document.addEventListener("focusout", function () {
    setTimeout(function () {
      parts.forEach(function (part) {
        if (waiting[part.id] && !part.contains(document.activeElement)) { waiting[part.id] = false; refresh(part); }
      });
    }, 0);
  });

  var types = ["station.state", "station.service", "station.created", "station.enrolled", "component.status",
               "alert.opened", "alert.resolved", "alert.acknowledged", "command.sent", "command.finished",
               "ticket.new", "ticket.changed", "application.new", "application.decided", "application.delivery",
               "certificate.revoked"];
  var source = new EventSource("/console/stream");
  // Whatever changed between rendering the page and (re)connecting the stream is fetched once.
  source.onopen = function () { say("on"); parts.forEach(refresh); };
  // A stream that cannot reconnect may mean the session ended: a fetch finds out (and signs in).
  source.onerror = function () { say("off"); parts.forEach(refresh); };
  types.forEach(function (type) { source.addEventListener(type, refreshFor); });
  // Online and offline are worked out when read; a slow refresh keeps "last heartbeat" honest.
  setInterval(function () { parts.forEach(refresh); }, 30000);
})();
