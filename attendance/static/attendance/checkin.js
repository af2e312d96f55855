/* Check-in screen (participants/templates/attendance/screen.html). Plain JS, no build step.
 *
 * Online: search and check-in go to the server, which answers with the person and its warnings.
 * Offline (no network, or the server unreachable): the site's expected participants kept in
 * IndexedDB (loaded in one request, searched in memory) are searched, check-ins are queued in
 * IndexedDB with their time, and the queue is sent to the sync endpoint when the connection returns
 * (the `online` event, and a retry every 15 s). The server records each item once (by its uuid) with
 * its original time; the same person checked in on two devices keeps the earliest time. Items the
 * server could not record stay on this device, listed as failed, until dismissed.
 * A service worker (attendance/offline.py, scope /checkin/) keeps this page and its files, so it
 * can be reopened or reloaded with no network once it was opened here.
 * Identifiers in the kept list are masked by the server; a full NIK is searched only online, by POST.
 */
(function () {
  "use strict";

  var root = document.getElementById("checkin");
  if (!root) return;
  var config = JSON.parse(document.getElementById("checkin-config").textContent);
  var T = config.text;
  var ROSTER_KEY = "psp-checkin:roster:" + config.session;  // localStorage of earlier versions: moved to IndexedDB
  var QUEUE_KEY = "psp-checkin:queue:" + config.site;
  var DB_NAME = "psp-checkin";
  var CODE_PATTERN = /^[A-HJ-NP-Z2-9]{10}$/;
  var RETRY_MS = 15000;
  var ROSTER_REFRESH_MS = 60000;
  var SYNC_BATCH = 200;

  var els = {
    form: document.getElementById("checkin-form"),
    query: document.getElementById("checkin-query"),
    results: document.getElementById("checkin-results"),
    result: document.getElementById("checkin-result"),
    net: document.getElementById("net-status"),
    queue: document.getElementById("queue-count"),
    roster: document.getElementById("roster-status"),
    problems: document.getElementById("sync-problems"),
    syncNow: document.getElementById("sync-now"),
    scanner: document.getElementById("scanner"),
    video: document.getElementById("scanner-video"),
    canvas: document.getElementById("scanner-canvas"),
    scanStart: document.getElementById("scan-start"),
    scanStop: document.getElementById("scan-stop"),
    queueList: document.getElementById("queue-list"),
    offlineReady: document.getElementById("offline-ready")
  };

  var roster = [];
  var queueItems = [];   // this site's items waiting to be sent (a copy of IndexedDB's, in time order)
  var failedItems = [];  // this site's items the server did not record, kept until dismissed
  var online = navigator.onLine;
  var syncing = false;

  // --- small helpers -------------------------------------------------------------------------

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function timeInZone(iso) {
    var date = iso ? new Date(iso) : new Date();
    var text = date.toLocaleTimeString("id-ID", { timeZone: config.zone, hour: "2-digit", minute: "2-digit" });
    return text + " " + config.zoneLabel;
  }

  // crypto.randomUUID() needs a secure context; a venue's LAN is often plain http.
  function uuid4() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // --- IndexedDB: "rosters" (one record per session: the whole list), "queue" (one record per check-in) ---

  var dbPromise = null;

  function db() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var base = request.result;
        base.createObjectStore("rosters", { keyPath: "session" });
        base.createObjectStore("queue", { keyPath: "uuid" }).createIndex("site", "site");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  // Runs `work(store)` in one transaction; resolves with what work's request gave, when the transaction is done.
  function idb(storeName, mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  // No IndexedDB (a private window of some browsers): the queue lives in this page only.
  function noStore() { /* kept in memory */ }

  function loadQueue() {
    return idb("queue", "readonly", function (store) { return store.index("site").getAll(config.site); }).then(function (items) {
      items.sort(function (a, b) { return a.checked_in_at < b.checked_in_at ? -1 : 1; });
      queueItems = items.filter(function (item) { return item.state !== "failed"; });
      failedItems = items.filter(function (item) { return item.state === "failed"; });
    });
  }

  // The localStorage of the earlier screen: its queue and list move to IndexedDB once.
  function migrateLocalStorage() {
    var old = null;
    try { old = JSON.parse(localStorage.getItem(QUEUE_KEY)); } catch (e) { old = null; }
    if (!Array.isArray(old) || !old.length) { localStorage.removeItem(ROSTER_KEY); return Promise.resolve(); }
    return idb("queue", "readwrite", function (store) {
      old.forEach(function (item) { item.site = config.site; item.state = "queued"; store.put(item); });
    }).then(function () { localStorage.removeItem(QUEUE_KEY); localStorage.removeItem(ROSTER_KEY); });
  }

  function csrfToken() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Resolves to the parsed JSON answer; rejects with {offline: true} when the server cannot be reached.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(handleResponse, function () { setOnline(false); throw { offline: true }; });
  }

  function handleResponse(response) {
    setOnline(true);
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      throw { message: response.redirected || response.status === 403 ? T.loggedOut : T.error };
    }
    return response.json().then(function (data) { data.status = response.status; return data; });
  }

  // --- connection state and the queue --------------------------------------------------------

  function setOnline(value) {
    online = value;
    els.net.textContent = value ? T.online : T.offline;
    els.net.className = "badge " + (value ? "text-bg-success" : "text-bg-warning");
  }

  function queue() { return queueItems; }

  function itemLine(item, note) {
    var text = (item.name || item.code) + " · " + timeInZone(item.checked_in_at) + (note ? " · " + note : "");
    return el("li", { "class": "list-group-item py-1", text: text });
  }

  // This device's queue: what waits to be sent, and what the server did not record (until dismissed).
  function showQueue() {
    els.queue.textContent = format(T.waitingOne, { n: queueItems.length });
    if (!els.queueList) return;
    var parts = [];
    if (queueItems.length) {
      parts.push(el("p", { "class": "fw-semibold mb-1", text: T.queuedHere }));
      parts.push(el("ul", { "class": "list-group list-group-flush small mb-2", "data-testid": "queued-items" }, queueItems.map(function (item) {
        return itemLine(item);
      })));
    }
    if (failedItems.length) {
      parts.push(el("p", { "class": "fw-semibold mb-1", text: T.failedHere }));
      parts.push(el("ul", { "class": "list-group list-group-flush small mb-1", "data-testid": "failed-items" }, failedItems.map(function (item) {
        return itemLine(item, item.problem);
      })));
      var clear = el("button", { type: "button", "class": "btn btn-outline-secondary btn-sm", text: T.dismissFailed });
      clear.addEventListener("click", dismissFailed);
      parts.push(clear);
    }
    els.queueList.replaceChildren.apply(els.queueList, parts);
  }

  function dismissFailed() {
    var gone = failedItems;
    failedItems = [];
    showQueue();
    return idb("queue", "readwrite", function (store) { gone.forEach(function (item) { store.delete(item.uuid); }); }).catch(noStore);
  }

  function enqueue(code, name) {
    var item = {
      uuid: uuid4(), code: code, session: config.session, site: config.site,
      checked_in_at: new Date().toISOString(), name: name || "", state: "queued"
    };
    queueItems.push(item);
    idb("queue", "readwrite", function (store) { return store.put(item); }).catch(noStore);
    var row = findByCode(code);
    if (row) { row.present = true; row.checked_in_at = item.checked_in_at; saveRoster(); }
    showQueue();
    return item;
  }

  function sync() {
    if (syncing) return Promise.resolve();
    syncing = true;
    // Another tab of this device may have queued too: read the queue again first.
    return loadQueue().catch(noStore).then(sendBatch);
  }

  function sendBatch() {
    var items = queue().slice(0, SYNC_BATCH);
    if (!items.length) { syncing = false; showQueue(); return Promise.resolve(); }
    var sent = items.map(function (item) { return { uuid: item.uuid, code: item.code, session: item.session, checked_in_at: item.checked_in_at }; });
    return post(config.urls.sync, { items: sent }).then(function (data) {
      if (!data.ok) return;
      var answered = {};
      var problems = [];
      data.results.forEach(function (result) {
        answered[result.uuid] = result;
        if (result.outcome === "refused" || result.outcome === "error" || result.outcome === "held") problems.push(result);
      });
      var names = {};
      items.forEach(function (item) { names[item.uuid] = item.name || item.code; });
      // Items added while the batch was on its way stay in the queue; the ones not recorded are kept as failed.
      var failed = [];
      queueItems = queue().filter(function (item) {
        var result = answered[item.uuid];
        if (!result) return true;
        if (problems.indexOf(result) !== -1) {
          item.state = "failed";
          item.problem = result.warnings.map(function (w) { return w.message; }).join(" ");
          failed.push(item);
        }
        return false;
      });
      failedItems = failedItems.concat(failed);
      idb("queue", "readwrite", function (store) {
        Object.keys(answered).forEach(function (key) { store.delete(key); });
        failed.forEach(function (item) { store.put(item); });
      }).catch(noStore);
      showProblems(problems, names);
      refreshCounts();
      els.result.replaceChildren(el("div", { "class": "alert alert-info", text: format(T.sent, { n: data.results.length }) }));
      refreshRoster();
      return true;
    }).catch(function () { /* still offline: the next retry sends it */ }).then(function (done) {
      syncing = false;
      showQueue();
      if (done && queue().length) return sync();
    });
  }

  function refreshCounts() {
    if (window.htmx) window.htmx.ajax("GET", config.urls.counts, { target: "#checkin-counts", swap: "outerHTML" });
  }

  function showProblems(problems, names) {
    if (!problems.length) return;
    var list = el("ul", { "class": "list-group" });
    problems.forEach(function (problem) {
      var text = (names[problem.uuid] || problem.uuid) + ": " + problem.warnings.map(function (w) { return w.message; }).join(" ");
      list.appendChild(el("li", { "class": "list-group-item list-group-item-warning", text: text }));
    });
    els.problems.replaceChildren(el("p", { "class": "fw-semibold mb-1", text: T.problems }), list);
  }

  // --- the list kept on the phone ---------------------------------------------------------------

  var byCode = {};

  function indexRoster() {
    byCode = {};
    roster.forEach(function (row) {
      byCode[row.code] = row;
      row.search = row.name.toLowerCase();
    });
  }

  function saveRoster() {
    var record = { session: config.session, site: config.site, saved_at: new Date().toISOString(), participants: roster };
    return idb("rosters", "readwrite", function (store) { return store.put(record); }).catch(function () { /* kept in memory */ });
  }

  function keptRoster() {
    return idb("rosters", "readonly", function (store) { return store.get(config.session); }).catch(function () { return null; });
  }

  function findByCode(code) { return byCode[code] || null; }

  function markQueuedPresent() {
    queue().forEach(function (item) {
      var row = item.session === config.session ? findByCode(item.code) : null;
      if (row) { row.present = true; row.checked_in_at = item.checked_in_at; }
    });
  }

  function refreshRoster() {
    return fetch(config.urls.roster, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(handleResponse, function () { throw { offline: true }; })
      .then(function (data) {
        roster = data.participants || [];
        indexRoster();
        markQueuedPresent();
        els.roster.textContent = format(T.rosterSaved, { n: roster.length });
        return saveRoster();
      })
      .catch(function (error) {
        if (error && error.message) { els.roster.textContent = error.message; }
        if (error && error.offline) setOnline(false);
        if (roster.length) { els.roster.textContent = T.rosterOld; return; }
        return keptRoster().then(function (kept) {
          if (kept && !roster.length) { roster = kept.participants; indexRoster(); markQueuedPresent(); els.roster.textContent = T.rosterOld; }
          else if (!roster.length) { els.roster.textContent = T.rosterNone; }
        });
      });
  }

  function searchLocal(query) {
    var needle = query.trim().toLowerCase();
    var code = needle.toUpperCase();
    var found = byCode[code] ? [byCode[code]] : [];
    for (var i = 0; i < roster.length && found.length < 20; i++) {
      if (roster[i].search.indexOf(needle) !== -1 && roster[i].code !== code) found.push(roster[i]);
    }
    return found;
  }

  // --- showing people ----------------------------------------------------------------------------

  function personBlock(person) {
    var details = [person.role, person.agency].filter(Boolean).join(" · ");
    var ids = [person.nik && "NIK " + person.nik, person.nip && "NIP " + person.nip].filter(Boolean).join(" · ");
    var statusClass = person.status === "verified" ? "text-bg-success" : (person.status === "submitted" ? "text-bg-secondary" : "text-bg-danger");
    return el("div", {}, [
      el("div", { "class": "fw-semibold fs-5", text: person.name }),
      el("div", { "class": "small", text: details }),
      ids ? el("div", { "class": "small text-muted", text: ids }) : null,
      el("span", { "class": "badge " + statusClass, text: person.status_label }),
      person.site !== config.site ? el("span", { "class": "badge text-bg-warning ms-1", text: person.site_name }) : null
    ]);
  }

  function showResults(rows, note) {
    els.results.replaceChildren();
    if (note) els.results.appendChild(el("li", { "class": "list-group-item small text-muted", text: note }));
    if (!rows.length) {
      els.results.appendChild(el("li", { "class": "list-group-item", text: T.notFound }));
      return;
    }
    rows.forEach(function (person) {
      var button = el("button", { type: "button", "class": "btn btn-success btn-lg", text: T.checkIn });
      button.addEventListener("click", function () { checkinCode(person.code, "search", person); });
      var state = person.present ? el("div", { "class": "small text-success", text: format(T.checkedInAt, { time: timeInZone(person.checked_in_at) }) }) : null;
      els.results.appendChild(el("li", { "class": "list-group-item d-flex justify-content-between align-items-center gap-2" }, [
        el("div", {}, [personBlock(person), state]), button
      ]));
    });
  }

  function showAnswer(data, code, method) {
    var warnings = data.warnings || [];
    var blocking = warnings.filter(function (w) { return w.blocking; });
    var alertClass = data.recorded ? (warnings.length ? "alert-warning" : "alert-success") : "alert-danger";
    var title = data.recorded ? T.checkedIn : T.notRecorded;
    var list = warnings.length ? el("ul", { "class": "mb-2" }, warnings.map(function (w) { return el("li", { text: w.message }); })) : null;
    var box = el("div", { "class": "alert " + alertClass, role: "alert" }, [
      el("div", { "class": "fw-bold", text: title }), personBlock(data.person), list
    ]);
    if (!data.recorded && blocking.length) {
      var again = el("button", { type: "button", "class": "btn btn-outline-danger", text: T.checkInAnyway });
      again.addEventListener("click", function () {
        record(code, method, { allow_other_site: true, allow_inactive: true });
      });
      box.appendChild(again);
    }
    els.result.replaceChildren(box);
  }

  function showMessage(text, kind) {
    els.result.replaceChildren(el("div", { "class": "alert alert-" + (kind || "info"), role: "alert", text: text }));
  }

  // --- the actions -------------------------------------------------------------------------------

  function record(code, method, confirm) {
    var body = { code: code, method: method };
    Object.keys(confirm || {}).forEach(function (key) { body[key] = confirm[key]; });
    return post(config.urls.record, body).then(function (data) {
      if (!data.ok) { showMessage(data.error || T.error, "danger"); return; }
      showAnswer(data, code, method);
      var row = findByCode(code);
      if (row && data.recorded) { row.present = true; row.checked_in_at = data.person.checked_in_at; saveRoster(); }
      els.results.replaceChildren();
      refreshCounts();
    }, function (error) {
      if (error && error.offline) { checkinOffline(code); return; }
      showMessage((error && error.message) || T.error, "danger");
    });
  }

  function checkinOffline(code, person) {
    var row = findByCode(code) || person;
    var item = enqueue(code, row && row.name);
    els.results.replaceChildren();
    if (row) {
      els.result.replaceChildren(el("div", { "class": "alert alert-warning", role: "alert" }, [
        personBlock(row), el("div", { "class": "mt-1", text: format(T.savedOffline, { time: timeInZone(item.checked_in_at) }) })
      ]));
    } else {
      showMessage(T.unknownOffline, "warning");
    }
  }

  /* The one entry point for a code: the camera, a hardware scanner typing into the field, a pasted
   * code and a tapped search result all come here. */
  function checkinCode(code, method, person) {
    code = String(code || "").trim().toUpperCase();
    // A QR code holding a URL ends with the registration code.
    var match = code.match(/([A-HJ-NP-Z2-9]{10})\/?$/);
    if (match) code = match[1];
    if (!online) { checkinOffline(code, person); return Promise.resolve(); }
    return record(code, method);
  }
  window.pspCheckinCode = checkinCode;
  // For the browser tests: what this device keeps (the queue, failed items included) and the offline search.
  window.pspCheckin = {
    queue: function () { return loadQueue().then(function () { return queueItems.concat(failedItems); }); },
    searchLocal: searchLocal,
    rosterSize: function () { return roster.length; }
  };

  function search(query) {
    if (CODE_PATTERN.test(query.trim().toUpperCase())) return checkinCode(query, "search");
    if (!online) { showResults(searchLocal(query), T.searchOffline); return Promise.resolve(); }
    return post(config.urls.search, { q: query }).then(function (data) {
      if (!data.ok) { showMessage(data.error || T.error, "danger"); return; }
      showResults(data.results);
    }, function (error) {
      if (error && error.offline) { showResults(searchLocal(query), T.searchOffline); return; }
      showMessage((error && error.message) || T.error, "danger");
    });
  }

  // --- the camera (jsQR from npm, served by the app) ---------------------------------------------

  var stream = null;

  function stopScan() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    els.scanner.hidden = true;
  }

  function scanFrame() {
    if (!stream) return;
    var video = els.video;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      var canvas = els.canvas;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR && window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) {
        stopScan();
        checkinCode(found.data, "qr");
        return;
      }
    }
    requestAnimationFrame(scanFrame);
  }

  function startScan() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { showMessage(T.cameraError, "warning"); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      els.scanner.hidden = false;
      els.video.srcObject = media;
      return els.video.play().then(function () { requestAnimationFrame(scanFrame); });
    }).catch(function () { stopScan(); showMessage(T.cameraError, "warning"); });
  }

  // --- wiring ------------------------------------------------------------------------------------

  els.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = els.query.value;
    if (query.trim().length < 2) return;
    search(query);
  });
  els.scanStart.addEventListener("click", startScan);
  els.scanStop.addEventListener("click", stopScan);
  els.syncNow.addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { setOnline(true); sync(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (queue().length) sync(); }, RETRY_MS);
  // Also notices a server that is reachable again, and keeps the list (and who is present) fresh.
  setInterval(refreshRoster, ROSTER_REFRESH_MS);

  // --- reopening with no network: the service worker and what it keeps ---------------------------

  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !config.urls.worker) return;
    navigator.serviceWorker.register(config.urls.worker, { scope: config.urls.scope }).catch(function () { /* http on a LAN: no worker */ });
    navigator.serviceWorker.ready.then(function (registration) {
      var worker = registration.active;
      if (!worker || !navigator.onLine) return;
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data && event.data.kept >= 1) {
          root.setAttribute("data-offline-ready", "1");
          if (els.offlineReady) els.offlineReady.textContent = T.offlineReady;
        }
      };
      worker.postMessage({ type: "keep", urls: config.keep }, [channel.port2]);
    });
  }

  // Offline, the paper sheet link (an address outside the worker's scope) opens the copy kept here.
  var paperBlob = null;
  function paperFromCache() {
    var link = document.getElementById("paper-pdf");
    if (!link || paperBlob || !window.caches) return;
    caches.match(config.urls.paperPdf, { ignoreVary: true }).then(function (answer) {
      if (!answer) return null;
      return answer.blob().then(function (blob) { paperBlob = URL.createObjectURL(blob); link.href = paperBlob; });
    }).catch(function () { /* nothing kept */ });
  }

  setOnline(online);
  if (!online) paperFromCache();
  window.addEventListener("offline", paperFromCache);
  migrateLocalStorage().then(loadQueue).catch(function () { /* no IndexedDB: the queue lives in memory only */ }).then(function () {
    showQueue();
    return refreshRoster();
  }).then(function () { if (online) sync(); });
  keepForOffline();
})();
