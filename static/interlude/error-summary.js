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
  /* Once the person changes a field that needed another look, its message steps aside (in
   * the summary and beside the field); the summary goes when nothing in it is left. The server
   * checks again on sending. */
  function settle(event) {
    var input = event.target;
    if (!(input instanceof HTMLElement) || !input.id) { return; }
    var holder = input.closest("fieldset[id]");
    var id = holder ? holder.id : input.id;
    var own = document.getElementById(id + "_error") || document.getElementById(id + "-errors");
    if (own) { own.hidden = true; }
    input.removeAttribute("aria-invalid");
    var form = input.closest("form");
    var summary = form ? form.querySelector("[data-error-summary]") : null;
    if (!summary) { return; }
    Array.prototype.forEach.call(summary.querySelectorAll("a[href]"), function (link) {
      if (link.getAttribute("href") === "#" + id && link.parentElement) { link.parentElement.hidden = true; }
    });
    var left = Array.prototype.some.call(summary.querySelectorAll("li"), function (item) { return !item.hidden; });
    if (!left && !summary.querySelector(".form-errors__general")) { summary.hidden = true; }
  }
  document.addEventListener("input", settle);
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.detail.target); });
})();
