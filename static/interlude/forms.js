// A form's error summary takes focus when the page opens, so it is read first; its links move
// to the fields. Autosave status is announced politely by its own aria-live region.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var summary = event.detail.target.querySelector && event.detail.target.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
