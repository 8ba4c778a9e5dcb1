/* Performing an inspection on a phone: nothing typed is lost.

   Every answer, photo and signature is first written to an outbox in IndexedDB (database
   "anquan-inspections", store "outbox"), then sent to the task API in the order it was made,
   when the phone is online and the session allows. Each record carries a client_id (UUID) made
   on the phone, so a record sent twice (response lost, page reloaded, signed in again) is stored
   once by the server.

   - offline / network error / 5xx: the record stays "pending"; retried on the "online" event,
     every 10 s, and on the next page load;
   - 401 / 403 / a redirect to the login page (session expired): the record stays pending and a
     banner offers "重新登录" (/login/?next=this page); after signing in the page replays the outbox;
   - 404 / 409 / 422 (the server refuses this record): it is marked "rejected" and listed with the
     server's Chinese message; it is not retried.
   The CSRF token is read from the cookie at send time (it changes after a new sign-in). Records
   are tagged with the user who made them: another user signing in on the same phone does not
   send them under their name. Sent records stay in the store (the photo/signature Blob dropped),
   so the bar can say "已保存在本机 N 条"; they are cleared when the task is completed. */
(function () {
  "use strict";
  const root = document.getElementById("perform");
  if (!root) return;
  const TASK = Number(root.dataset.inspection);
  const USER = Number(root.dataset.user);
  const API = "/api/v1/inspections/" + TASK;
  const DB_NAME = "anquan-inspections";
  const STORE = "outbox";
  const RESULT_LABEL = { conform: "符合", nonconform: "不符合", na: "不适用" };

  let server = JSON.parse(document.getElementById("task-data").textContent);
  const answerIds = {};
  let entries = [];
  let flushing = false;
  let inflight = null;
  let authLost = false;

  // ------------------------------------------------------------------ IndexedDB

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  const dbReady = new Promise(function (resolve, reject) {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () {
      const store = open.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      store.createIndex("task", "task");
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
  function store(mode) {
    return dbReady.then(function (db) { return db.transaction(STORE, mode).objectStore(STORE); });
  }
  async function loadEntries() {
    const s = await store("readonly");
    entries = (await request(s.index("task").getAll(TASK))).sort(function (a, b) { return a.seq - b.seq; });
    return entries;
  }
  async function save(entry) {
    const s = await store("readwrite");
    entry.seq = await request(s.put(entry));
    return entry;
  }
  async function clearTask() {
    const s = await store("readwrite");
    const keys = await request(s.index("task").getAllKeys(TASK));
    const s2 = await store("readwrite");
    await Promise.all(keys.map(function (k) { return request(s2.delete(k)); }));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function dataUrl(blob) {
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  // ------------------------------------------------------------------ the outbox

  async function enqueue(kind, key, body, blob) {
    // An answer not yet sent is replaced by the newer one (same item), never sent twice.
    if (kind === "answer") {
      const waiting = entries.find(function (e) {
        return e.kind === "answer" && e.key === key && e.state === "pending" && e.user === USER && e.seq !== inflight;
      });
      if (waiting) {
        waiting.body = body;
        await save(waiting);
        changed();
        return waiting;
      }
    }
    const entry = { task: TASK, user: USER, kind: kind, key: key, body: body, blob: blob || null, state: "pending", at: Date.now() };
    await save(entry);
    entries.push(entry);
    changed();
    return entry;
  }

  function changed() {
    renderStatus();
    flush();
  }

  async function send(entry) {
    let url = API + "/signatures";
    let method = "POST";
    const body = Object.assign({}, entry.body);
    if (entry.kind === "answer") {
      url = API + "/answers";
      method = "PUT";
    } else if (entry.kind === "photo") {
      const id = answerIds[entry.key];
      if (!id) return "skip";  // its answer is not on the server yet
      url = API + "/answers/" + id + "/photos";
      body.photo = await dataUrl(entry.blob);
    } else if (entry.blob) {
      body.image = await dataUrl(entry.blob);
    }
    let response;
    try {
      response = await fetch(url, {
        method: method, credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body),
      });
    } catch (err) {
      setOnline(false);
      return "stop";
    }
    setOnline(true);
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      showRelogin(true);
      return "stop";
    }
    if (response.status >= 500 || response.status === 0) return "stop";
    let data = {};
    try { data = await response.json(); } catch (err) { data = {}; }
    if (response.ok) {
      entry.state = "sent";
      entry.blob = null;
      entry.serverId = data.id;
      if (entry.kind === "answer") answerIds[entry.key] = data.id;
      await save(entry);
      return "ok";
    }
    let message = data.detail || ("HTTP " + response.status);
    if (data.errors) message += "：" + Object.values(data.errors).flat().join("；");
    entry.state = "rejected";
    entry.error = message;
    await save(entry);
    return "ok";
  }

  async function flush() {
    if (flushing || authLost) return;
    flushing = true;
    let sentSome = false;
    try {
      const pending = entries.filter(function (e) { return e.state === "pending" && e.user === USER; });
      for (const entry of pending) {
        inflight = entry.seq;
        const outcome = await send(entry);
        inflight = null;
        if (outcome === "stop") break;
        if (outcome === "ok") sentSome = true;
        renderStatus();
      }
    } finally {
      flushing = false;
      inflight = null;
      renderStatus();
    }
    if (sentSome) refresh();
  }

  async function refresh() {
    // Answers recorded by the other inspectors (their own phones) appear here too.
    try {
      const response = await fetch(API, { credentials: "same-origin", redirect: "manual", headers: { "Accept": "application/json" } });
      if (!response.ok) return;
      server = await response.json();
      renderAll();
    } catch (err) { /* offline: keep what is shown */ }
  }

  // ------------------------------------------------------------------ rendering

  function pendingCount() { return entries.filter(function (e) { return e.state === "pending" && e.user === USER; }).length; }

  function renderStatus() {
    const mine = entries.filter(function (e) { return e.user === USER; });
    const pending = pendingCount();
    const status = document.getElementById("sync-status");
    if (!mine.length) status.textContent = "本机尚无记录";
    else if (pending) status.textContent = "已保存在本机 " + mine.length + " 条，待上传 " + pending + " 条";
    else status.textContent = "已保存在本机 " + mine.length + " 条，已全部上传";
    const others = entries.filter(function (e) { return e.user !== USER && e.state === "pending"; }).length;
    if (others) status.textContent += "（另有其他账号的 " + others + " 条，需该账号登录后上传）";
    const rejected = entries.filter(function (e) { return e.state === "rejected" && e.user === USER; });
    const box = document.getElementById("rejected-box");
    box.classList.toggle("d-none", !rejected.length);
    document.getElementById("rejected-list").replaceChildren.apply(document.getElementById("rejected-list"), rejected.map(function (e) {
      const li = document.createElement("li");
      li.textContent = describe(e) + "：" + e.error;
      return li;
    }));
  }

  function describe(entry) {
    if (entry.kind === "answer") {
      const card = cardOf(entry.key);
      return "第" + (card ? card.dataset.number : "?") + "项检查结果";
    }
    if (entry.kind === "photo") return "照片";
    return "签字";
  }

  function setOnline(online) {
    const badge = document.getElementById("net-state");
    badge.textContent = online ? "在线" : "离线";
    badge.className = "badge " + (online ? "text-bg-success" : "text-bg-secondary");
  }

  function showRelogin(show) {
    authLost = show;
    document.getElementById("relogin-banner").classList.toggle("d-none", !show);
  }

  function cardOf(key) {
    const parts = key.split(":");
    return document.getElementById("item-" + parts[0] + "-" + parts[1]);
  }

  function latestLocal(key) {
    let found = null;
    entries.forEach(function (e) { if (e.kind === "answer" && e.key === key && e.state !== "rejected" && e.user === USER) found = e; });
    return found;
  }

  function renderCard(card) {
    const key = card.dataset.part + ":" + card.dataset.item;
    const remote = server.answers.find(function (a) { return a.part_id + ":" + a.item_id === key; });
    if (remote) answerIds[key] = answerIds[key] || remote.id;
    const local = latestLocal(key);
    // The newest wins: a local record not yet on the server, or the server's (maybe another inspector's).
    const useLocal = local && (local.state === "pending" || !remote || (remote.client_id === local.body.client_id));
    const shown = useLocal ? local.body : remote;
    const result = shown ? shown.result : "";
    card.dataset.result = result;
    card.classList.remove("is-conform", "is-nonconform", "is-na");
    if (result) card.classList.add("is-" + result);
    card.querySelectorAll("[data-result]").forEach(function (b) {
      const on = b.dataset.result === result;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("active", on);
    });
    card.querySelector(".insp-hazard").classList.toggle("d-none", result !== "nonconform");
    if (shown) {
      card.querySelectorAll("[data-field]").forEach(function (field) {
        if (document.activeElement === field) return;
        const value = shown[field.dataset.field];
        if (field.dataset.field === "hazard_level" && !value) return;
        field.value = value === null || value === undefined ? "" : value;
      });
    }
    const by = card.querySelector(".insp-by");
    if (local && local.state === "pending") by.textContent = "已保存在本机，待上传";
    else if (remote && !useLocal) by.textContent = remote.answered_by + " 已记录：" + RESULT_LABEL[remote.result];
    else if (remote) by.textContent = "已上传";
    else by.textContent = "";
    const thumbs = card.querySelector(".insp-thumbs");
    thumbs.replaceChildren();
    (remote ? remote.photos : []).forEach(function (p) {
      const img = document.createElement("img");
      img.src = p.url; img.alt = "已上传的照片"; img.dataset.uploaded = "1";
      thumbs.appendChild(img);
    });
    entries.forEach(function (e) {
      if (e.kind !== "photo" || e.key !== key || e.user !== USER || !e.blob) return;
      const img = document.createElement("img");
      img.src = URL.createObjectURL(e.blob); img.alt = "待上传的照片"; img.className = "is-pending";
      thumbs.appendChild(img);
    });
  }

  function renderSignatures() {
    document.querySelectorAll(".insp-sign").forEach(function (box) {
      const kind = box.dataset.signer;
      const person = Number(box.dataset.person || 0);
      const match = function (s) { return s.signer_kind === kind && (kind !== "inspector" || s.person_id === person); };
      const remote = server.signatures.find(match);
      const local = entries.find(function (e) { return e.kind === "signature" && e.state !== "rejected" && match(e.body); });
      const state = box.querySelector(".insp-sign-state");
      const signed = remote || local;
      box.classList.toggle("is-signed", !!signed);
      if (!signed) { state.textContent = "未签字"; return; }
      const refused = (remote || local.body).refused;
      const pending = !remote && local.state === "pending";
      state.textContent = (refused ? "已记录拒签" : "已签字") + (pending ? "（待上传）" : "");
      state.className = "insp-sign-state badge " + (refused ? "text-bg-danger" : "text-bg-success");
    });
  }

  function renderAll() {
    document.querySelectorAll(".insp-item").forEach(renderCard);
    renderSignatures();
    renderStatus();
  }

  // ------------------------------------------------------------------ answering

  function answerBody(card, result) {
    const body = { client_id: uuid(), part: Number(card.dataset.part), item: Number(card.dataset.item), result: result };
    card.querySelectorAll("[data-field]").forEach(function (field) {
      let value = field.value.trim();
      if (field.dataset.field === "rectify_days") value = value ? Number(value) : null;
      body[field.dataset.field] = value;
    });
    if (card.dataset.major === "1") body.hazard_level = "major";
    return body;
  }

  async function record(card, result) {
    const key = card.dataset.part + ":" + card.dataset.item;
    card.dataset.result = result;
    await enqueue("answer", key, answerBody(card, result));
    renderCard(card);
  }

  document.querySelectorAll(".insp-item").forEach(function (card) {
    card.querySelectorAll("[data-result]").forEach(function (button) {
      button.addEventListener("click", function () { record(card, button.dataset.result); });
    });
    card.querySelectorAll("[data-field]").forEach(function (field) {
      field.addEventListener("change", function () { if (card.dataset.result) record(card, card.dataset.result); });
    });
    card.querySelector("[data-photo]").addEventListener("change", async function (event) {
      const key = card.dataset.part + ":" + card.dataset.item;
      if (!card.dataset.result) {  // a photo belongs to an answer: choose the result first
        card.querySelector(".insp-by").textContent = "请先选择检查结果，再拍照";
        event.target.value = "";
        return;
      }
      for (const file of Array.from(event.target.files || [])) {
        await enqueue("photo", key, { client_id: uuid() }, file);
      }
      event.target.value = "";
      renderCard(card);
    });
  });

  // ------------------------------------------------------------------ signatures

  document.querySelectorAll(".insp-sign").forEach(function (box) {
    const canvas = box.querySelector("canvas");
    const pad = window.AnquanSignaturePad(canvas);
    box.querySelector("[data-clear]").addEventListener("click", function () { pad.clear(); });
    box.querySelector("[data-sign]").addEventListener("click", async function () {
      const error = document.getElementById("rep-error");
      if (pad.isEmpty()) {
        if (box.dataset.signer === "representative") error.textContent = "请先在签字框内签名";
        else alert("请先在签字框内签名");
        return;
      }
      const body = { client_id: uuid(), signer_kind: box.dataset.signer };
      if (box.dataset.signer === "inspector") {
        body.person = Number(box.dataset.person);
      } else {
        body.name = document.getElementById("rep-name").value.trim();
        body.post = document.getElementById("rep-post").value.trim();
        if (!body.name) { error.textContent = "请填写被检查单位代表的姓名"; return; }
        error.textContent = "";
      }
      const blob = await pad.toBlob();
      await enqueue("signature", box.dataset.signer + ":" + (body.person || "rep"), body, blob);
      renderSignatures();
    });
  });
  document.getElementById("rep-refused").addEventListener("change", function (event) {
    document.getElementById("refusal-box").classList.toggle("d-none", !event.target.checked);
  });
  document.getElementById("record-refusal").addEventListener("click", async function () {
    const error = document.getElementById("rep-error");
    const body = {
      client_id: uuid(), signer_kind: "representative", refused: true,
      name: document.getElementById("rep-name").value.trim(), post: document.getElementById("rep-post").value.trim(),
      note: document.getElementById("refusal-note").value.trim(),
    };
    if (!body.name) { error.textContent = "请填写被检查单位代表的姓名"; return; }
    if (!body.note) { error.textContent = "请写明拒签情况"; return; }
    error.textContent = "";
    await enqueue("signature", "representative:rep", body, null);
    renderSignatures();
  });

  // ------------------------------------------------------------------ completion

  document.getElementById("complete-btn").addEventListener("click", async function () {
    const box = document.getElementById("complete-errors");
    const show = function (lines) {
      box.replaceChildren.apply(box, lines.map(function (line) { const d = document.createElement("div"); d.textContent = line; return d; }));
      box.classList.toggle("d-none", !lines.length);
    };
    await flush();
    if (pendingCount()) {
      show(["还有 " + pendingCount() + " 条记录待上传，请在有网络时上传后再完成检查"]);
      return;
    }
    try {
      const current = await fetch(API, { credentials: "same-origin", redirect: "manual", headers: { "Accept": "application/json" } });
      if (current.status === 401 || current.status === 403 || current.type === "opaqueredirect") { showRelogin(true); return; }
      const task = await current.json();
      const response = await fetch(API + "/complete", {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({
          version: task.version, place: document.getElementById("c-place").value.trim(),
          summary: document.getElementById("c-summary").value.trim(), handling: document.getElementById("c-handling").value.trim(),
        }),
      });
      if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") { showRelogin(true); return; }
      const data = await response.json();
      if (response.ok) {
        await clearTask();
        window.location.href = root.dataset.detailUrl;
        return;
      }
      show([data.detail].concat(data.errors ? Object.values(data.errors).flat() : []));
    } catch (err) {
      setOnline(false);
      show(["当前无网络，完成检查需要联网；已填写的内容都保存在本机"]);
    }
  });

  // ------------------------------------------------------------------ start

  document.getElementById("sync-now").addEventListener("click", function () { authLost = false; flush(); });
  window.addEventListener("online", function () { setOnline(true); flush(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (pendingCount()) flush(); }, 10000);
  setOnline(navigator.onLine);
  loadEntries().then(function () {
    entries.forEach(function (e) { if (e.kind === "answer" && e.serverId && e.user === USER) answerIds[e.key] = e.serverId; });
    renderAll();
    flush();
  }).catch(function () {
    // No IndexedDB (e.g. a private window): say so plainly; nothing can be kept on this phone.
    document.getElementById("sync-status").textContent = "本机存储不可用（可能是无痕模式），离线时填写的内容无法保存，请使用普通模式打开";
    document.getElementById("sync-bar").classList.add("border-danger");
  });
})();
