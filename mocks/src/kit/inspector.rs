//! `GET /_mock/`: a small inspector page for humans, served by every mock beside its admin API.
//! It reads `GET /_mock/health`, `GET /_mock/state` and `GET /_mock/outbox` once a second and
//! shows each collection of the state (users, groups or conversations, messages, ...) as a
//! table, the outbox, and a live log of what changed between two reads. One HTML document with
//! its script and style inline: no external assets, so it works offline; every value is set as
//! text, never as markup, so a user name cannot inject anything.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// The page (`text/html; charset=utf-8`).
pub const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chatspec mock inspector</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
  table { border-collapse: collapse; margin: .5em 0; }
  th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; max-width: 40em; overflow-wrap: anywhere; }
  th { background: #f3f3f3; } .muted { color: #777; } #log li { font-family: monospace; }
</style></head>
<body>
<h1>chatspec mock inspector <span id="api" class="muted"></span></h1>
<p class="muted">Reads <code>/_mock/state</code> and <code>/_mock/outbox</code> every second. <span id="status"></span></p>
<div id="state"></div>
<h2>Outbox</h2><div id="outbox"></div>
<h2>Live changes</h2><ol id="log"></ol>
<script>
"use strict";
const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
const cell = (v) => v === undefined ? "" : (v !== null && typeof v === "object") ? JSON.stringify(v) : String(v);
function table(rows) {
  if (rows.length === 0) return el("p", "(none)");
  const cols = [];
  for (const [, r] of rows) for (const k of Object.keys(r !== null && typeof r === "object" ? r : { value: r })) if (!cols.includes(k)) cols.push(k);
  const t = el("table"), head = el("tr");
  head.append(el("th", "key"), ...cols.map(c => el("th", c)));
  t.append(head);
  for (const [key, r] of rows.slice(-200)) {
    const obj = r !== null && typeof r === "object" && !Array.isArray(r) ? r : { value: r };
    const tr = el("tr");
    tr.append(el("td", key), ...cols.map(c => el("td", cell(obj[c]))));
    t.append(tr);
  }
  return t;
}
function rowsOf(v) {
  if (Array.isArray(v)) return v.map((r, i) => [String(i), r]);
  if (v !== null && typeof v === "object") {
    // a map of maps (messages by group): one row per inner entry, keyed "outer/inner"
    const entries = Object.entries(v);
    if (entries.length && entries.every(([, x]) => x !== null && typeof x === "object" && !Array.isArray(x) && Object.values(x).every(y => y !== null && typeof y === "object"))
        && entries.some(([, x]) => Object.keys(x).length && !("id" in x) && !("_id" in x))) {
      return entries.flatMap(([k, x]) => Object.entries(x).map(([k2, y]) => [k + "/" + k2, y]));
    }
    return entries;
  }
  return [["value", v]];
}
let last = {};
function changes(name, rows) {
  const now = new Set(rows.map(([k]) => k)), before = last[name] || new Set();
  const added = [...now].filter(k => !before.has(k));
  if (last[name] !== undefined && added.length) {
    const li = el("li", new Date().toLocaleTimeString() + "  " + name + ": +" + added.length + " (" + added.slice(0, 5).join(", ") + (added.length > 5 ? ", ..." : "") + ")");
    document.getElementById("log").prepend(li);
  }
  last[name] = now;
}
async function refresh() {
  try {
    const [health, state, outbox] = await Promise.all(["health", "state", "outbox"].map(p => fetch("/_mock/" + p).then(r => r.json())));
    document.getElementById("api").textContent = health.api || "";
    const root = document.getElementById("state");
    root.replaceChildren();
    for (const [name, v] of Object.entries(state)) {
      if (v === null || typeof v !== "object") continue;
      const rows = rowsOf(v);
      changes(name, rows);
      const section = el("section");
      section.append(el("h2", name + " (" + rows.length + ")"), table(rows));
      root.append(section);
    }
    const items = rowsOf(outbox.outbox || []);
    changes("outbox", items);
    document.getElementById("outbox").replaceChildren(table(items));
    document.getElementById("status").textContent = "Last read " + new Date().toLocaleTimeString() + ".";
  } catch (e) {
    document.getElementById("status").textContent = "The mock does not answer: " + e;
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body></html>"#;

/// `GET /_mock/`: [`PAGE`].
pub async fn page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
}
