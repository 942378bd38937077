/* Quick exit, after the GOV.UK "Exit this page" pattern.
 * The button (or Shift pressed three times) hides the page at once and replaces it with a
 * neutral site. The current entry is replaced, and if someone presses Back onto an earlier
 * Interlude page in this tab, that page sends them straight on to the neutral site again. */
(function () {
  "use strict";
  var FLAG = "interlude-exit";
  var meta = document.querySelector('meta[name="quick-exit-url"]');
  var exitUrl = meta ? meta.getAttribute("content") : "about:blank";

  function leave() {
    try { window.sessionStorage.setItem(FLAG, "1"); } catch (e) { /* storage may be off */ }
    document.documentElement.style.visibility = "hidden";
    document.title = "Loading";
    window.location.replace(exitUrl);
  }

  function cameBack() {
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }

  try {
    if (window.sessionStorage.getItem(FLAG)) {
      if (cameBack()) {
        document.documentElement.style.visibility = "hidden";
        window.location.replace(exitUrl);
        return;
      }
      // A fresh visit (typed or followed link) means they chose to come back.
      window.sessionStorage.removeItem(FLAG);
    }
  } catch (e) { /* storage may be off */ }

  window.addEventListener("pageshow", function (event) {
    var flagged = false;
    try { flagged = !!window.sessionStorage.getItem(FLAG); } catch (e) { /* ignore */ }
    if (event.persisted && flagged) {
      document.documentElement.style.visibility = "hidden";
      window.location.replace(exitUrl);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-quick-exit]") : null;
    if (target) {
      event.preventDefault();
      leave();
    }
  });

  // Shift pressed three times, on its own, within five seconds.
  var presses = 0;
  var first = 0;
  var otherKey = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") { otherKey = false; } else { otherKey = true; presses = 0; }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    if (otherKey) { otherKey = false; presses = 0; return; }
    var now = Date.now();
    if (presses === 0 || now - first > 5000) { presses = 0; first = now; }
    presses += 1;
    if (presses >= 3) { presses = 0; leave(); }
  });
})();
