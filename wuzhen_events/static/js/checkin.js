/* The scanning page, improved: camera, scanner and typed codes answered without a page load,
   and answers from this device's copy of the door list while the connection is down.

   The page works without this script (a form that posts and renders the answer). With it:
   - "Start camera" reads badge QR codes (WIC2018:<code>) through the vendored ZXing-C++ reader
     (static/vendor/zxing-wasm/); the same code is ignored for 3 s after its answer, so one look
     at a badge makes one scan.
   - A typed code, or a USB/Bluetooth scanner typing the code and Enter, is sent to scans.json;
     the field is emptied at once and focused again, so the next badge can be scanned.
   - The door list (offline.json: keys, never codes) is kept in localStorage and refreshed while
     online. When a scan cannot reach the server, the answer comes from that list, marked
     offline, and the scan is queued; the queue sends itself when the connection returns, and a
     queued scan leaves it only once the server has recorded it (its nonce makes a resend
     harmless). Nothing to switch on or off.
   Hooks (ids and data attributes) are the scanning page's; the words are in #checkin-texts. */
(function () {
  "use strict";

  var form = document.getElementById("checkin-scan-form");
  var scanner = document.getElementById("checkin-scanner");
  var textsNode = document.getElementById("checkin-texts");
  if (!form || !scanner || !textsNode || !window.fetch || !window.localStorage) {
    return; // the page stays the plain form
  }

  var TEXTS = JSON.parse(textsNode.textContent);
  var STORE = "wic2018-checkin:";
  var FRAME_INTERVAL_MS = 150; // how often a camera frame is decoded
  var SAME_CODE_PAUSE_MS = 3000; // one look at a badge is one scan
  var REQUEST_TIMEOUT_MS = 8000; // past this a scan is answered offline and queued
  var OFFLINE_REFRESH_MS = 3 * 60 * 1000;
  var COUNTS_REFRESH_MS = 30 * 1000;
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60 * 1000;
  var PAYLOAD_PREFIX = "WIC2018:";

  var doorId = form.getAttribute("data-door-id");
  var urls = {
    scans: form.getAttribute("data-scans-url"),
    offline: form.getAttribute("data-offline-url"),
    counts: form.getAttribute("data-counts-url"),
  };
  var codeInput = document.getElementById("checkin-code");
  var deviceInput = document.getElementById("checkin-device");
  var answerBox = document.getElementById("checkin-answer");
  var countsBox = document.getElementById("checkin-counts");
  var statusLine = document.getElementById("checkin-status");
  var timeZone = scanner.getAttribute("data-timezone") || undefined;

  /* ---------- small helpers ---------- */

  /** Fills {name} placeholders (the partial's words) and %(name)s ones (the server's). */
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}|%\((\w+)\)[sd]/g, function (whole, a, b) {
      var name = a || b;
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  /** The server's sentence (offline.json "sentences", in the page's language) when it sends
      one, else the partial's. */
  function sentence(serverKey, ownKey) {
    var sent = doorList && doorList.sentences[serverKey];
    return sent || TEXTS[ownKey || serverKey];
  }

  function readJSON(key, fallback) {
    try {
      var raw = window.localStorage.getItem(STORE + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    try {
      window.localStorage.setItem(STORE + key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // storage full or refused: the page still answers online
    }
  }

  function newNonce() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // Plain http on a LAN address has no randomUUID: an RFC 4122 version 4 UUID by hand.
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function deviceId() {
    var id = readJSON("device", null);
    if (!id) {
      id = newNonce();
      writeJSON("device", id);
    }
    return id;
  }

  function clockTime(date) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: "2-digit", minute: "2-digit", hour12: false, timeZone: timeZone,
      }).format(date);
    } catch (error) {
      return date.toTimeString().slice(0, 5);
    }
  }

  function csrfToken() {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  var CODE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
  var GROUPED = /^(?:[A-Za-z0-9_-]{4}-)+[A-Za-z0-9_-]{1,4}$/;

  /** The code inside a QR payload or a typed code, as the server reads it (checkin/services.py
      normalise_code): white space and the WIC2018: prefix removed, dashes between groups of
      four dropped; anything else is sent as typed, for the server to refuse with its reason. */
  function normaliseCode(raw) {
    var code = String(raw || "").replace(/\s+/g, "");
    if (code.toUpperCase().indexOf(PAYLOAD_PREFIX) === 0) {
      code = code.slice(PAYLOAD_PREFIX.length);
    }
    if (!CODE_SHAPE.test(code) && GROUPED.test(code)) {
      var ungrouped = "";
      for (var i = 0; i < code.length; i += 5) ungrouped += code.slice(i, i + 4);
      if (CODE_SHAPE.test(ungrouped)) return ungrouped;
    }
    return code;
  }

  function direction() {
    var checked = form.querySelector("[name=direction]:checked");
    if (checked) return checked.value;
    var select = form.querySelector("select[name=direction]");
    return select ? select.value : "entry";
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
  }

  function fromHex(text) {
    var bytes = new Uint8Array(text.length / 2);
    for (var i = 0; i < bytes.length; i += 1) {
      bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  var encoder = new TextEncoder();

  /** The door list's key of a code: HMAC-SHA256(salt, sha256 hex of the code), as the server
      makes it from the delegate's stored check-in code hash. */
  function offlineKey(code, saltHex) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || !saltHex) return Promise.resolve(null); // no WebCrypto off https
    return subtle.digest("SHA-256", encoder.encode(code)).then(function (digest) {
      return subtle.importKey("raw", fromHex(saltHex), { name: "HMAC", hash: "SHA-256" }, false,
        ["sign"]).then(function (key) {
        return subtle.sign("HMAC", key, encoder.encode(hex(digest)));
      });
    }).then(hex);
  }

  /* ---------- the door list, kept for offline answers ---------- */

  var doorList = null; // {salt, generated_at, fetched_at, entries: Map key -> entry}

  function useDoorList(stored) {
    if (!stored || !stored.data || !Array.isArray(stored.data.entries)) return;
    var entries = new Map();
    stored.data.entries.forEach(function (entry) { entries.set(entry.key, entry); });
    doorList = {
      salt: stored.data.salt,
      sentences: stored.data.sentences || {},
      fetchedAt: new Date(stored.fetched_at),
      entries: entries,
    };
  }

  function refreshDoorList() {
    if (!navigator.onLine) return Promise.resolve();
    return timedFetch(urls.offline, { credentials: "same-origin",
      headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || !isJSON(response)) return;
        return response.json().then(function (data) {
          var stored = { fetched_at: serverNow().toISOString(), data: data };
          writeJSON("door:" + doorId + ":list", stored);
          useDoorList(stored);
          renderStatus();
        });
      })
      .catch(function () { /* kept list stays in use */ });
  }

  /** Keys of badges admitted at this door on this device, with when: a second look is refused
      offline, as the server would refuse it. */
  function admittedHere() { return readJSON("door:" + doorId + ":admitted", {}); }

  function rememberAdmitted(key, when) {
    if (!key) return;
    var admitted = admittedHere();
    if (!admitted[key]) {
      admitted[key] = when.toISOString();
      writeJSON("door:" + doorId + ":admitted", admitted);
    }
  }

  /* ---------- the queue of scans made offline ---------- */

  function queued() { return readJSON("queue", []); }

  function saveQueue(items) { writeJSON("queue", items); }

  function enqueue(url, body) {
    var items = queued();
    items.push({ url: url, body: body });
    saveQueue(items);
  }

  function dropFromQueue(nonce) {
    saveQueue(queued().filter(function (item) { return item.body.nonce !== nonce; }));
  }

  var flushing = false;
  var retryDelay = RETRY_FIRST_MS;
  var retryTimer = null;
  var refusedByServer = 0;

  function scheduleRetry() {
    if (retryTimer !== null || queued().length === 0) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flushQueue();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  /** Sends the queued scans one by one, oldest first; stops at the first network failure and
      tries again later. A scan the server refuses stays queued and is counted on the page. */
  function flushQueue() {
    if (flushing) return Promise.resolve();
    var items = queued();
    if (items.length === 0) {
      retryDelay = RETRY_FIRST_MS;
      renderStatus();
      return Promise.resolve();
    }
    flushing = true;
    var refused = 0;
    var index = 0;
    function next() {
      if (index >= items.length) return Promise.resolve(true);
      var item = items[index];
      index += 1;
      return postScan(item.url, item.body).then(function (result) {
        if (result.recorded) {
          dropFromQueue(item.body.nonce);
          if (result.data && result.data.counts && item.url === urls.scans) {
            renderCounts(result.data.counts);
          }
        } else {
          refused += 1;
        }
        renderStatus();
        return next();
      }, function () {
        return false; // the network is still down
      });
    }
    return next().then(function (reachedEnd) {
      flushing = false;
      refusedByServer = refused;
      if (reachedEnd && refused === 0) retryDelay = RETRY_FIRST_MS;
      renderStatus();
      scheduleRetry();
    });
  }

  /* ---------- talking to the server ---------- */

  function isJSON(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  /* The device's clock may be minutes wrong: scans are timed by the server's clock, as its last
     answer told it (X-Server-Time), online and offline. A shift under CLOCK_NOISE_MS is left
     alone, so scans made one after the other keep their order. */
  var CLOCK_NOISE_MS = 2000;
  var clockOffset = Number(readJSON("clock-offset", 0)) || 0;

  function noteServerClock(response) {
    var served = Date.parse(response.headers.get("X-Server-Time") || "");
    if (isNaN(served)) return;
    var offset = served - Date.now();
    if (Math.abs(offset - clockOffset) < CLOCK_NOISE_MS) return;
    clockOffset = offset;
    writeJSON("clock-offset", offset);
  }

  function serverNow() { return new Date(Date.now() + clockOffset); }

  function timedFetch(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = null;
    if (controller) {
      options.signal = controller.signal;
      timer = window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    }
    return window.fetch(url, options).then(function (response) {
      window.clearTimeout(timer);
      noteServerClock(response);
      return response;
    }, function (error) {
      window.clearTimeout(timer);
      throw error;
    });
  }

  /** Resolves {recorded, status, data} when the server answered, rejects when it could not be
      reached (or answered as an unreachable database does, 502-504): then the scan is queued. */
  function postScan(url, body) {
    return timedFetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a lapsed sign-in answers a redirect: reported, not followed
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.status >= 502 && response.status <= 504) {
        throw new Error("server unreachable: " + response.status);
      }
      var recorded = response.status === 201 || response.status === 200;
      if (!isJSON(response)) {
        return { recorded: false, status: response.status, data: null };
      }
      return response.json().then(function (data) {
        return { recorded: recorded && !!data.answer, status: response.status, data: data };
      });
    });
  }

  /* ---------- the answer panel, counts and status line ---------- */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function renderCounts(counts) {
    if (!countsBox || !counts) return;
    ["admitted", "expected", "seats_left"].forEach(function (name) {
      var node = countsBox.querySelector("[data-count='" + name + "']");
      if (node && counts[name] !== undefined && counts[name] !== null) {
        node.textContent = Number(counts[name]).toLocaleString(document.documentElement.lang);
      }
    });
  }

  /** An offline admission counts at once; the server's counts replace it once it is sent. */
  function countOneMore(name) {
    var node = countsBox && countsBox.querySelector("[data-count='" + name + "']");
    var value = node ? parseInt(node.textContent.replace(/\D/g, ""), 10) : NaN;
    if (!isNaN(value)) {
      node.textContent = (value + 1).toLocaleString(document.documentElement.lang);
    }
  }

  function clockOf(value) {
    return /T/.test(value || "") ? clockTime(new Date(value)) : value || "";
  }

  /** Renders an answer as the page renders one without the script (dashboard/checkin/door.html):
      `kind` is admitted, refused, warning or exit; colour and words both say it. */
  function renderAnswer(kind, answer, notes) {
    var verdict = {
      admitted: sentence("admitted"), refused: sentence("refused"), warning: sentence("warning"),
      exit: TEXTS.exit,
    };
    var parts = [element("p", "checkin-verdict", verdict[kind])];
    if (answer.message) parts.push(element("p", "checkin-message", answer.message));
    (notes || []).forEach(function (line) { parts.push(element("p", "checkin-note", line)); });
    var person = answer.delegate;
    if (person) {
      var name = element("p", "checkin-name", person.name);
      if (person.name_zh) {
        var zh = element("span", null, person.name_zh);
        zh.lang = "zh";
        name.appendChild(document.createTextNode(" "));
        name.appendChild(zh);
      }
      parts.push(name);
      parts.push(element("p", null, [person.organisation, person.category].filter(Boolean)
        .join(" · ")));
    }
    if (answer.seats && answer.seats.length) {
      var list = element("ul", "checkin-seats");
      answer.seats.forEach(function (seat) {
        var when = clockOf(seat.starts_at) + "–" + clockOf(seat.ends_at);
        list.appendChild(element("li", null, [seat.title, seat.hall, when].filter(Boolean)
          .join(TEXTS.separator)));
      });
      parts.push(list);
    }
    answerBox.className = "checkin-answer is-" + kind;
    answerBox.replaceChildren.apply(answerBox, parts);
    answerBox.setAttribute("data-answer", kind);
  }

  function renderStatus() {
    if (!statusLine) return;
    var parts = [navigator.onLine ? TEXTS.online : TEXTS.offline];
    parts.push(format(TEXTS.waiting, { count: queued().length }));
    if (refusedByServer) parts.push(format(TEXTS.not_taken, { count: refusedByServer }));
    if (doorList) {
      parts.push(format(TEXTS.list_saved, {
        time: clockTime(doorList.fetchedAt), count: doorList.entries.size,
      }));
    } else {
      parts.push(TEXTS.no_list);
    }
    statusLine.textContent = parts.join(" · ");
    statusLine.setAttribute("data-waiting", String(queued().length));
    statusLine.setAttribute("data-list", doorList ? "saved" : "none");
  }

  /* ---------- one scan, from the camera, a scanner or a typed code ---------- */

  function kindOf(answer, data, body) {
    if (body.direction === "exit" && answer.admitted) return "exit";
    if (!answer.admitted) return "refused";
    if (answer.reason || (data && data.conflict)) return "warning";
    return "admitted";
  }

  function answerOnline(result, body, code) {
    var data = result.data || {};
    if (!result.recorded) {
      var message = (data.error && (data.error.message || data.error)) || data.message ||
        (result.status === 0 || (result.status >= 300 && result.status < 400) ||
          result.status === 401 || result.status === 403 ? TEXTS.signed_out : TEXTS.not_recorded);
      renderAnswer("refused", { message: String(message) });
      return;
    }
    var answer = data.answer;
    var notes = [];
    if (data.duplicate) notes.push(TEXTS.duplicate);
    if (data.conflict) notes.push(sentence("conflict"));
    renderAnswer(kindOf(answer, data, body), answer, notes);
    renderCounts(data.counts);
    if (answer.admitted && body.direction === "entry" && doorList) {
      offlineKey(code, doorList.salt).then(function (key) {
        rememberAdmitted(key, serverNow());
      });
    }
  }

  function answerOffline(body, code) {
    var now = serverNow();
    var marked = [sentence("offline", "offline_note")];
    if (!doorList) {
      body.offline_answer = null;
      enqueue(urls.scans, body);
      renderAnswer("warning", { message: TEXTS.no_list_answer }, marked);
      return Promise.resolve();
    }
    return offlineKey(code, doorList.salt).then(function (key) {
      var entry = key ? doorList.entries.get(key) : undefined;
      var answer;
      var kind;
      if (!key) {
        answer = { message: TEXTS.no_crypto };
        kind = "warning";
        body.offline_answer = null;
      } else if (!entry) {
        answer = { message: sentence("unknown_code") };
        kind = "refused";
        body.offline_answer = "refused";
      } else {
        answer = {
          message: entry.message,
          delegate: {
            name: entry.name, name_zh: entry.name_zh,
            organisation: entry.organisation, category: entry.category,
          },
          seats: entry.seats,
        };
        var before = admittedHere()[key];
        if (body.direction !== "entry") {
          kind = "exit";
          answer.message = TEXTS.exit_recorded;
          body.offline_answer = null;
        } else if (!entry.admitted) {
          kind = "refused";
          body.offline_answer = "refused";
        } else if (before) {
          kind = "refused";
          answer.message = format(sentence("already_here"), { time: clockTime(new Date(before)) });
          body.offline_answer = "refused";
        } else {
          kind = "admitted";
          body.offline_answer = "admitted";
          rememberAdmitted(key, now);
          countOneMore("admitted");
        }
      }
      enqueue(urls.scans, body);
      renderAnswer(kind, answer, marked);
    });
  }

  var lastCode = null;
  var lastAnsweredAt = 0;
  var busy = Promise.resolve();
  var timings = [];

  /** Records the timings of a camera scan for the benchmark (benchmarks/checkin_camera.py). */
  function measure(marks) {
    if (!marks || !window.performance || !performance.measure) return;
    var rendered = performance.now();
    var timing = {
      captured_to_answer: rendered - marks.captured,
      decoded_to_answer: rendered - marks.decoded,
      decode: marks.decoded - marks.captured,
    };
    try {
      performance.measure("checkin-frame-to-answer", { start: marks.captured, end: rendered });
      performance.measure("checkin-decode-to-answer", { start: marks.decoded, end: rendered });
    } catch (error) { /* older browsers: the numbers below still count */ }
    timings.push(timing);
  }

  function scan(rawCode, marks) {
    var code = normaliseCode(rawCode);
    if (!code) return Promise.resolve();
    var body = {
      code: code,
      nonce: newNonce(),
      direction: direction(),
      device: deviceInput ? deviceInput.value : deviceId(),
      scanned_at: serverNow().toISOString(),
      offline: false,
      offline_answer: null,
    };
    var answered;
    if (!navigator.onLine) {
      body.offline = true;
      answered = answerOffline(body, code);
    } else {
      answered = postScan(urls.scans, body).then(function (result) {
        answerOnline(result, body, code);
        flushQueue(); // the connection works: send what waits
      }, function () {
        body.offline = true;
        return answerOffline(body, code);
      });
    }
    return answered.then(function () {
      measure(marks);
      lastCode = code;
      lastAnsweredAt = Date.now();
      renderStatus();
      if (!navigator.onLine || queued().length) scheduleRetry();
    });
  }

  /** Scans are answered one after the other, in the order they were made. */
  function enqueueScan(rawCode, marks) {
    busy = busy.then(function () { return scan(rawCode, marks); }).catch(function () {
      renderAnswer("refused", { message: TEXTS.not_recorded });
    });
    return busy;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var raw = codeInput.value;
    codeInput.value = ""; // a scanner may type the next badge while this one is answered
    enqueueScan(raw).then(function () { codeInput.focus(); });
  });

  /* ---------- the camera ---------- */

  var camera = {
    start: scanner.querySelector("[data-camera-start]"),
    stop: scanner.querySelector("[data-camera-stop]"),
    video: scanner.querySelector("[data-camera-video]"),
    message: scanner.querySelector("[data-camera-message]"),
    stream: null,
    timer: null,
    canvas: document.createElement("canvas"),
    reader: null,
  };

  function cameraMessage(text) {
    camera.message.textContent = text || "";
    camera.message.hidden = !text;
  }

  /** The reader script is loaded on the first start only: 1 MB a door without camera never needs. */
  function loadReader() {
    if (camera.reader) return camera.reader;
    camera.reader = new Promise(function (resolve, reject) {
      if (window.ZXingWASM) {
        resolve(window.ZXingWASM);
        return;
      }
      var script = document.createElement("script");
      script.src = scanner.getAttribute("data-reader-script");
      script.onload = function () { resolve(window.ZXingWASM); };
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function (zxing) {
      var wasm = scanner.getAttribute("data-reader-wasm");
      zxing.prepareZXingModule({
        overrides: {
          locateFile: function (path, prefix) {
            return /\.wasm$/.test(path) ? wasm : prefix + path;
          },
        },
        fireImmediately: true,
      });
      return zxing;
    });
    camera.reader.catch(function () { camera.reader = null; });
    return camera.reader;
  }

  var READER_OPTIONS = { formats: ["QRCode"], maxNumberOfSymbols: 1, tryHarder: true };

  function decodeFrame(zxing) {
    var video = camera.video;
    if (!camera.stream) return;
    var started = performance.now();
    var next = function () {
      if (!camera.stream) return;
      var wait = Math.max(0, FRAME_INTERVAL_MS - (performance.now() - started));
      camera.timer = window.setTimeout(function () { decodeFrame(zxing); }, wait);
    };
    if (video.readyState < 2 || !video.videoWidth) {
      next();
      return;
    }
    // Frames larger than 960 px are scaled down: a badge fills much of the view anyway.
    var scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight));
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    camera.canvas.width = width;
    camera.canvas.height = height;
    var context = camera.canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var captured = performance.now();
    var image = context.getImageData(0, 0, width, height);
    zxing.readBarcodes(image, READER_OPTIONS).then(function (results) {
      var decoded = performance.now();
      var text = results.length && results[0].isValid ? results[0].text : "";
      if (!text) return null;
      if (text.toUpperCase().indexOf(PAYLOAD_PREFIX) !== 0) {
        cameraMessage(sentence("not_a_code", "not_a_badge"));
        return null;
      }
      var code = normaliseCode(text);
      if (code === lastCode && Date.now() - lastAnsweredAt < SAME_CODE_PAUSE_MS) return null;
      cameraMessage("");
      lastCode = code; // a second frame of this badge before the answer is not a second scan
      lastAnsweredAt = Date.now() + REQUEST_TIMEOUT_MS;
      return enqueueScan(text, { captured: captured, decoded: decoded });
    }).catch(function () { /* an unreadable frame: the next one is tried */ }).then(next);
  }

  function stopCamera() {
    if (camera.stream) {
      camera.stream.getTracks().forEach(function (track) { track.stop(); });
    }
    camera.stream = null;
    window.clearTimeout(camera.timer);
    camera.video.srcObject = null;
    camera.video.hidden = true;
    camera.stop.hidden = true;
    camera.start.hidden = false;
  }

  function cameraRefusal(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return TEXTS.camera_refused;
    if (name === "NotFoundError" || name === "OverconstrainedError" ||
        name === "NotReadableError") return TEXTS.camera_missing;
    return TEXTS.camera_failed;
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraMessage(TEXTS.camera_unsupported);
      return;
    }
    camera.start.disabled = true;
    cameraMessage(TEXTS.camera_starting);
    Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
      loadReader(),
    ]).then(function (ready) {
      camera.stream = ready[0];
      camera.video.srcObject = camera.stream;
      camera.video.hidden = false;
      camera.start.hidden = true;
      camera.stop.hidden = false;
      cameraMessage(TEXTS.camera_ready);
      return camera.video.play().then(function () { decodeFrame(ready[1]); });
    }).catch(function (error) {
      stopCamera();
      cameraMessage(cameraRefusal(error));
    }).then(function () {
      camera.start.disabled = false;
    });
  }

  camera.start.addEventListener("click", startCamera);
  camera.stop.addEventListener("click", function () {
    stopCamera();
    cameraMessage("");
    codeInput.focus();
  });
  window.addEventListener("pagehide", stopCamera);

  /* ---------- start ---------- */

  if (deviceInput) deviceInput.value = deviceId();
  useDoorList(readJSON("door:" + doorId + ":list", null));
  scanner.hidden = false;
  renderStatus();
  refreshDoorList().then(flushQueue);

  window.addEventListener("online", function () {
    retryDelay = RETRY_FIRST_MS;
    renderStatus();
    refreshDoorList();
    flushQueue();
  });
  window.addEventListener("offline", renderStatus);
  window.setInterval(refreshDoorList, OFFLINE_REFRESH_MS);
  window.setInterval(function () {
    if (!navigator.onLine || !urls.counts) return;
    timedFetch(urls.counts, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.ok && isJSON(response)) return response.json().then(renderCounts);
      })
      .catch(function () { /* the next refresh tries again */ });
  }, COUNTS_REFRESH_MS);

  // Read by the browser tests and the benchmark: what waits, and the camera timings.
  window.wicCheckin = {
    waiting: function () { return queued().length; },
    timings: timings,
    offlineKey: offlineKey,
    normaliseCode: normaliseCode,
  };
})();
