/* Passkeys and security keys (WebAuthn) work only in a secure context on a named site: over
 * https, or at http://localhost. At an IP address such as http://127.0.0.1:8000 the browser
 * refuses them with a SecurityError that nobody sees, so the button would do nothing.
 * Where they cannot work, each [data-webauthn-available] block (the button) is hidden and the
 * [data-webauthn-unavailable] sentence beside it is shown instead. When a passkey request does
 * not go through (closed, timed out, refused), a plain sentence says so in the live region
 * [data-webauthn-status] instead of an error that only the console would show. */
(function () {
  "use strict";

  function isIpAddress(hostname) {
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.indexOf(":") !== -1 ||
      hostname.charAt(0) === "[";
  }

  function canUseKeys() {
    return Boolean(window.isSecureContext && window.PublicKeyCredential &&
      navigator.credentials && !isIpAddress(window.location.hostname));
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // The status region is always in the page (an empty live region), so the sentence put into
  // it is read out.
  function say(sentence) {
    each("[data-webauthn-status]", function (status) {
      var message = document.createElement("p");
      message.className = "message";
      message.textContent = sentence;
      status.replaceChildren(message);
    });
  }

  function isLoopback(hostname) {
    return /^127\./.test(hostname) || hostname === "[::1]" || hostname === "::1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (canUseKeys()) { return; }
    each("[data-webauthn-available]", function (block) { block.hidden = true; });
    each("[data-webauthn-unavailable]", function (sentence) { sentence.hidden = false; });
    if (isLoopback(window.location.hostname)) {
      // On this computer: the same page at http://localhost works.
      var here = new URL(window.location.href);
      here.hostname = "localhost";
      each("[data-webauthn-localhost]", function (link) {
        link.href = here.href;
        link.textContent = here.origin;
        link.parentElement.hidden = false;
      });
    }
  });

  // allauth's webauthn.js announces what went wrong as a cancelable "allauth.error" event.
  document.addEventListener("allauth.error", function (event) {
    var error = event.detail && event.detail.exception;
    var name = error && error.name;
    event.preventDefault();
    if (name === "NotAllowedError" || name === "AbortError") {
      say("The passkey request was closed before it finished. You can try again whenever you like.");
    } else if (name === "InvalidStateError") {
      say("This passkey or security key is already on your account.");
    } else if (name === "SecurityError" || name === "NotSupportedError") {
      say("This browser can't use passkeys or security keys at this address. " +
        "Please open Interlude at its usual address (for the demo, http://localhost:8000).");
    } else {
      say("That didn't go through. You can try again, or use another way.");
    }
  });
})();
