/* Error summaries: when a form comes back with something to look at (a whole page, or a form
 * swapped in by htmx), focus moves to its summary, so a screen reader reads it and a keyboard
 * starts there. Each message links to its field; following the link focuses the field and shows
 * its label. */
(function () {
  "use strict";
  function follow(event) {
    var link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }
  function focusSummary(root) {
    var summary = root.querySelector ? root.querySelector("[data-error-summary]") : null;
    if (!summary) { return; }
    summary.focus();
    summary.addEventListener("click", follow);
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.detail.target); });
})();
