// Forgets the copies of drop-ins this browser kept while they were typed.
// On signing out, here or everywhere: every copy except drop-ins still waiting to be sent
// (typed with no connection), so the next person on a shared device cannot read them and no
// work is lost.
// On deleting an unfinished drop-in: that drop-in's copy, so it does not come back.
// On the page saying a drop-in is saved: that drop-in's copy, which the server now holds.
(function () {
  "use strict";
  var PREFIX = "coachloop:dropin:";

  function forget(shouldGo) {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0 && shouldGo(key)) {
          window.localStorage.removeItem(key);
        }
      }
    } catch (e) {
      // Storage unavailable: there is nothing of ours in it to forget.
    }
  }

  function pending(key) {
    try {
      var data = JSON.parse(window.localStorage.getItem(key) || "null");
      return Boolean(data && data.pending);
    } catch (e) {
      return false;
    }
  }

  // The header's "Sign out", and "Sign out everywhere" on the account page.
  var signOuts = document.querySelectorAll("form[data-sign-out]");
  for (var s = 0; s < signOuts.length; s++) {
    signOuts[s].addEventListener("submit", function () {
      forget(function (key) { return !pending(key); });
    });
  }

  var recorded = document.querySelector("[data-dropin-recorded]");
  if (recorded) {
    forget(function (key) { return key === recorded.dataset.dropinRecorded; });
  }

  var discard = document.querySelector("form[data-forget-dropin]");
  if (discard) {
    discard.addEventListener("submit", function () {
      var target = discard.dataset.forgetDropin;
      forget(function (key) { return key === target; });
    });
  }
})();
