// Starts django-allauth's passkey and security key ceremonies (its static mfa/js/webauthn.js)
// from the buttons that ask for one, so the pages need no inline script. A button says which
// ceremony (data-two-step-key: addForm or authenticateForm), the hidden field that takes the
// browser's answer (data-credential) and the JSON data block with the server's options
// (data-options). If the browser refuses or the person cancels, the page says so.
(function () {
  "use strict";

  function start() {
    var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms;
    var buttons = document.querySelectorAll("[data-two-step-key]");
    if (!forms) {
      return;
    }
    buttons.forEach(function (button) {
      var ceremony = forms[button.getAttribute("data-two-step-key")];
      if (typeof ceremony !== "function") {
        return;
      }
      ceremony({
        ids: {
          add: button.id,
          authenticate: button.id,
          credential: button.getAttribute("data-credential"),
          data: button.getAttribute("data-options"),
        },
      });
    });
  }

  document.addEventListener("allauth.error", function (event) {
    var message = document.getElementById("two-step-key-error");
    if (message) {
      event.preventDefault();
      message.hidden = false;
      message.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
