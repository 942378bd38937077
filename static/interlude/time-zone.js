/* The time-zone prompt (templates/components/time_zone_prompt.html). The browser knows which
 * zone it is in; the prompt offers that zone to confirm, and nothing is saved until the person
 * says yes. Without this script the prompt offers a link to choose a zone, and "Not now".
 * The answer is sent in place (htmx), so nothing typed elsewhere on the page is lost. Once the
 * zone is saved, the page is shown again with its times on the new clock, unless something has
 * been typed on it: then the times change from the next page. */
(function () {
  "use strict";
  var typed = false;

  function browserZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      return zone === "Etc/Unknown" ? "" : zone;  // what a browser says when it cannot tell
    } catch (error) {
      return "";
    }
  }

  function offer(prompt) {
    var input = prompt ? prompt.querySelector("[data-time-zone-value]") : null;
    var zone = browserZone();
    if (!input || !zone || prompt.hasAttribute("data-time-zone-problem")) { return; }
    input.value = zone;
    prompt.querySelector("[data-time-zone-name]").textContent = zone.replace(/_/g, " ");
    prompt.querySelectorAll("[data-time-zone-found]").forEach(function (el) { el.hidden = false; });
    prompt.querySelectorAll("[data-time-zone-ask]").forEach(function (el) { el.hidden = true; });
    var choose = prompt.querySelector("[data-time-zone-choose]");
    if (choose) {
      choose.textContent = "Choose another";
      choose.href += "&suggested=" + encodeURIComponent(zone);
    }
  }

  document.addEventListener("input", function (event) {
    var prompt = document.getElementById("time-zone-prompt");
    if (!prompt || !prompt.contains(event.target)) { typed = true; }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var prompt = event.target;
    if (!(prompt instanceof Element) || prompt.id !== "time-zone-prompt") { return; }
    if (prompt.querySelector("[data-time-zone-saved]") && !typed) {
      window.location.reload();
      return;
    }
    offer(prompt);
    prompt.focus();
  });

  // "Not now" removes the prompt: keep the keyboard's place on the page.
  document.addEventListener("htmx:afterRequest", function () {
    var main = document.getElementById("main");
    if (!document.getElementById("time-zone-prompt") && main && document.activeElement === document.body) {
      main.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    offer(document.getElementById("time-zone-prompt"));
  });
})();
