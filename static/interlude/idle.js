/* A page left open does not stay on screen after the session has ended.
 * The server signs a person out after a while without activity (accounts/middleware.py). This
 * notes when this browser last heard from Interlude (page loads and background saves, in any
 * tab) and, once that is longer ago than the limit (and so the server's session has ended),
 * reloads the page: the server then shows the sign-in page with a word about why. A form with
 * typed words is sent instead of reloading, so the pages that keep typed text through a
 * sign-out (accounts/keep.py) keep it. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="idle-seconds"]');
  if (!meta) { return; }
  var limit = parseInt(meta.getAttribute("content"), 10) * 1000;
  if (!(limit > 0)) { return; }
  var KEY = "interlude-last-active";
  var margin = 5000; // let the server's limit pass first
  var ownLast = Date.now();

  function note() {
    ownLast = Date.now();
    try { window.localStorage.setItem(KEY, String(ownLast)); } catch (e) { /* storage off */ }
  }

  function lastActive() {
    var shared = 0;
    try { shared = parseInt(window.localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { /* */ }
    return Math.max(shared, ownLast);
  }

  function check() {
    var waited = Date.now() - lastActive();
    if (waited >= limit + margin) {
      document.documentElement.style.visibility = "hidden";
      var typed = typedForm();
      if (typed) {
        // The session has ended, so the server only keeps what was typed (where a page can
        // keep it) and asks the person to sign in again; nothing is saved or done.
        typed.submit();
      } else {
        window.location.replace(window.location.href);
      }
      return;
    }
    window.setTimeout(check, Math.min(limit + margin - waited, 60000));
  }

  function typedForm() {
    var fields = document.querySelectorAll('form[method="post"] textarea, form[method="post"] input[type="text"]');
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) { return fields[i].form; }
    }
    return null;
  }

  note();
  document.addEventListener("htmx:afterRequest", note);
  // A tab woken from sleep checks at once (timers stop while a laptop sleeps).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { check(); }
  });
  window.setTimeout(check, limit + margin);
})();
