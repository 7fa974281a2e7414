// The sensorcast dashboard: one card per channel with a live uPlot chart.
// Plain script, no build step, nothing from the internet (README "The dashboard and the API").
"use strict";
(function () {

  const WINDOWS = { "5m": 300, "1h": 3600, "24h": 86400, "7d": 604800 };
  const RAW = { "5m": true, "1h": true, "24h": false, "7d": false };
  // Points per chart: about one per pixel of a wide card. The server decimates history to this
  // (min/max per bucket), and live samples are compacted back to it when they reach twice as many,
  // so a chart never holds more than 2 * TARGET points however long the page stays open.
  const TARGET = 1000;
  const PREFS_KEY = "sensorcast.dashboard.v1";
  const HEALTH_PERIOD_MS = 10000;

  const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  const channels = new Map();   // id -> channel state, in hello order
  // redraws: canvas draws of every chart (uPlot's draw hook), for tests that check what is drawn.
  const stats = { flushes: 0, flushMsTotal: 0, flushMsMax: 0, samples: 0, refills: 0, refilledPoints: 0, redraws: 0 };
  let prefs = loadPrefs();
  let ws = null;
  let attempt = 0;              // failed connects in a row, for the backoff
  let everConnected = false;
  let frameRequested = false;
  let generation = 0;           // bumps when the window changes: late history answers are dropped
  let locked = false;           // the login form shows: no reconnects until the token is given

  // ---- preferences (window, hidden, order, groups), remembered in localStorage ----

  function loadPrefs() {
    const fallback = { window: "5m", hidden: [], order: [], groups: {} };
    try {
      const p = JSON.parse(localStorage.getItem(PREFS_KEY));
      if (p && WINDOWS[p.window]) {
        return Object.assign(fallback, p);
      }
    } catch (e) { /* storage off or corrupt: defaults */ }
    return fallback;
  }

  function savePrefs() {
    try { localStorage.setItem(PREFS_KEY, JSON.stringify(prefs)); } catch (e) { /* private mode */ }
  }

  function visible(id) { return !prefs.hidden.includes(id); }

  function orderedIds() {
    const ids = [...channels.keys()];
    const rank = (id) => { const i = prefs.order.indexOf(id); return i < 0 ? prefs.order.length + ids.indexOf(id) : i; };
    return ids.sort((a, b) => rank(a) - rank(b));
  }

  // ---- formatting in the browser's locale ----

  function fmtValue(v, unit) {
    if (v == null || !Number.isFinite(v)) return "–";
    return numberFormat.format(v) + (unit ? "\u202f" + unit : "");
  }

  function timeFormat(win) {
    if (win === "5m") return new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    if (win === "7d") return new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
    return new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  }

  function fmtUptime(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    const unit = (n, u) => new Intl.NumberFormat(undefined, { style: "unit", unit: u, unitDisplay: "narrow" }).format(n);
    if (d > 0) return unit(d, "day") + " " + unit(h, "hour");
    if (h > 0) return unit(h, "hour") + " " + unit(m, "minute");
    return unit(m, "minute") + " " + unit(Math.floor(s % 60), "second");
  }

  // ---- cards ----

  function card(ch) {
    const el = document.createElement("article");
    el.className = "card";
    el.dataset.channel = ch.id;
    el.setAttribute("aria-labelledby", "title-" + ch.id);
    el.innerHTML =
      '<header><h3></h3><span class="value"></span></header>' +
      '<div class="meta"><span class="state" aria-live="polite"></span>' +
      '<span class="missed" hidden></span><span class="range"></span></div>' +
      '<p class="message" role="alert"></p>' +
      '<div class="chart" role="img"></div>';
    el.querySelector("h3").id = "title-" + ch.id;
    el.querySelector("h3").textContent = ch.name;
    ch.el = el;
    ch.valueEl = el.querySelector(".value");
    ch.stateEl = el.querySelector(".state");
    ch.rangeEl = el.querySelector(".range");
    ch.missedEl = el.querySelector(".missed");
    ch.messageEl = el.querySelector(".message");
    ch.chartEl = el.querySelector(".chart");
    ch.resize = new ResizeObserver(() => {
      if (ch.plot && ch.chartEl.clientWidth > 0) ch.plot.setSize(plotSize(ch));
    });
    ch.resize.observe(ch.chartEl);
  }

  function showState(ch) {
    ch.el.dataset.state = ch.state;
    ch.stateEl.textContent = ch.state;
    ch.messageEl.textContent = ch.state === "ok" ? "" : (ch.message || "");
  }

  function showValue(ch) {
    ch.valueEl.textContent = fmtValue(ch.latest ? ch.latest.v : null, ch.unit);
    if (ch.latest) ch.valueEl.title = new Date(ch.latest.t).toLocaleString();
  }

  // Min and max over what the chart shows: raw values, or the minutes' extremes.
  function showRange(ch) {
    const d = ch.data;
    const lows = d[1];
    const highs = d.length === 2 ? d[1] : d[3];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < lows.length; i++) { if (lows[i] < lo) lo = lows[i]; if (highs[i] > hi) hi = highs[i]; }
    ch.rangeEl.textContent = lows.length ? "min " + fmtValue(lo, ch.unit) + " · max " + fmtValue(hi, ch.unit) : "no data yet";
    ch.el.dataset.points = String(d[0].length);
  }

  function render() {
    const groupsEl = document.getElementById("groups");
    const byGroup = new Map();
    for (const id of orderedIds()) {
      if (!visible(id)) continue;
      const g = prefs.groups[id] || "";
      if (!byGroup.has(g)) byGroup.set(g, []);
      byGroup.get(g).push(channels.get(id));
    }
    const sections = [];
    for (const [name, list] of byGroup) {
      const section = document.createElement("section");
      section.className = "group";
      if (name) {
        const h = document.createElement("h2");
        h.textContent = name;
        section.appendChild(h);
        section.setAttribute("aria-label", name);
      } else {
        section.setAttribute("aria-label", "Channels");
      }
      const grid = document.createElement("div");
      grid.className = "cards";
      for (const ch of list) grid.appendChild(ch.el); // moving an element keeps its chart
      section.appendChild(grid);
      sections.push(section);
    }
    groupsEl.replaceChildren(...sections);
    for (const ch of channels.values()) {
      if (visible(ch.id) && !ch.plot) makePlot(ch);
    }
    renderLayoutList();
  }

  // ---- the layout editor: show/hide, move up/down, group name ----

  function renderLayoutList() {
    const list = document.getElementById("layout-list");
    const items = [];
    const ids = orderedIds();
    ids.forEach((id, i) => {
      const ch = channels.get(id);
      const li = document.createElement("li");
      const show = document.createElement("input");
      show.type = "checkbox";
      show.checked = visible(id);
      show.id = "show-" + id;
      show.addEventListener("change", () => {
        prefs.hidden = show.checked ? prefs.hidden.filter((h) => h !== id) : [...prefs.hidden, id];
        savePrefs();
        ch.lastSeq = null;
        if (show.checked) loadHistory(ch, null);
        render();
        subscribe();
      });
      const label = document.createElement("label");
      label.htmlFor = show.id;
      label.className = "name";
      label.textContent = ch.name;
      const group = document.createElement("input");
      group.type = "text";
      group.value = prefs.groups[id] || "";
      group.placeholder = "group";
      group.setAttribute("aria-label", "Group of " + ch.name);
      group.addEventListener("change", () => {
        const v = group.value.trim();
        if (v) prefs.groups[id] = v; else delete prefs.groups[id];
        savePrefs();
        render();
      });
      const move = (delta, text) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = text;
        b.setAttribute("aria-label", "Move " + ch.name + (delta < 0 ? " up" : " down"));
        b.disabled = i + delta < 0 || i + delta >= ids.length;
        b.addEventListener("click", () => {
          const order = orderedIds();
          [order[i], order[i + delta]] = [order[i + delta], order[i]];
          prefs.order = order;
          savePrefs();
          render();
          document.querySelectorAll("#layout-list li")[i + delta]?.querySelectorAll("button")[delta < 0 ? 0 : 1]?.focus();
        });
        return b;
      };
      li.append(show, label, group, move(-1, "↑"), move(1, "↓"));
      items.push(li);
    });
    list.replaceChildren(...items);
  }

  // ---- charts ----

  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  function plotSize(ch) { return { width: Math.max(200, ch.chartEl.clientWidth), height: 150 }; }

  function emptyData() { return RAW[prefs.window] ? [[], []] : [[], [], [], []]; }

  function makePlot(ch) {
    if (ch.plot) ch.plot.destroy();
    const raw = RAW[prefs.window];
    const accent = css("--accent"), grid = { stroke: css("--grid"), width: 1 };
    const fmt = timeFormat(prefs.window);
    const axisColor = css("--muted");
    const series = [{}];
    if (raw) {
      series.push({ label: ch.name, stroke: accent, width: 1.5 });
    } else {
      series.push({ label: "min", stroke: accent, width: 0.5 },
        { label: "avg", stroke: accent, width: 1.5 },
        { label: "max", stroke: accent, width: 0.5 });
    }
    const opts = Object.assign(plotSize(ch), {
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series,
      bands: raw ? [] : [{ series: [3, 1], fill: css("--band") }],
      scales: { x: { time: true } },
      hooks: { draw: [() => { stats.redraws++; ch.redraws = (ch.redraws || 0) + 1; }] },
      axes: [
        // Locale times are wider than uPlot's defaults: ask for fewer ticks so labels never overlap.
        { stroke: axisColor, grid, ticks: grid, space: prefs.window === "5m" ? 110 : 80, values: (u, splits) => splits.map((s) => fmt.format(new Date(s * 1000))) },
        { stroke: axisColor, grid, ticks: grid, size: 56, values: (u, splits) => splits.map((v) => numberFormat.format(v)) },
      ],
    });
    ch.chartEl.setAttribute("aria-label", "Chart of " + ch.name + " over the last " +
      document.querySelector('input[name=window][value="' + prefs.window + '"]').parentElement.textContent.trim());
    ch.plot = new uPlot(opts, ch.data, ch.chartEl);
  }

  // Keeps each bucket's lowest and highest point, in time order: the line keeps its peaks.
  function compact(d, target) {
    const n = d[0].length, buckets = Math.floor(target / 2);
    const out = d.map(() => []);
    for (let b = 0; b < buckets; b++) {
      const a = Math.floor(n * b / buckets), z = Math.floor(n * (b + 1) / buckets);
      let lo = a, hi = a;
      for (let i = a + 1; i < z; i++) { if (d[1][i] < d[1][lo]) lo = i; if (d[1][i] > d[1][hi]) hi = i; }
      const picks = lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)];
      for (const p of picks) for (let k = 0; k < d.length; k++) out[k].push(d[k][p]);
    }
    return out;
  }

  // Drops points that slid out of the window (times in seconds, as uPlot wants them).
  function trim(d, nowSec) {
    const start = nowSec - WINDOWS[prefs.window];
    let i = 0;
    while (i < d[0].length && d[0][i] < start) i++;
    if (i > 0) for (const col of d) col.splice(0, i);
  }

  // Appends one live sample: a raw point, or folded into the minute it falls in.
  function append(ch, s) {
    const d = ch.data, sec = s.t / 1000;
    if (d.length === 2) {
      const n = d[0].length;
      if (n && sec <= d[0][n - 1]) return; // already there (from history)
      d[0].push(sec); d[1].push(s.v);
      return;
    }
    const minute = Math.floor(s.t / 60000) * 60;
    const n = d[0].length;
    if (n && d[0][n - 1] === minute) {
      // The server's average of this minute is exact; live samples move it with the weight of
      // the samples seen here, so it is close until the next history load replaces it.
      ch.minuteCount = (ch.minuteCount || 1) + 1;
      d[1][n - 1] = Math.min(d[1][n - 1], s.v);
      d[3][n - 1] = Math.max(d[3][n - 1], s.v);
      d[2][n - 1] += (s.v - d[2][n - 1]) / ch.minuteCount;
    } else if (!n || minute > d[0][n - 1]) {
      ch.minuteCount = 1;
      d[0].push(minute); d[1].push(s.v); d[2].push(s.v); d[3].push(s.v);
    }
  }

  // ---- history: drawn on open, refilled after a reconnect ----

  function historyUrl(ch, sinceMs) {
    return "/api/channels/" + encodeURIComponent(ch.id) + "/history?window=" + prefs.window +
      "&points=" + TARGET + (sinceMs != null ? "&since=" + sinceMs : "");
  }

  function toColumns(h) {
    const t = h.t.map((x) => x / 1000);
    return h.resolution === "raw" ? [t, h.v] : [t, h.min, h.avg, h.max];
  }

  // since == null: replace the chart with the window; else add what came after `since` (ms).
  async function loadHistory(ch, sinceMs) {
    const gen = generation;
    ch.loading = true;
    try {
      const res = await fetch(historyUrl(ch, sinceMs), { cache: "no-store" });
      if (res.status === 401 || res.status === 429) { needLogin(res); return; }
      if (!res.ok) throw new Error("history " + res.status);
      const cols = toColumns(await res.json());
      if (gen !== generation) return;
      if (sinceMs == null) {
        ch.data = cols;
      } else {
        const first = cols[0].length ? cols[0][0] : Infinity;
        // Minutes overlap at the edge (the one that was filling): the server's copy replaces ours.
        let keep = ch.data[0].length;
        while (keep > 0 && ch.data[0][keep - 1] >= first) keep--;
        for (let k = 0; k < ch.data.length; k++) ch.data[k] = ch.data[k].slice(0, keep).concat(cols[k]);
        stats.refills++;
        stats.refilledPoints += cols[0].length;
        ch.el.dataset.refilled = String(cols[0].length);
      }
      ch.minuteCount = 1;
    } catch (e) {
      console.warn("history of " + ch.id + " not loaded: " + e.message);
    } finally {
      if (gen === generation) {
        ch.loading = false;
        ch.historyLoaded = true;
        ch.el.dataset.history = "loaded";
        ch.dirty = true;
        requestFrame();
      }
    }
  }

  function lastTimeMs(ch) {
    const t = ch.data[0];
    return t.length ? Math.round(t[t.length - 1] * 1000 * 1000) / 1000 : null;
  }

  // ---- live samples, batched per animation frame ----

  function requestFrame() {
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flush);
    }
  }

  function flush() {
    frameRequested = false;
    const started = performance.now();
    const nowSec = Date.now() / 1000;
    for (const ch of channels.values()) {
      if (!visible(ch.id)) { ch.pending.length = 0; continue; } // unsubscribed: stragglers only
      if (!ch.dirty || ch.loading) continue;
      ch.dirty = false;
      for (const s of ch.pending) append(ch, s);
      ch.pending.length = 0;
      trim(ch.data, nowSec);
      if (ch.data[0].length > 2 * TARGET) ch.data = compact(ch.data, TARGET);
      showValue(ch);
      showRange(ch);
      if (ch.plot) ch.plot.setData(ch.data); // this card's chart only
    }
    const ms = performance.now() - started;
    stats.flushes++;
    stats.flushMsTotal += ms;
    if (ms > stats.flushMsMax) stats.flushMsMax = ms;
  }

  // seq numbers each channel's samples on the server: a jump is samples this page never got (the
  // server dropped them for a slow connection, or a sensor outran the server). Counted only while
  // the page watches the channel: after a reconnect, or once a hidden channel is shown again,
  // history fills what it did not watch, and the count starts afresh (lastSeq null).
  function countMissed(ch, seq) {
    if (!visible(ch.id)) { ch.lastSeq = null; return; } // a straggler after unsubscribing
    if (ch.lastSeq != null && seq > ch.lastSeq + 1) {
      ch.missed = (ch.missed || 0) + (seq - ch.lastSeq - 1);
      ch.missedEl.hidden = false;
      ch.missedEl.textContent = ch.missed + " missed";
      ch.missedEl.title = ch.missed + " samples of this channel did not reach this page";
    }
    ch.lastSeq = seq;
  }

  function onSample(m) {
    const ch = channels.get(m.channel);
    if (!ch) return;
    stats.samples++;
    countMissed(ch, m.seq);
    ch.latest = { t: m.t, v: m.v };
    ch.dirty = true;
    if (document.hidden && !ch.loading) {
      // A background tab gets no animation frames: keep the chart's data current (cheap, no
      // drawing) so that nothing is lost or piled up; the next visible frame draws it.
      append(ch, m);
      if (ch.data[0].length > 2 * TARGET) {
        trim(ch.data, Date.now() / 1000);
        ch.data = compact(ch.data, TARGET);
      }
      return;
    }
    // Kept while history loads (merged after it), bounded so a stuck load cannot grow memory.
    if (ch.pending.length < 4 * TARGET) ch.pending.push({ t: m.t, v: m.v });
    requestFrame();
  }

  // ---- the monitor stream ----

  function setConn(state, text) {
    const el = document.getElementById("conn");
    el.dataset.state = state;
    el.textContent = text;
  }

  function onHello(m) {
    document.getElementById("device").textContent = m.device;
    document.title = m.device + " · sensorcast";
    const reconnect = everConnected;
    everConnected = true;
    let added = false;
    for (const c of m.channels) {
      let ch = channels.get(c.id);
      if (!ch) {
        ch = { id: c.id, name: c.name, unit: c.unit, data: emptyData(), pending: [], dirty: false };
        channels.set(c.id, ch);
        card(ch);
        added = true;
      }
      ch.name = c.name;
      ch.unit = c.unit;
      ch.state = c.state;
      ch.message = c.message || "";
      ch.latest = c.latest;
      ch.lastSeq = null; // a new stream: seq gaps across the reconnect are not missed samples
      showState(ch);
      showValue(ch);
    }
    if (added) render();
    subscribe();
    for (const ch of channels.values()) {
      if (!visible(ch.id)) continue;
      const since = reconnect && ch.historyLoaded ? lastTimeMs(ch) : null;
      loadHistory(ch, since);
    }
    refreshHealth();
  }

  // After a reload on the device: the new channel list. Cards of channels that are gone go;
  // new channels get a card and their history; the others keep theirs.
  function onChannelList(m) {
    const ids = new Set(m.channels.map((c) => c.id));
    for (const [id, ch] of channels) {
      if (ids.has(id)) continue;
      if (ch.plot) ch.plot.destroy();
      if (ch.resize) ch.resize.disconnect();
      ch.el.remove();
      channels.delete(id);
    }
    // As a hello on reconnect: new cards load their history, the others refill since their last point.
    onHello({ device: document.getElementById("device").textContent, channels: m.channels });
  }

  function subscribe() {
    if (!ws || ws.readyState !== WebSocket.OPEN || channels.size === 0) return;
    const ids = orderedIds().filter(visible);
    ws.send(JSON.stringify({ type: "subscribe", channels: ids.length === channels.size ? "*" : ids }));
  }

  function connect() {
    setConn(everConnected ? "reconnecting" : "connecting", everConnected ? "reconnecting…" : "connecting…");
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws = socket;
    let opened = false;
    socket.onopen = () => { opened = true; attempt = 0; setConn("live", "live"); };
    socket.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === "sample") onSample(m);
      else if (m.type === "hello") onHello(m);
      else if (m.type === "channels") onChannelList(m);
      else if (m.type === "status") {
        const ch = channels.get(m.channel);
        if (ch) { ch.state = m.state; ch.message = m.message; showState(ch); }
      } else if (m.type === "dropped") {
        console.info("the server dropped " + m.count + " samples for this page (slow reader)");
      } else if (m.type === "error") {
        console.warn("server: " + m.message);
      }
    };
    socket.onclose = async () => {
      if (ws !== socket) return;
      ws = null;
      if (locked) return;
      // A WebSocket cannot see the status of a refused upgrade: ask the API whether it was a 401.
      if (!opened && !(await access())) return;
      // Exponential backoff with full jitter: many pages on a restarted Pi do not retry in step.
      const cap = Math.min(30000, 500 * Math.pow(2, attempt++));
      const delay = 250 + Math.random() * cap;
      setConn("reconnecting", "reconnecting in " + Math.ceil(delay / 1000) + " s…");
      setTimeout(connect, delay);
    };
  }

  async function refreshHealth() {
    try {
      const res = await fetch("/healthz", { cache: "no-store" });
      const h = await res.json();
      document.getElementById("uptime").textContent = fmtUptime(h.uptimeSeconds);
      document.getElementById("monitors").textContent = numberFormat.format(h.monitors);
      document.getElementById("logout").hidden = !h.authRequired || locked;
      return h;
    } catch (e) {
      document.getElementById("uptime").textContent = "–";
      return null;
    }
  }

  // ---- the access token (http.token): a one-field login; the server keeps it in an HttpOnly cookie ----

  // True if /api answers (the cookie is good, or no token is set); false after showing the login.
  async function access() {
    try {
      const res = await fetch("/api/channels", { cache: "no-store" });
      if (res.status === 401 || res.status === 429) { needLogin(res); return false; }
    } catch (e) { /* unreachable: the WebSocket's retries deal with it */ }
    return true;
  }

  function retryText(res) {
    const s = +res.headers.get("Retry-After") || 60;
    return "Too many wrong tokens from this address. Try again in " + Math.ceil(s / 60) + " min.";
  }

  function needLogin(res) {
    const first = !locked;
    locked = true;
    if (ws) { const s = ws; ws = null; s.close(); }
    setConn("locked", "access token needed");
    document.querySelector(".controls").hidden = true;
    document.getElementById("groups").hidden = true;
    document.getElementById("logout").hidden = true;
    document.getElementById("login").hidden = false;
    document.getElementById("login-message").textContent = res && res.status === 429 ? retryText(res) : "";
    if (first) document.getElementById("login-token").focus();
  }

  async function logIn(event) {
    event.preventDefault();
    const input = document.getElementById("login-token");
    const message = document.getElementById("login-message");
    const button = event.target.querySelector("button");
    button.disabled = true;
    message.textContent = "";
    try {
      // Success is a 303 to "/" with the cookie; fetch follows it and ends on the page (200).
      const res = await fetch("/login", { method: "POST", body: new URLSearchParams({ token: input.value }), cache: "no-store" });
      if (res.ok) {
        input.value = "";
        locked = false;
        document.getElementById("login").hidden = true;
        document.querySelector(".controls").hidden = false;
        document.getElementById("groups").hidden = false;
        attempt = 0;
        connect();
        refreshHealth();
        return;
      }
      message.textContent = res.status === 401 ? "That is not the access token. Check http.token in the device's configuration."
        : res.status === 429 ? retryText(res) : "The device answered " + res.status + "; try again.";
    } catch (e) {
      message.textContent = "The device cannot be reached; try again.";
    } finally {
      button.disabled = false;
    }
    input.focus();
    input.select();
  }

  async function start() {
    const h = await refreshHealth();
    // With a token set, ask before opening the WebSocket: a refused upgrade tells the page nothing.
    if (h && h.authRequired && !(await access())) return;
    connect();
  }

  // ---- window switch ----

  function setWindow(win) {
    prefs.window = win;
    savePrefs();
    generation++;
    for (const ch of channels.values()) {
      ch.data = emptyData();
      ch.pending.length = 0;
      ch.historyLoaded = false;
      if (visible(ch.id)) {
        makePlot(ch);
        loadHistory(ch, null);
      } else if (ch.plot) {
        ch.plot.destroy();
        ch.plot = null;
      }
    }
  }

  for (const input of document.querySelectorAll("input[name=window]")) {
    input.checked = input.value === prefs.window;
    input.addEventListener("change", () => { if (input.checked) setWindow(input.value); });
  }
  document.getElementById("layout-reset").addEventListener("click", () => {
    prefs = { window: prefs.window, hidden: [], order: [], groups: {} };
    savePrefs();
    for (const ch of channels.values()) ch.lastSeq = null;
    for (const ch of channels.values()) if (!ch.historyLoaded) loadHistory(ch, null);
    render();
    subscribe();
  });
  // Canvas colours come from CSS: redraw the charts when the system switches light/dark.
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    for (const ch of channels.values()) if (ch.plot) makePlot(ch);
  });
  document.getElementById("login-form").addEventListener("submit", logIn);
  setInterval(refreshHealth, HEALTH_PERIOD_MS);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) requestFrame(); });

  // For tests and the curious: read-only views of the page's state.
  window.sensorcast = {
    stats,
    points: (id) => { const ch = channels.get(id); return ch ? ch.data[0].map((s) => s * 1000) : null; },
    redraws: (id) => { const ch = channels.get(id); return ch ? ch.redraws || 0 : null; },
  };

  start();
})();
