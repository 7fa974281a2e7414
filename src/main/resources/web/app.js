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
  // messages: WebSocket messages of the monitor stream (a batch of samples is one).
  const stats = { flushes: 0, flushMsTotal: 0, flushMsMax: 0, samples: 0, messages: 0, refills: 0, refilledPoints: 0, redraws: 0,
    connects: [] };
  let prefs = loadPrefs();
  let ws = null;
  let outageStart = null;       // performance.now() when the connection was lost, for the backoff
  let everConnected = false;
  let frameRequested = false;
  let pixelTimer = null;        // wakes the page when the next chart's axis has moved a pixel
  let clockOffsetMs = null;     // the device's clock minus this browser's (a Pi may have no RTC)
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

  // One formatter per window, shared by every chart (and by the label cache below).
  const timeFormats = {};
  function timeFormat(win) {
    return timeFormats[win] || (timeFormats[win] = makeTimeFormat(win));
  }

  function makeTimeFormat(win) {
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
      '<span class="missed" hidden></span><span class="range"></span>' +
      '<a class="csv" download>CSV</a></div>' +
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
    ch.csvEl = el.querySelector(".csv");
    ch.csvEl.setAttribute("aria-label", "Download " + ch.name + " as CSV");
    ch.csvEl.href = csvUrl(ch.id);
    ch.valueEl.addEventListener("pointerenter", () => {
      if (ch.latest) ch.valueEl.title = new Date(ch.latest.t).toLocaleString();
    });
    // The width comes from the observer, so nothing reads layout (offsetWidth…) while drawing.
    ch.resize = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1].contentRect.width;
      if (width <= 0 || width === ch.width) return;
      ch.width = width;
      if (ch.plot) ch.plot.setSize(plotSize(ch));
    });
    ch.resize.observe(ch.chartEl);
    onScreen.observe(el);
  }

  // Cards off screen are neither drawn nor have their text set; they catch up as they come near
  // (the margin: before they are seen). A card starts as off screen until the observer says.
  const onScreen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const ch = channels.get(e.target.dataset.channel);
      if (!ch) continue;
      ch.onScreen = e.isIntersecting;
      // A canvas in the page costs the compositor every frame, drawn or not: away ones leave it.
      ch.el.classList.toggle("away", !ch.onScreen);
      if (ch.onScreen) { ch.textStale = true; requestFrame(); }
    }
  }, { rootMargin: "200px 0px" });

  // Writes text only when it differs: an unchanged write still costs a layout.
  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function showState(ch) {
    ch.el.dataset.state = ch.state;
    ch.stateEl.textContent = ch.state;
    ch.messageEl.textContent = ch.state === "ok" ? "" : (ch.message || "");
  }

  function showValue(ch) {
    setText(ch.valueEl, fmtValue(ch.latest ? ch.latest.v : null, ch.unit));
    // The time as a tooltip is made when the pointer asks for it, not per sample.
  }

  // Min and max over what the chart shows: raw values, or the minutes' extremes. A full scan
  // when the chart is drawn; between draws a sample only widens them (noteSample).
  function measureRange(ch) {
    const d = ch.data;
    const lows = d[1];
    const highs = d.length === 2 ? d[1] : d[3];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < lows.length; i++) { if (lows[i] < lo) lo = lows[i]; if (highs[i] > hi) hi = highs[i]; }
    ch.lo = lo;
    ch.hi = hi;
  }

  function showRange(ch) {
    setText(ch.rangeEl, ch.data[0].length ? "min " + fmtValue(ch.lo, ch.unit) + " · max " + fmtValue(ch.hi, ch.unit) : "no data yet");
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

  function plotSize(ch) {
    if (!ch.width) ch.width = ch.chartEl.clientWidth; // once, before the observer's first report
    return { width: Math.max(200, ch.width), height: 150 };
  }

  // uPlot's default axis font, set explicitly so that the labels are measured with the font they use.
  const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
  let measureCtx = null;

  // The widest time label of a window, in CSS px: a late date with wide digits, in this locale.
  function widestTimeLabel(fmt) {
    measureCtx = measureCtx || document.createElement("canvas").getContext("2d");
    measureCtx.font = AXIS_FONT;
    return Math.ceil(measureCtx.measureText(fmt.format(new Date(2026, 11, 30, 20, 58, 58))).width);
  }

  // A tick's time label, formatted once: a chart redrawn a pixel later shows the same ticks, and
  // Intl formatting per tick per redraw was the page's largest script at 1 Hz. Bounded: the
  // labels of the ticks now on the axes of all charts, and a window switch starts afresh.
  let labelCache = { fmt: null, labels: new Map() };
  function timeLabel(fmt, sec) {
    if (labelCache.fmt !== fmt) labelCache = { fmt, labels: new Map() };
    let text = labelCache.labels.get(sec);
    if (text === undefined) {
      if (labelCache.labels.size >= 200) labelCache.labels.clear();
      text = fmt.format(new Date(sec * 1000));
      labelCache.labels.set(sec, text);
    }
    return text;
  }

  function emptyData() { return RAW[prefs.window] ? [[], []] : [[], [], [], []]; }

  function makePlot(ch) {
    if (ch.plot) ch.plot.destroy();
    const raw = RAW[prefs.window];
    const accent = css("--accent"), grid = { stroke: css("--grid"), width: 1 };
    const fmt = timeFormat(prefs.window);
    const axisColor = css("--muted");
    const series = [{}];
    const gaps = holes(ch);
    if (raw) {
      series.push({ label: ch.name, stroke: accent, width: 1.5, gaps });
    } else {
      series.push({ label: "min", stroke: accent, width: 0.5, gaps },
        { label: "avg", stroke: accent, width: 1.5, gaps },
        { label: "max", stroke: accent, width: 0.5, gaps });
    }
    // A time label is centred on its tick: at the axis' right end, half of it would stand past the
    // canvas (cut on a phone). Room for that half on the right; on the left the y axis gives it.
    ch.labelWidth = widestTimeLabel(fmt);
    const opts = Object.assign(plotSize(ch), {
      padding: [null, Math.ceil(ch.labelWidth / 2) + 2, null, null],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series,
      bands: raw ? [] : [{ series: [3, 1], fill: css("--band") }],
      // The x axis is the window ending at the chart's current pixel (see axisEnd), not the
      // data's extent: it moves with time, a pixel at a time.
      scales: { x: { time: true, range: () => [ch.axisEnd - WINDOWS[prefs.window], ch.axisEnd] } },
      hooks: { draw: [(u) => drawn(ch, u)] },
      axes: [
        // Locale times are wider than uPlot's defaults: ask for fewer ticks so labels never overlap.
        { font: AXIS_FONT, stroke: axisColor, grid, ticks: grid, space: prefs.window === "5m" ? 110 : 80, values: (u, splits) => splits.map((s) => timeLabel(fmt, s)) },
        { font: AXIS_FONT, stroke: axisColor, grid, ticks: grid, size: 56, values: (u, splits) => splits.map((v) => numberFormat.format(v)) },
      ],
    });
    ch.chartEl.setAttribute("aria-label", "Chart of " + ch.name + " over the last " +
      document.querySelector('input[name=window][value="' + prefs.window + '"]').parentElement.textContent.trim());
    ch.axisEnd = axisEnd(ch, serverNowSec());
    ch.plot = new uPlot(opts, ch.data, ch.chartEl);
  }

  // ---- drawing only what changes pixels ----
  //
  // A chart is drawn again only when what it shows would change by a pixel: its axis has moved
  // a pixel (the window over the plot's width: 0.75 s for 5 minutes across 400 px, half an hour
  // for 7 days), a value lands outside the drawn range, or a value steps away from what the
  // newest pixel column shows by a quarter of the range (a GPIO edge after a level held still),
  // or the view changed (window, size, theme, history). The value text follows every sample.
  // Smaller moves inside the newest column wait for the next pixel: at most one pixel of time.

  function secondsPerPixel(ch) {
    return WINDOWS[prefs.window] / Math.max(1, ch.plotWidth || ch.width || 400);
  }

  // The axis ends at the next whole pixel of time after `nowSec`: the newest sample is in the
  // last pixel column, and every chart of the same width moves in the same frame.
  function axisEnd(ch, nowSec) {
    const spp = secondsPerPixel(ch);
    return Math.ceil(nowSec / spp) * spp;
  }

  // uPlot's draw hook: what this canvas now shows, whatever asked for the draw (resize too).
  function drawn(ch, u) {
    stats.redraws++;
    ch.redraws = (ch.redraws || 0) + 1;
    ch.plotWidth = u.bbox.width / (window.devicePixelRatio || 1);
    ch.drawnEnd = ch.axisEnd;
    ch.drawnMin = u.scales.y.min;
    ch.drawnMax = u.scales.y.max;
    lastColumn(ch);
    ch.viewChanged = false;
  }

  // The values the newest pixel column shows: its points and the line coming into it.
  function lastColumn(ch) {
    const d = ch.data, t = d[0], lows = d[1], highs = d.length === 2 ? d[1] : d[3];
    const start = ch.axisEnd - secondsPerPixel(ch);
    let lo = Infinity, hi = -Infinity;
    for (let i = t.length - 1; i >= 0; i--) {
      if (lows[i] < lo) lo = lows[i];
      if (highs[i] > hi) hi = highs[i];
      if (t[i] < start) break;
    }
    ch.columnLo = lo;
    ch.columnHi = hi;
  }

  function needsDraw(ch, nowSec) {
    if (ch.viewChanged || ch.drawnEnd == null) return true;
    return axisEnd(ch, nowSec) !== ch.drawnEnd;
  }

  // A new value that the chart as drawn cannot show: outside its range, or a step.
  function leavesDrawing(ch, v) {
    if (ch.drawnEnd == null || !Number.isFinite(v)) return false;
    if (v < ch.drawnMin || v > ch.drawnMax) return true;
    const step = (ch.drawnMax - ch.drawnMin) / 4;
    return v < ch.columnLo - step || v > ch.columnHi + step;
  }

  function draw(ch, nowSec) {
    ch.axisEnd = axisEnd(ch, nowSec);
    measureRange(ch);
    showRange(ch);
    ch.el.dataset.points = String(ch.data[0].length);
    ch.plot.batch(() => ch.plot.setData(ch.data)); // batch: drawn now, not in a microtask
  }

  // Wakes the page when the first chart's axis is due to move, as no sample may come by then. It
  // waits a quarter of that chart's pixel of time past the move (at most 250 ms): a frame that a
  // sample brings meanwhile draws the move, so a 10 Hz page does not render a frame for the axis
  // alone; with no sample, the axis is a quarter pixel late at most.
  function schedulePixel(nowSec) {
    let next = Infinity, grace = 0.25;
    for (const ch of channels.values()) {
      if (ch.plot && ch.onScreen && visible(ch.id) && ch.drawnEnd != null && ch.drawnEnd < next) {
        next = ch.drawnEnd;
        grace = Math.min(0.25, secondsPerPixel(ch) / 4);
      }
    }
    if (pixelTimer != null) clearTimeout(pixelTimer);
    pixelTimer = null;
    if (next === Infinity || document.hidden) return;
    pixelTimer = setTimeout(() => { pixelTimer = null; requestFrame(); }, Math.max(0, (next + grace - nowSec) * 1000));
  }

  // ---- the device's clock ----
  //
  // Samples carry the device's time; the axis must end at the device's "now", which may be far
  // from this browser's on a Pi without a real-time clock. A sample cannot be from the future, so
  // the largest (sample time - arrival time) seen is the offset, give or take the network delay;
  // a jump of more than 2 s is the clock being stepped (NTP after boot), taken at once.
  function noteClock(tMs) {
    const d = tMs - Date.now();
    if (clockOffsetMs == null || d > clockOffsetMs || clockOffsetMs - d > 2000) clockOffsetMs = d;
  }

  function serverNowSec() {
    return (Date.now() + (clockOffsetMs || 0)) / 1000;
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
    if (!d[0].length || d[0][0] >= start) return;
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

  // Downloads: plain links, so the browser saves the file (its name from the server) and sends
  // the access token's cookie like any request of the page. Every point of the window, not the
  // chart's thinned ones (README "CSV export").
  function csvUrl(id) {
    return (id == null ? "/api/history.csv" : "/api/channels/" + encodeURIComponent(id) + "/history.csv") +
      "?window=" + prefs.window;
  }

  function setCsvLinks() {
    document.getElementById("csv-all").href = csvUrl(null);
    for (const ch of channels.values()) if (ch.csvEl) ch.csvEl.href = csvUrl(ch.id);
  }

  // Where the history has a hole (the device was off, its clock stepped), the line breaks instead
  // of crossing it: a hole is a step in time of more than a few sample intervals (raw), or of more
  // than 2 minutes (minutes); where the server merged points for the chart, a few of its buckets.
  // A raw chart whose interval is not known yet (fewer than 3 points) is not broken.
  function gapSeconds(ch) {
    const bucket = 2 * WINDOWS[prefs.window] / TARGET; // the server's merged points, if it merged
    if (!RAW[prefs.window]) return Math.max(120, 2 * bucket);
    return ch.interval ? Math.max(5 * ch.interval, 2 * bucket) : Infinity;
  }

  // The typical step between raw points (their median), from a history answer.
  function typicalInterval(t) {
    if (t.length < 3) return null;
    const steps = [];
    for (let i = 1; i < t.length; i++) steps.push(t[i] - t[i - 1]);
    steps.sort((a, b) => a - b);
    return steps[steps.length >> 1] || null;
  }

  // uPlot's series.gaps: the pixel spans the line must not cross, added to those of null values.
  function holes(ch) {
    return (u, sidx, i0, i1, gaps) => {
      const t = u.data[0], limit = gapSeconds(ch);
      for (let i = i0 + 1; i <= i1; i++) {
        if (t[i] - t[i - 1] > limit) {
          gaps.push([Math.round(u.valToPos(t[i - 1], "x", true)) + 1, Math.round(u.valToPos(t[i], "x", true))]);
        }
      }
      return gaps.sort((a, b) => a[0] - b[0]);
    };
  }

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
        if (cols.length === 2) ch.interval = typicalInterval(cols[0]) || ch.interval;
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
        ch.el.dataset.points = String(ch.data[0].length);
        ch.viewChanged = true;
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

  // One animation frame: new samples into the data, text of the cards on screen, and a draw of
  // each chart on screen whose pixels changed. Nothing here reads layout.
  function flush() {
    frameRequested = false;
    const started = performance.now();
    const nowSec = serverNowSec();
    for (const ch of channels.values()) {
      if (!visible(ch.id)) { ch.pending.length = 0; continue; } // unsubscribed: stragglers only
      if (ch.loading) continue;
      if (ch.pending.length) takePending(ch);
      if (!ch.onScreen) continue;
      if (ch.textStale) { ch.textStale = false; showValue(ch); showRange(ch); }
      if (ch.plot && needsDraw(ch, nowSec)) {
        trim(ch.data, nowSec);
        draw(ch, nowSec);
      }
    }
    schedulePixel(nowSec);
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

  // A frame's samples of one channel: into the data (bounded), the text at once on screen.
  function takePending(ch) {
    for (const s of ch.pending) noteSample(ch, s);
    ch.pending.length = 0;
    if (ch.data[0].length > 2 * TARGET) {
      trim(ch.data, serverNowSec());
      ch.data = compact(ch.data, TARGET);
    }
    if (ch.onScreen) { showValue(ch); showRange(ch); } else ch.textStale = true;
  }

  function noteSample(ch, s) {
    append(ch, s);
    if (s.v < ch.lo) ch.lo = s.v;
    if (s.v > ch.hi) ch.hi = s.v;
    if (leavesDrawing(ch, s.v)) ch.viewChanged = true;
  }

  function onSample(m) {
    const ch = channels.get(m.channel);
    if (!ch) return;
    stats.samples++;
    countMissed(ch, m.seq);
    noteClock(m.t);
    ch.latest = { t: m.t, v: m.v };
    if ((document.hidden || !ch.onScreen) && !ch.loading) {
      // Nothing to show now (a background tab, a card off screen): keep the chart's data
      // current (cheap, no drawing, no frame) so that nothing is lost or piled up; the frame
      // that shows the card draws it.
      ch.pending.push({ t: m.t, v: m.v });
      takePending(ch);
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

  // ---- alerts: the banner and the cards' marks ----
  // Alerts that are pending or firing, by rule and channel; the server sends each change as it
  // happens and, after a hello, every one that is not ok. Rare: the DOM is set only on a change.
  const alerts = new Map();

  function onAlert(m) {
    const key = m.rule + "\n" + m.channel;
    if (m.state === "ok") alerts.delete(key);
    else alerts.set(key, m);
    showAlerts();
  }

  function showAlerts() {
    const banner = document.getElementById("alerts");
    const list = document.getElementById("alert-list");
    const firing = [...alerts.values()].filter((a) => a.state === "firing");
    list.replaceChildren(...firing.map((a) => {
      const li = document.createElement("li");
      li.dataset.severity = a.severity;
      const ch = channels.get(a.channel);
      const value = a.value == null ? "" : " " + fmtValue(a.value, ch ? ch.unit : "");
      li.textContent = a.rule + ": " + (ch ? ch.name : a.channel) + value + " (" + a.condition + ")";
      return li;
    }));
    banner.hidden = firing.length === 0;
    banner.dataset.severity = firing.some((a) => a.severity === "critical") ? "critical" : "warning";
    const marks = new Map();
    for (const a of alerts.values()) {
      if (marks.get(a.channel) !== "firing") marks.set(a.channel, a.state);
    }
    for (const ch of channels.values()) {
      if (!ch.el) continue;
      const mark = marks.get(ch.id);
      if (mark) {
        if (ch.el.dataset.alert !== mark) ch.el.dataset.alert = mark;
      } else if (ch.el.dataset.alert) {
        delete ch.el.dataset.alert;
      }
    }
  }

  function onHello(m) {
    document.getElementById("device").textContent = m.device;
    document.title = m.device + " · sensorcast";
    const board = document.getElementById("board");
    if (m.board !== undefined) { board.textContent = m.board || ""; board.hidden = !m.board; }
    const reconnect = everConnected;
    everConnected = true;
    let added = false;
    for (const c of m.channels) {
      let ch = channels.get(c.id);
      if (!ch) {
        ch = { id: c.id, name: c.name, unit: c.unit, data: emptyData(), pending: [], onScreen: false,
          textStale: true, viewChanged: true, lo: Infinity, hi: -Infinity };
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
    showAlerts();
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
      onScreen.unobserve(ch.el);
      ch.el.remove();
      channels.delete(id);
    }
    // As a hello on reconnect: new cards load their history, the others refill since their last point.
    onHello({ device: document.getElementById("device").textContent, channels: m.channels });
  }

  function subscribe() {
    if (!ws || ws.readyState !== WebSocket.OPEN || channels.size === 0) return;
    const ids = orderedIds().filter(visible);
    // batch: the samples of one moment in one message. Each message costs the browser a task and a
    // hop between its processes, whatever its size; 20 devices reading together are one, not 20.
    ws.send(JSON.stringify({ type: "subscribe", channels: ids.length === channels.size ? "*" : ids, batch: true }));
  }

  // A restarted service listens again within seconds: the first 10 s of an outage are retried
  // every 250 ms, so the page is live again within about that of the port opening. A reboot or
  // a lost Wi-Fi backs off, to 30 s after 5 minutes. The ±25 % jitter keeps the pages open on a
  // device from retrying in step.
  function retryDelay(outageMs) {
    const base = outageMs < 10000 ? 250 : outageMs < 60000 ? 500 : outageMs < 300000 ? 5000 : 30000;
    return base * (0.75 + Math.random() * 0.5);
  }

  // The last connection attempts, for tests and the curious: when each began (performance.now()),
  // whether it went live, and the delay chosen after it failed.
  function logConnect(tried) {
    stats.connects.push(tried);
    if (stats.connects.length > 50) stats.connects.shift();
  }

  function connect() {
    setConn(everConnected ? "reconnecting" : "connecting", everConnected ? "reconnecting…" : "connecting…");
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws = socket;
    let opened = false;
    const tried = { at: performance.now(), live: false };
    logConnect(tried);
    socket.onopen = () => {
      opened = true;
      outageStart = null;
      tried.live = true;
      setConn("live", "live");
    };
    socket.onmessage = (e) => {
      stats.messages++;
      const m = JSON.parse(e.data);
      if (m.type === "samples") { for (const x of m.samples) onSample(x); }
      else if (m.type === "sample") onSample(m);
      else if (m.type === "hello") {
        alerts.clear(); // the server sends the current ones after its hello (not after a channel list)
        onHello(m);
      }
      else if (m.type === "channels") onChannelList(m);
      else if (m.type === "alert") onAlert(m);
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
      if (outageStart == null) outageStart = performance.now();
      const delay = retryDelay(performance.now() - outageStart);
      tried.retryAfterMs = delay;
      setConn("reconnecting", delay < 1000 ? "reconnecting…" : "reconnecting in " + Math.ceil(delay / 1000) + " s…");
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
        outageStart = null;
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
    setCsvLinks();
    generation++;
    for (const ch of channels.values()) {
      ch.data = emptyData();
      ch.pending.length = 0;
      ch.historyLoaded = false;
      ch.lo = Infinity;
      ch.hi = -Infinity;
      ch.drawnEnd = null;
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
  setCsvLinks();
  setInterval(refreshHealth, HEALTH_PERIOD_MS);
  // Shown again: the cards' text and the charts on screen catch up in one frame.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    for (const ch of channels.values()) ch.textStale = true;
    requestFrame();
  });

  // For tests and the curious: read-only views of the page's state.
  window.sensorcast = {
    stats,
    points: (id) => { const ch = channels.get(id); return ch ? ch.data[0].map((s) => s * 1000) : null; },
    redraws: (id) => { const ch = channels.get(id); return ch ? ch.redraws || 0 : null; },
    // Room for the time labels at both ends of a chart's axis, in CSS px of its canvas.
    axisRoom: (id) => {
      const ch = channels.get(id);
      if (!ch || !ch.plot) return null;
      const r = window.devicePixelRatio || 1, b = ch.plot.bbox;
      return { canvasWidth: ch.plot.width, plotLeft: b.left / r, plotRight: (b.left + b.width) / r, widestLabel: ch.labelWidth,
        plotTop: b.top / r, plotBottom: (b.top + b.height) / r };
    },
    // What a chart's canvas shows now: its axis end (s), y range, the newest column's values.
    // The pixel spans (canvas px) where a chart's line is broken: holes in its history.
    gaps: (id) => {
      const ch = channels.get(id), p = ch && ch.plot && ch.plot.series[1]._paths;
      return p && p.gaps ? p.gaps.map((g) => g.slice()) : [];
    },
    drawn: (id) => {
      const ch = channels.get(id);
      return ch ? { end: ch.drawnEnd, min: ch.drawnMin, max: ch.drawnMax, columnLo: ch.columnLo, columnHi: ch.columnHi,
        onScreen: ch.onScreen, secondsPerPixel: secondsPerPixel(ch) } : null;
    },
  };

  start();
})();
