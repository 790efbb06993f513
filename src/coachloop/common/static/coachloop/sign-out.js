// On signing out, forget the copies of drop-ins this browser kept while they were typed, so
// the next person to use a shared device cannot read them. A drop-in that is still waiting
// to be sent (typed with no connection) is kept: losing it would lose the coach's work.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sign-out]");
  if (!form) return;
  form.addEventListener("submit", function () {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf("coachloop:dropin:") === 0) {
          var data = JSON.parse(window.localStorage.getItem(key) || "null");
          if (!data || !data.pending) window.localStorage.removeItem(key);
        }
      }
    } catch (e) {
      // Storage unavailable: there is nothing of ours in it to forget.
    }
  });
})();
