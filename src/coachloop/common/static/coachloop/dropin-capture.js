// Keeps a drop-in safe while a coach types it in a classroom with a weak signal.
// Every change is kept in this browser at once and sent to the server as a draft shortly
// after; if the connection drops, the drop-in stays here and is saved once it returns.
(function () {
  "use strict";

  var form = document.querySelector("form[data-dropin-capture]");
  if (!form) return;

  var storageKey = form.dataset.storageKey;
  var draftUrl = form.dataset.draftUrl;
  var statusEl = form.querySelector("[data-draft-status]");
  var banner = document.querySelector("[data-offline-banner]");
  var fieldNames = ["visited_on", "class_or_group", "minutes", "strengths", "noticed", "evidence", "followup"];
  var draftTimer = null;
  var retryTimer = null;

  function say(text) {
    if (statusEl) statusEl.textContent = text;
  }

  function showOffline(show) {
    if (banner) banner.hidden = !show;
  }

  function read() {
    var data = { uuid: form.elements.uuid.value, fields: {}, savedAt: Date.now(), pending: false };
    fieldNames.forEach(function (name) {
      var el = form.elements[name];
      if (!el) return;
      data.fields[name] = el.value !== undefined ? el.value : "";
    });
    return data;
  }

  function keep(pending) {
    var data = read();
    data.pending = Boolean(pending);
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
    } catch (e) {
      // Storage full or disabled: the server draft still protects the text.
    }
    return data;
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function forget() {
    window.localStorage.removeItem(storageKey);
  }

  function restore() {
    var data = stored();
    if (!data || !data.fields) return null;
    // A newer draft from the server (typed on another device) wins over an older copy here.
    var serverSavedAt = Number(form.dataset.serverSavedAt || 0) * 1000;
    if (!data.pending && serverSavedAt && data.savedAt < serverSavedAt) return null;
    var changed = false;
    form.elements.uuid.value = data.uuid;
    fieldNames.forEach(function (name) {
      var el = form.elements[name];
      var value = data.fields[name];
      if (!el || value === undefined || value === "") return;
      if (el instanceof RadioNodeList) {
        Array.prototype.forEach.call(el, function (radio) {
          if (radio.checked !== (radio.value === value)) changed = true;
          radio.checked = radio.value === value;
        });
      } else if (el.value !== value) {
        el.value = value;
        changed = true;
      }
    });
    if (changed) say(form.dataset.restoredText || "");
    return data;
  }

  function body() {
    return new FormData(form);
  }

  function signedOut() {
    // The session ended (the server answered with its sign-in page). Keep everything here.
    showOffline(false);
    say(form.dataset.signedOutText || "");
  }

  function sendDraft() {
    return fetch(draftUrl, { method: "POST", body: body(), credentials: "same-origin" })
      .then(function (response) {
        var uuid = response.headers.get("X-Draft-Uuid");
        if ((response.ok && !uuid) || response.status === 403) return signedOut();
        if (!response.ok) throw new Error("draft not saved");
        if (uuid !== form.elements.uuid.value) {
          // That id was taken (recorded elsewhere): carry on under the server's new one.
          form.elements.uuid.value = uuid;
          keep(false);
        }
        return response.text().then(function (text) {
          showOffline(false);
          say(text);
        });
      })
      .catch(function () {
        showOffline(true);
      });
  }

  var submitting = false;

  function submitNow() {
    if (submitting) return Promise.resolve(false);
    submitting = true;
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      redirect: "follow",
    })
      .then(function (response) {
        submitting = false;
        if (response.ok && response.headers.get("X-Dropin-Saved")) {
          forget();
          window.location.assign(response.url);
          return true;
        }
        if (response.ok && !response.redirected) {
          // The server had something to say about the form: let it show the page itself.
          keep(false);
          HTMLFormElement.prototype.submit.call(form);
          return true;
        }
        keep(true);
        if (response.redirected || response.status === 403) {
          signedOut(); // sent to sign in, or the form's security token expired with the session
          return false;
        }
        throw new Error("not saved: " + response.status); // the server failed: try again soon
      })
      .catch(function (error) {
        submitting = false;
        throw error;
      });
  }

  function retryPending() {
    var data = stored();
    if (!data || !data.pending) return;
    submitNow().catch(function () {
      showOffline(true);
      scheduleRetry();
    });
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(retryPending, 5000);
  }

  form.addEventListener("input", function () {
    keep(false);
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(sendDraft, 800);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(draftTimer);
    keep(true);
    submitNow().catch(function () {
      showOffline(true);
      var message = banner && banner.querySelector("[data-offline-message]");
      say(message ? message.textContent.trim() : "");
      scheduleRetry();
    });
  });

  window.addEventListener("online", retryPending);
  window.addEventListener("offline", function () { showOffline(true); });

  var earlier = restore();
  if (earlier && earlier.pending) retryPending();
})();
