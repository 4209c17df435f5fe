// iotoyd dashboard. Built at run time from the device's own description (GET /devinfo), so it
// works for every board; kept live by Server-Sent Events on GET / (docs/wire.md §2). No framework,
// no build step: plain DOM, textContent only (help strings come from the device).
"use strict";
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const CHART_MS = 120000; // the live charts show the last two minutes
  const rows = new Map(); // attribute href -> row
  const funcs = new Map(); // function href -> row
  const faults = new Map(); // component href (no trailing slash) -> reason
  const safes = new Map(); // actuator href (no trailing slash) -> why its failsafe put it in its safe state
  const history = new Map(); // href -> [[received ms, value]…], kept across rebuilds
  let treeRoot = null;
  let source = null;
  let retryMs = 1000;
  let stale = false; // the stream was lost: re-read everything once it is back

  // ---------------------------------------------------------------- small helpers
  const $ = (sel) => document.querySelector(sel);

  function h(tag, attrs, ...kids) {
    const e = tag === "svg" || tag === "polyline" ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : String(v));
    }
    e.append(...kids.filter((k) => k !== null && k !== undefined));
    return e;
  }

  class ApiError extends Error {
    constructor(message, detail, status, code) {
      super(message);
      this.detail = detail;
      this.status = status;
      this.code = code;
    }
    get text() {
      return this.detail ? `${this.message} (${this.detail})` : this.message;
    }
  }

  // One request; JSON bodies unless `text` is given (the /_sim hooks take text). Failures throw
  // ApiError with the exception representation's message and detail.
  async function api(method, href, body, text) {
    const init = { method, headers: { Accept: "application/json" } };
    if (text !== undefined) {
      init.headers["Content-Type"] = "text/plain";
      init.body = text;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(href, init);
    } catch (e) {
      throw new ApiError("the device does not answer", null, 0, "network");
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      /* no JSON body */
    }
    if (!res.ok) {
      const v = (data && data.value) || {};
      let message = v.message || `${res.status} ${res.statusText}`;
      if (res.status === 401 && href !== "/_login") {
        needLogin();
        message = `log in at the top of the page: ${message}`;
      }
      if (v.error === "emergency_stop") stopped(true);
      throw new ApiError(message, v.detail, res.status, v.error);
    }
    return data;
  }

  const bare = (type) => String(type || "").split("/").pop(); // iotoy.org/types/float -> float
  const numeric = (t) => t === "int" || t === "float";
  const norm = (href) => String(href || "").replace(/\/+$/, ""); // "/climate/" -> "/climate", "/" -> ""
  const covers = (component, href) => component === "" || href === component || href.startsWith(component + "/");

  function fmt(v) {
    if (v === undefined) return "";
    if (v === null) return "null";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6));
    if (typeof v === "string") return v;
    return JSON.stringify(v);
  }

  function fmtAge(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ago`;
  }

  function note(text) {
    const n = $("#note");
    n.textContent = text || "";
    n.hidden = !text;
  }

  function banner(text) {
    const b = $("#banner");
    if (text) b.textContent = text;
    b.hidden = !text;
  }

  // ---------------------------------------------------------------- the tree
  async function load() {
    let info;
    try {
      info = (await api("GET", "/devinfo")).value;
    } catch (e) {
      const locked = e.status === 401; // the login panel is up; logging in calls load() again
      if (locked && source) {
        source.close();
        source = null;
      }
      if (locked) banner("log in to receive live updates");
      $("#tree").replaceChildren(h("p", { class: "error" }, locked ? "Log in to read this device." : `Cannot read /devinfo: ${e.text}; trying again…`));
      if (!locked) setTimeout(load, 3000);
      return;
    }
    build(info);
    refreshAll();
    describeDirs();
    if (!source) connect();
  }

  function build(info) {
    document.title = `${info.devicename} — iotoyd`;
    $("#devicename").textContent = info.devicename;
    const root = { name: "", path: "", children: new Map() };
    const node = (path) => {
      let n = root;
      for (const part of path.split("/")) {
        if (!n.children.has(part)) {
          n.children.set(part, { name: part, path: n.path ? `${n.path}/${part}` : part, children: new Map() });
        }
        n = n.children.get(part);
      }
      return n;
    };
    for (const [name, a] of Object.entries(info.attrs || {})) node(name).attr = a;
    for (const [name, f] of Object.entries(info.funcs || {})) node(name).func = f;
    rows.clear();
    funcs.clear();
    const tree = $("#tree");
    tree.replaceChildren(...[...root.children.values()].map(render));
    if (!root.children.size) tree.append(h("p", { class: "loading" }, "This device has no resources."));
    root.box = tree;
    treeRoot = root;
    applyFaults();
    applySafes();
  }

  // A directory is a collapsible box; an attribute or function a row, with whatever lies below
  // it (an attribute's functions, such as /eyes/toggle) indented inside it.
  function render(n) {
    if (n.attr || n.func) {
      n.el = n.attr ? attrRow(n) : funcRow(n);
      if (n.children.size) n.el.append(h("div", { class: "sub" }, ...[...n.children.values()].map(render)));
      return n.el;
    }
    n.box = h("div", { class: "box" }, ...[...n.children.values()].map(render));
    n.help = h("span", { class: "help" });
    n.el = h("details", { class: "dir", open: true, "data-dir": `/${n.path}/` },
      h("summary", null, h("span", { class: "name" }, n.name), n.help, h("span", { class: "fault" }), h("span", { class: "failsafe" })), n.box);
    return n.el;
  }

  // Directory help texts and the board's own order (devinfo's keys are sorted), from GET of each
  // directory; the page works without them.
  async function describeDirs() {
    const root = treeRoot;
    const walk = async (n) => {
      if (n.attr || n.func) return;
      try {
        const dir = await api("GET", n.path ? `/${n.path}/` : "/");
        if (n === root) $("#devicehelp").textContent = dir.help || "";
        else n.help.textContent = dir.help || "";
        for (const name of dir.value || []) {
          const child = n.children.get(name);
          if (child) n.box.append(child.el);
        }
      } catch (_) {
        /* optional */
      }
      await Promise.all([...n.children.values()].map(walk));
    };
    if (root) await walk(root);
  }

  // ---------------------------------------------------------------- attributes
  function attrRow(n) {
    const a = n.attr;
    const row = { href: a.href, type: bare(a.type), name: n.name, writable: false, controls: null, value: undefined, ts: null };
    row.valueEl = h("span", { class: "value" });
    row.unitEl = h("span", { class: "unit" });
    row.ageEl = h("span", { class: "age" });
    row.ctl = h("div", { class: "ctl" });
    row.ctl.addEventListener("revert", () => showControls(row, true));
    row.faultEl = h("div", { class: "fault" });
    row.safeEl = h("div", { class: "failsafe" });
    row.errorEl = h("div", { class: "error", role: "alert" });
    row.el = h("div", { class: "item attr", "data-href": a.href, "data-type": row.type },
      h("div", { class: "line" }, h("span", { class: "name" }, n.name), row.valueEl, row.unitEl, row.ageEl),
      a.help ? h("div", { class: "help" }, a.help) : null,
      row.ctl, row.faultEl, row.safeEl, row.errorEl);
    rows.set(a.href, row);
    return row.el;
  }

  // A representation (GET, PUT's read-back, or a `value` event) arrived for a row.
  function apply(row, rep) {
    if (!rep) return;
    // A late answer must not undo a newer event: compare the device's own timestamps only.
    if (rep.timestamp != null && row.deviceTs != null && rep.timestamp < row.deviceTs) return;
    if (rep.methods && !row.controls) {
      row.writable = rep.methods.includes("PUT");
      row.limits = rep.constraints || {};
      buildControls(row);
    }
    if (rep.constraints && rep.constraints.unit) row.unitEl.textContent = rep.constraints.unit;
    if (!("value" in rep)) return;
    const changed = JSON.stringify(rep.value) !== JSON.stringify(row.value);
    if (rep.timestamp != null) row.ts = row.deviceTs = rep.timestamp;
    else if (changed && row.value !== undefined) row.ts = Date.now() / 1000;
    row.value = rep.value;
    row.valueEl.textContent = fmt(rep.value);
    row.el.classList.toggle("on", rep.value === true);
    showControls(row);
    if (row.chart && typeof rep.value === "number") {
      const list = history.get(row.href) || [];
      list.push([Date.now(), rep.value]);
      history.set(row.href, list);
      draw(row);
    }
    age(row);
  }

  async function refresh(row) {
    try {
      apply(row, await api("GET", row.href));
      if (row.readError) row.errorEl.textContent = "";
      row.readError = false;
      if (faults.delete(row.href)) applyFaults();
    } catch (e) {
      if (e.code === "hardware_fault") {
        faults.set(row.href, e.message);
        applyFaults();
      } else if (!row.el.classList.contains("rejected")) {
        row.errorEl.textContent = e.text;
        row.readError = true;
      }
    }
  }

  function refreshAll() {
    for (const row of rows.values()) refresh(row);
  }

  function floatStep(lo, hi) {
    const span = hi - lo;
    return span > 0 ? Math.pow(10, Math.round(Math.log10(span / 500))) : "any";
  }

  // One submit form: Enter in its field (a phone's Go key) or its button sends.
  function setForm(field, label, send) {
    const form = h("form", { class: "set", novalidate: true }, field, h("button", { type: "submit" }, label));
    field.addEventListener("input", () => (field.dataset.dirty = "1"));
    field.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape") return;
      delete field.dataset.dirty; // Escape: back to the device's value
      field.blur();
      field.dispatchEvent(new Event("revert", { bubbles: true }));
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      send();
    });
    return form;
  }

  function buildControls(row) {
    const t = row.type;
    const c = (row.controls = {});
    const lim = row.limits;
    row.ctl.replaceChildren();
    if (t === "bool") {
      if (row.writable) {
        c.check = h("input", { type: "checkbox", class: "switch", role: "switch", "aria-label": row.name });
        c.check.addEventListener("change", () => write(row, c.check.checked));
        row.ctl.append(c.check);
      } else {
        row.ctl.append(h("span", { class: "led", "aria-hidden": "true" }));
      }
    } else if (numeric(t)) {
      if (row.writable) {
        const bounded = Number.isFinite(lim.min) && Number.isFinite(lim.max);
        if (bounded) {
          c.range = h("input", { type: "range", min: lim.min, max: lim.max, step: t === "int" ? 1 : floatStep(lim.min, lim.max), "aria-label": row.name });
          c.range.addEventListener("input", () => {
            row.dragging = true;
            c.number.value = c.range.value;
            write(row, Number(c.range.value));
          });
          c.range.addEventListener("pointerdown", () => (row.dragging = true));
          const release = () => (row.dragging = false);
          c.range.addEventListener("change", release);
          c.range.addEventListener("pointerup", release);
          c.range.addEventListener("pointercancel", release);
          row.ctl.append(c.range);
        }
        c.number = h("input", { type: "number", step: t === "int" ? 1 : "any", inputmode: t === "int" ? "numeric" : "decimal", "aria-label": row.name });
        row.ctl.append(setForm(c.number, "Set", () => {
          const s = c.number.value.trim();
          delete c.number.dataset.dirty;
          if (s === "" || !Number.isFinite(Number(s))) return fail(row, new ApiError("enter a number"));
          write(row, Number(s));
        }));
        if (bounded) row.ctl.append(h("span", { class: "limits" }, `${fmt(lim.min)} … ${fmt(lim.max)}`));
      } else {
        row.chart = h("svg", { viewBox: "0 0 300 60", preserveAspectRatio: "none", "aria-hidden": "true" });
        row.line = h("polyline", { points: "", "vector-effect": "non-scaling-stroke" });
        row.chart.append(row.line);
        row.hiEl = h("span", { class: "hi" });
        row.loEl = h("span", { class: "lo" });
        row.ctl.append(h("div", { class: "chart", title: "last 2 minutes" }, row.chart, row.hiEl, row.loEl));
      }
    } else if (row.writable && t === "str") {
      c.text = h("input", { type: "text", "aria-label": row.name });
      row.ctl.append(setForm(c.text, "Set", () => {
        delete c.text.dataset.dirty;
        write(row, c.text.value);
      }));
    } else if (row.writable) {
      // json, or a type this page does not know: edit it as JSON
      c.json = h("textarea", { rows: 3, spellcheck: "false", "aria-label": row.name });
      row.ctl.append(setForm(c.json, "Send", () => {
        let v;
        try {
          v = JSON.parse(c.json.value);
        } catch (e) {
          return fail(row, new ApiError("not valid JSON", e.message));
        }
        delete c.json.dataset.dirty;
        write(row, v);
      }));
    }
    applyFaults();
  }

  // Puts the device's value into the controls, except where the person is still editing: a
  // field typed into and not yet sent, or (unless `force`: after a write) the focused one.
  function showControls(row, force) {
    const c = row.controls || {};
    const v = row.value;
    const free = (field) => field && !field.dataset.dirty && (force || document.activeElement !== field);
    if (c.check) c.check.checked = v === true;
    if (c.range && !row.dragging && typeof v === "number") c.range.value = String(v);
    if (free(c.number) && typeof v === "number") c.number.value = String(v);
    if (free(c.text)) c.text.value = v == null ? "" : String(v);
    if (free(c.json)) c.json.value = JSON.stringify(v, null, 1);
  }

  function fail(row, e) {
    row.errorEl.textContent = e.text;
    row.el.classList.add("rejected");
    // Snap back: the controls show what the device really has, not what was asked.
    row.dragging = false;
    for (const field of Object.values(row.controls || {})) delete field.dataset.dirty;
    showControls(row, true);
  }

  // Writes go one at a time per attribute; while one is in flight only the newest wish is kept
  // (a dragged slider sends its latest angle, not every pixel).
  function write(row, v) {
    row.wish = { v };
    if (!row.busy) pump(row);
  }

  async function pump(row) {
    row.busy = true;
    while (row.wish) {
      const { v } = row.wish;
      row.wish = null;
      try {
        const rep = await api("PUT", row.href, { value: v });
        row.errorEl.textContent = "";
        row.el.classList.remove("rejected");
        apply(row, rep);
      } catch (e) {
        fail(row, e);
        if (e.status !== 0) await refresh(row);
      }
    }
    row.busy = false;
    showControls(row, true);
  }

  function age(row) {
    row.ageEl.textContent = row.ts == null ? "" : fmtAge(Date.now() / 1000 - row.ts);
  }

  function draw(row) {
    const now = Date.now();
    const list = (history.get(row.href) || []).filter(([t]) => now - t <= CHART_MS);
    history.set(row.href, list);
    if (!list.length) return;
    let lo = Math.min(...list.map((p) => p[1]));
    let hi = Math.max(...list.map((p) => p[1]));
    row.hiEl.textContent = fmt(hi);
    row.loEl.textContent = fmt(lo);
    if (hi - lo < 1e-9) {
      lo -= 1;
      hi += 1;
    }
    const x = (t) => (300 * (1 - (now - t) / CHART_MS)).toFixed(1);
    const y = (v) => (56 - (52 * (v - lo)) / (hi - lo)).toFixed(1);
    const points = list.map(([t, v]) => `${x(t)},${y(v)}`);
    points.push(`300,${y(list[list.length - 1][1])}`); // the last value holds until now
    row.line.setAttribute("points", points.join(" "));
  }

  // ---------------------------------------------------------------- functions
  function argField(name, type) {
    const t = bare(type);
    const label = (input) => h("label", null, h("span", null, name), input);
    if (t === "bool") {
      const input = h("input", { type: "checkbox", name });
      return { el: label(input), read: () => input.checked };
    }
    const input = numeric(t)
      ? h("input", { type: "number", name, step: t === "int" ? 1 : "any", inputmode: "decimal", placeholder: t })
      : h("input", { type: "text", name, placeholder: t });
    const read = () => {
      const s = input.value;
      if (numeric(t)) {
        if (s.trim() === "" || !Number.isFinite(Number(s))) throw new ApiError(`${name}: enter a number`);
        return Number(s);
      }
      if (t === "str") return s;
      try {
        return JSON.parse(s);
      } catch (e) {
        throw new ApiError(`${name}: not valid JSON`, e.message);
      }
    };
    return { el: label(input), read };
  }

  function funcRow(n) {
    const f = n.func;
    const spec = (f.value && f.value.spec) || {};
    const fields = (spec.args || []).map(([name, type]) => argField(name, type));
    const row = { href: f.href, name: n.name };
    const button = h("button", { type: "submit" }, "Call");
    row.resultEl = h("span", { class: "result" });
    row.faultEl = h("div", { class: "fault" });
    row.errorEl = h("div", { class: "error", role: "alert" });
    row.form = h("form", { class: "call", novalidate: true }, ...fields.map((x) => x.el), button, row.resultEl);
    row.form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      row.errorEl.textContent = "";
      let args;
      try {
        args = fields.map((x) => x.read());
      } catch (e) {
        row.errorEl.textContent = e.text;
        return;
      }
      button.disabled = true;
      try {
        const r = await api("POST", f.href, { args });
        result(row, r.type === "iotoy.org/types/null" ? null : r.value, Date.now() / 1000, r.name);
      } catch (e) {
        row.errorEl.textContent = e.text;
      } finally {
        button.disabled = row.el.classList.contains("faulted");
      }
    });
    const sig = (spec.result || []).map(([name, type]) => `${name}: ${type}`).join(", ");
    row.el = h("div", { class: "item func", "data-href": f.href },
      h("div", { class: "line" }, h("span", { class: "name" }, `${n.name}()`), sig ? h("span", { class: "unit" }, `→ ${sig}`) : null),
      f.help ? h("div", { class: "help" }, f.help) : null,
      row.form, row.faultEl, row.errorEl);
    funcs.set(f.href, row);
    return row.el;
  }

  function result(row, value, ts, name) {
    const time = new Date(ts * 1000).toLocaleTimeString();
    row.resultEl.textContent = value === null ? `done at ${time}` : `${name ? name + " = " : ""}${fmt(value)} at ${time}`;
  }

  // ---------------------------------------------------------------- faults
  function applyFaults() {
    const reasonFor = (href) => {
      for (const [component, reason] of faults) if (covers(component, href)) return reason;
      return null;
    };
    for (const item of [...rows.values(), ...funcs.values()]) {
      const reason = reasonFor(item.href);
      item.el.classList.toggle("faulted", reason !== null);
      item.faultEl.textContent = reason === null ? "" : `fault: ${reason}`;
      for (const input of (item.form || item.ctl).querySelectorAll("input, button, textarea")) input.disabled = reason !== null;
    }
    for (const dir of document.querySelectorAll("details.dir")) {
      const reason = reasonFor(norm(dir.dataset.dir));
      dir.classList.toggle("faulted", reason !== null);
      dir.querySelector("summary .fault").textContent = reason === null ? "" : `fault: ${reason}`;
    }
  }

  // An actuator put into its safe state (its failsafe deadline, or the emergency stop) says so
  // until its next value event.
  function applySafes() {
    const text = (href) => (safes.has(href) ? `failsafe: ${safes.get(href)}` : "");
    for (const row of rows.values()) row.safeEl.textContent = text(norm(row.href));
    for (const dir of document.querySelectorAll("details.dir")) dir.querySelector("summary .failsafe").textContent = text(norm(dir.dataset.dir));
  }

  function commanded(href) {
    const target = norm(href);
    let changed = false;
    for (const key of [...safes.keys()]) if (covers(key, target)) changed = safes.delete(key);
    if (changed) applySafes();
  }

  // ---------------------------------------------------------------- live updates
  function connect() {
    if (!window.EventSource) {
      banner("this browser cannot receive live updates (no EventSource)");
      return;
    }
    const es = (source = new EventSource("/"));
    es.onopen = () => {
      retryMs = 1000;
      banner(null);
      if (stale) {
        stale = false;
        refreshAll();
      }
    };
    es.onerror = () => {
      if (es.readyState === EventSource.OPEN) return;
      banner("disconnected — reconnecting…");
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (the answer was not an event stream): start again ourselves.
        es.close();
        source = null;
        stale = true;
        setTimeout(reconnect, retryMs);
        retryMs = Math.min(retryMs * 2, 30000);
      }
    };
    const on = (name, handle) =>
      es.addEventListener(name, (ev) => {
        let data = null;
        try {
          data = ev.data ? JSON.parse(ev.data) : null;
        } catch (_) {
          return;
        }
        handle(data || {});
      });
    on("value", (d) => {
      const row = rows.get(d.href);
      if (row) apply(row, d);
      commanded(d.href);
    });
    on("call", (d) => {
      commanded(d.href);
      const row = funcs.get(d.href);
      if (row) result(row, d.value === undefined ? null : d.value, d.timestamp || Date.now() / 1000);
    });
    on("fault", (d) => {
      const v = d.value || {};
      faults.set(norm(d.href), v.message || d.help || "faulted");
      applyFaults();
    });
    on("recovered", (d) => {
      const component = norm(d.href);
      for (const key of [...faults.keys()]) if (covers(component, key)) faults.delete(key);
      applyFaults();
    });
    on("failsafe", (d) => {
      if (d.href == null) return;
      safes.set(norm(d.href), d.reason || "safe state");
      applySafes();
      if (d.reason === "emergency stop") stopped(true);
    });
    on("tree", () => load());
    on("reset", () => refreshAll());
    on("dropped", (d) => {
      note(`${d.count || "some"} live updates were dropped; values re-read at ${new Date().toLocaleTimeString()}`);
      refreshAll();
    });
  }

  // The stream was refused or lost: a 401 (the session ended) waits for the login instead.
  async function reconnect() {
    try {
      await api("GET", "/devinfo");
    } catch (e) {
      if (e.status === 401) return banner("log in to receive live updates");
    }
    if (!source) connect();
  }

  // ---------------------------------------------------------------- simulated hardware
  const sim = { lines: new Map(), shape: "", timer: null };

  async function loadSim() {
    let snap;
    try {
      snap = await api("GET", "/_sim");
    } catch (_) {
      return; // not simulated: no panel
    }
    $("#sim").hidden = false;
    showSim(snap);
    if (sim.timer) return;
    sim.timer = setInterval(async () => {
      if (document.hidden || !$("#sim details").open) return;
      try {
        showSim(await api("GET", "/_sim"));
      } catch (_) {
        /* next time */
      }
    }, 2000);
  }

  function showSim(snap) {
    const chips = Object.entries(snap.gpio || {}).map(([name, chip]) => {
      const id = chip.label || name;
      const lines = (chip.lines || []).map((l) => ({ ...l, key: `${id}/${l.name || l.offset}` }));
      return { id, name, lines };
    });
    const shape = chips.map((c) => c.lines.map((l) => l.key + (l.consumer ? "*" : "")).join()).join(";");
    if (shape !== sim.shape) {
      sim.shape = shape;
      sim.lines.clear();
      $("#sim-gpio").replaceChildren(...chips.map(simChip));
    }
    for (const c of chips) {
      for (const l of c.lines) {
        const el = sim.lines.get(l.key);
        if (el) el.textContent = l.level === true ? "1" : l.level === false ? "0" : fmt(l.level);
      }
    }
    const other = [];
    const flat = (prefix, v) => {
      const simple = (x) => x === null || typeof x !== "object" || (Array.isArray(x) && x.every((y) => y === null || typeof y !== "object"));
      if (simple(v)) return other.push(`${prefix} ${fmt(v)}`);
      const entries = Object.entries(v);
      if (!Array.isArray(v) && entries.every(([, x]) => simple(x))) {
        return other.push(`${prefix}  ${entries.map(([k, x]) => `${k}=${fmt(x)}`).join(" ")}`);
      }
      for (const [k, x] of entries) flat(prefix ? `${prefix} ${k}` : k, x);
    };
    for (const [k, v] of Object.entries(snap)) if (k !== "gpio") flat(k, v);
    $("#sim-other").textContent = other.join("\n");
  }

  function simChip(chip) {
    const line = (l) => {
      const level = h("span", { class: "level" });
      sim.lines.set(l.key, level);
      const used = l.consumer ? `${l.direction || ""} · ${l.consumer}` : "";
      return h("div", { class: "simline", "data-line": l.key },
        h("span", { class: "name" }, l.name || `line ${l.offset}`), h("span", { class: "help" }, used),
        h("span", { class: "drive" }, level, ...["0", "1", "float"].map((v) =>
          h("button", { type: "button", "data-sim-line": l.key, "data-level": v, title: `drive ${l.key} ${v}` }, v))));
    };
    const used = chip.lines.filter((l) => l.consumer);
    const rest = chip.lines.filter((l) => !l.consumer);
    return h("div", { class: "simchip" },
      h("h3", null, chip.id === chip.name ? chip.id : `${chip.id} (${chip.name})`),
      ...used.map(line),
      rest.length ? h("details", null, h("summary", null, `other lines (${rest.length})`), ...rest.map(line)) : null);
  }

  document.addEventListener("click", async (ev) => {
    const b = ev.target.closest("button[data-sim-line]");
    if (!b) return;
    const err = $("#sim-error");
    err.textContent = "";
    b.disabled = true;
    try {
      const [chip, ...line] = b.dataset.simLine.split("/");
      const href = `/_sim/gpio/${encodeURIComponent(chip)}/${encodeURIComponent(line.join("/"))}`;
      showSim(await api("PUT", href, undefined, b.dataset.level));
    } catch (e) {
      err.textContent = `${b.dataset.simLine}: ${e.text}`;
    } finally {
      b.disabled = false;
    }
  });

  // ---------------------------------------------------------------- access and safety
  // With server.auth on, a 401 asks for a token, traded for a session cookie (POST /_login) that
  // every request and the EventSource then carry; without auth no 401 comes and nothing shows.
  const USER = "iotoyd.user"; // who logged in, for the display only: the cookie is HttpOnly

  function showUser(u) {
    try {
      if (u) localStorage.setItem(USER, JSON.stringify(u));
      else localStorage.removeItem(USER);
    } catch (_) {
      /* no storage: only this page knows */
    }
    $("#user").hidden = !u;
    $("#whoami").textContent = u ? `logged in as ${u.name} (${u.role})` : "";
  }

  function needLogin() {
    showUser(null);
    $("#login").hidden = false;
  }

  // After a login or logout: everything again, with the new role, and a new stream.
  function restart() {
    if (source) source.close();
    source = null;
    load();
    loadSim();
  }

  $("#login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("#login-error");
    const button = $("#login-button");
    const token = $("#token").value.trim();
    err.textContent = "";
    if (!token) return (err.textContent = "enter the token");
    button.disabled = true;
    try {
      const r = await api("POST", "/_login", undefined, token);
      $("#token").value = "";
      $("#login").hidden = true;
      showUser(r.value || { name: "?", role: "?" });
      restart();
    } catch (e) {
      err.textContent = e.text;
    } finally {
      button.disabled = false;
    }
  });

  $("#logout").addEventListener("click", async () => {
    try {
      await api("POST", "/_logout");
    } catch (e) {
      return ($("#safety-error").textContent = `Log out: ${e.text}`);
    }
    showUser(null);
    restart();
  });

  function stopped(on) {
    $("#stopped").hidden = !on;
  }

  // The emergency stop is never disabled: pressing it twice is harmless.
  async function safety(href, stop) {
    const err = $("#safety-error");
    err.textContent = "";
    try {
      const r = await api("POST", href);
      stopped(stop);
      const bad = ((r && r.value && r.value.actuators) || []).filter((a) => a.error);
      if (bad.length) err.textContent = `not made safe: ${bad.map((a) => `${a.href}: ${a.error}`).join("; ")}`;
    } catch (e) {
      err.textContent = `${stop ? "Emergency stop" : "Resume"}: ${e.text}`;
    }
  }
  $("#estop").addEventListener("click", () => safety("/_safe", true));
  $("#resume").addEventListener("click", () => safety("/_resume", false));

  // ---------------------------------------------------------------- start
  setInterval(() => {
    for (const row of rows.values()) {
      age(row);
      if (row.chart) draw(row);
    }
  }, 1000);
  try {
    const u = JSON.parse(localStorage.getItem(USER) || "null");
    if (u && u.name) showUser(u);
  } catch (_) {
    /* nothing remembered */
  }
  load();
  loadSim();
})();
