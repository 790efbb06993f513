// Keeps a drop-in safe while a coach types it in a classroom with a weak signal.
//
// Every change is kept in this browser at once and sent to the server as a draft shortly
// after. Pressing save marks the copy here "pending" until the server confirms the drop-in is
// recorded: with no connection it stays pending (edits included) and is sent when the
// connection returns; a signed-out session or a refusal keeps it here and says so.
(function () {
  "use strict";

  var form = document.querySelector("form[data-dropin-capture]");
  if (!form) return;

  var storageKey = form.dataset.storageKey;
  var draftUrl = form.dataset.draftUrl;
  var recorded = (form.dataset.recordedUuids || "").split(",").filter(Boolean);
  var statusEl = form.querySelector("[data-draft-status]");
  var banner = document.querySelector("[data-offline-banner]");
  var fieldNames = ["visited_on", "class_or_group", "minutes", "strengths", "noticed", "evidence", "followup"];
  var draftTimer = null;
  var retryTimer = null;
  var submitting = false;
  var finished = false; // recorded: the page is leaving, and nothing more is sent or kept

  function say(text) {
    if (statusEl) statusEl.textContent = text || "";
  }

  function showOffline(show) {
    if (banner) banner.hidden = !show;
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function read() {
    var data = { uuid: form.elements.uuid.value, fields: {}, savedAt: Date.now() };
    fieldNames.forEach(function (name) {
      var el = form.elements[name];
      if (el) data.fields[name] = el.value !== undefined ? el.value : "";
    });
    return data;
  }

  // Keep what is on the form. A copy waiting to be sent stays waiting, however it is edited,
  // unless ``pending`` says otherwise.
  function keep(pending) {
    if (finished) return;
    var data = read();
    var before = stored();
    data.pending = pending === undefined ? Boolean(before && before.pending) : pending;
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
    } catch (e) {
      // Storage full or disabled: the server draft still protects the text.
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (e) {
      // Nothing kept, so nothing to forget.
    }
  }

  function restore() {
    var data = stored();
    if (!data || !data.fields) return null;
    if (recorded.indexOf(data.uuid) !== -1) {
      forget(); // already recorded, here or on another device
      return null;
    }
    // A newer draft from the server (typed on another device) wins over an older copy here.
    var serverSavedAt = Number(form.dataset.serverSavedAt || 0) * 1000;
    if (!data.pending && serverSavedAt && data.savedAt < serverSavedAt) return null;
    var changed = false;
    form.elements.uuid.value = data.uuid;
    fieldNames.forEach(function (name) {
      var el = form.elements[name];
      var value = data.fields[name];
      if (!el || value === undefined) return; // an emptied field is restored empty
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
    if (changed) say(form.dataset.restoredText);
    return data;
  }

  function body() {
    return new FormData(form);
  }

  function signedOut() {
    // The session ended (the server answered with its sign-in page). Keep everything here.
    showOffline(false);
    say(form.dataset.signedOutText);
  }

  function refused() {
    // This coaching can no longer take drop-ins (it has ended, say). Keep the text, stop trying.
    showOffline(false);
    window.clearTimeout(retryTimer);
    say(form.dataset.refusedText);
  }

  function adopt(uuid) {
    if (uuid && uuid !== form.elements.uuid.value) {
      form.elements.uuid.value = uuid;
      keep();
    }
  }

  function scheduleDraft(delay) {
    window.clearTimeout(draftTimer);
    draftTimer = window.setTimeout(sendDraft, delay);
  }

  function sendDraft() {
    if (finished || submitting) return Promise.resolve();
    return fetch(draftUrl, { method: "POST", body: body(), credentials: "same-origin" })
      .then(function (response) {
        if (finished) return;
        var uuid = response.headers.get("X-Draft-Uuid");
        if (response.status === 403 || (response.ok && !uuid)) return signedOut();
        if (response.status === 404) return refused();
        if (!response.ok) throw new Error("draft not saved");
        adopt(uuid);
        if (response.headers.get("X-Dropin-Recorded")) {
          // That id was recorded already: what is on the form now is kept under the new one.
          scheduleDraft(0);
          return;
        }
        return response.text().then(function (text) {
          showOffline(false);
          say(text);
        });
      })
      .catch(function () {
        if (!finished) showOffline(true);
      });
  }

  function submitNow() {
    if (submitting || finished) return Promise.resolve(false);
    submitting = true;
    window.clearTimeout(draftTimer);
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      redirect: "follow",
    })
      .then(function (response) {
        submitting = false;
        if (response.ok && response.headers.get("X-Dropin-Saved")) {
          finished = true;
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
        if (response.redirected || response.status === 403) {
          signedOut(); // sent to sign in, or the form's security token expired with the session
          return false;
        }
        if (response.status === 404) {
          refused();
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
    keep();
    scheduleDraft(800);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
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
