#include "bot/dashboard_page.hpp"

namespace cxos::bot {

namespace {

// The login form's look: the dashboard's colours, nothing more.
constexpr std::string_view login_style = R"css(
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1f2933;background:#102a43}
form{max-width:360px;margin:80px auto;background:#fff;border-radius:10px;padding:24px;display:grid;gap:12px}
input,button{font:inherit;padding:7px 9px;border:1px solid #9aa5b1;border-radius:6px}
button{background:#3e7bfa;border-color:#3e7bfa;color:#fff;cursor:pointer}
label{display:grid;gap:4px;font-size:12px}.err{color:#b42318;font-weight:600;margin:0}
)css";

} // namespace

const std::string_view dashboard_html = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cxos · friction dashboard</title><style>
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#2457c5}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#102a43;color:#fff;padding:14px 24px;display:flex;align-items:flex-end;gap:14px;flex-wrap:wrap}
header h1{font-size:18px;margin:0 auto 0 0;font-weight:600;align-self:center}
header label{color:#d9e2ec}header a{color:#bcccdc;align-self:center}
main{padding:20px 24px;display:grid;gap:18px;grid-template-columns:repeat(auto-fit,minmax(320px,1fr))}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;min-width:0}
section.wide{grid-column:1/-1}h2{font-size:15px;margin:0 0 12px}
input,select,button{font:inherit;padding:5px 8px;border:1px solid #9aa5b1;border-radius:6px;background:#fff;color:var(--ink)}
button{background:#3e7bfa;border-color:#3e7bfa;color:#fff;cursor:pointer}
label{font-size:12px;display:flex;flex-direction:column;gap:2px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 130px;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;text-align:left;border-bottom:1px solid var(--line)}
th{font-size:12px;color:var(--muted);font-weight:600}
#heat td.cell{text-align:center;font-weight:600;min-width:64px;border:2px solid #fff;border-radius:4px}
#heat th.row{white-space:nowrap}.legend{display:flex;align-items:center;gap:6px;margin-top:10px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:26px;height:14px;border-radius:3px}
.gauges{display:flex;gap:16px;justify-content:space-around;text-align:center}
.muted{color:var(--muted)}.num{text-align:right;font-variant-numeric:tabular-nums}
#state{font-size:12px;color:#d9e2ec;align-self:center}#error{color:#b42318;font-weight:600}
</style></head><body>
<header><h1>cxos · friction dashboard</h1>
<form id="filters"><div style="display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap">
<label>Owner<select id="owner" name="owner"><option value="">all owners</option></select></label>
<label>From<input id="from" name="from" type="date"></label>
<label>To<input id="to" name="to" type="date"></label>
<button id="apply" type="submit">Apply</button></div></form>
<a id="csv" href="/api/v1/export.csv">Export CSV</a><span id="state" data-state="loading">loading…</span></header>
<main>
<section class="wide"><div class="cards" id="cards"></div><p id="error" role="alert"></p></section>
<section class="wide"><h2>Journey heat map: reports per stage × component</h2><div style="overflow-x:auto"><table id="heat"></table></div>
<div class="legend" id="legend"></div></section>
<section><h2>Weekly trend</h2><svg id="trend" viewBox="0 0 480 200" width="100%" role="img" aria-label="signals per week"></svg>
<div class="legend"><i style="background:#3e7bfa"></i>signals <i style="background:#0f9d58;height:3px"></i>items fixed</div></section>
<section><h2>Routing and closed loops</h2><div class="gauges" id="gauges"></div><table id="times"></table></section>
<section class="wide"><h2>Top 10 items</h2><table id="top"></table></section>
<section><h2>Open items by owner</h2><table id="owners"></table></section>
<section><h2>Routing accuracy per rule</h2><table id="rules"></table></section>
</main>
<script>
"use strict";
const $ = id => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
// Sequential, colour-blind safe (ColorBrewer YlOrRd); the two darkest take white text.
const RAMP = ["#ffffb2","#fed976","#feb24c","#fd8d3c","#f03b20","#bd0026"];
function el(tag, attrs, ...kids) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : String(k));
  return e;
}
function fill(id, ...rows) { $(id).replaceChildren(...rows); }
function pct(x) { return x === null || x === undefined ? "n/a" : Math.round(x * 100) + " %"; }
function dur(ms) {
  if (!ms) return "–"; const m = ms / 60000;
  return m < 60 ? Math.round(m) + " min" : m < 2880 ? (m / 60).toFixed(1) + " h" : (m / 1440).toFixed(1) + " d";
}
function query() {
  const p = new URLSearchParams();
  for (const k of ["owner", "from", "to"]) if ($(k).value) p.set(k, $(k).value);
  return p.toString();
}
function cards(d) {
  const t = d.totals, e = d.economics;
  const list = [["Signals", t.signals], ["Items", t.items + " (" + t.open_items + " open)"],
    ["Reports per item", t.reports_per_item], ["Week over week", d.week_over_week === null ? "n/a" : (d.week_over_week > 0 ? "+" : "") + d.week_over_week + " %"]];
  if (e.enabled) list.push(["Cost, last 30 days", e.cost_month.text], ["Cost in range", e.cost.text]);
  fill("cards", ...list.map(([k, v]) => el("div", {class: "card"}, el("b", {}, v), el("span", {}, k))));
}
function heat(d) {
  const stages = d.stages.slice(), comps = d.components.map(c => c.slug);
  const titles = Object.fromEntries(d.components.map(c => [c.slug, c.title]));
  if (d.heat_map.some(c => c.stage === "")) stages.push("");
  if (d.heat_map.some(c => c.component === "")) comps.push("");
  const max = Math.max(1, ...d.heat_map.map(c => c.signals));
  const at = {}; for (const c of d.heat_map) at[c.stage + "|" + c.component] = c;
  const head = el("tr", {}, el("th", {}, "stage \u2193 / component \u2192"),
    ...comps.map(c => el("th", {title: titles[c] || "no component"}, c ? "+" + c : "none")));
  const rows = stages.map(s => el("tr", {}, el("th", {class: "row"}, s ? "#" + s : "no stage"), ...comps.map(c => {
    const cell = at[s + "|" + c], n = cell ? cell.signals : 0;
    const step = n ? Math.min(RAMP.length - 1, Math.floor((n / max) * (RAMP.length - 1) + 0.0001)) : -1;
    const td = el("td", {class: "cell", "data-stage": s, "data-component": c, "data-count": n,
      title: n ? n + " reports on " + cell.items + " items, " + cell.contacts + " contacts" : "no reports"}, n ? n : "");
    td.style.background = step < 0 ? "#f5f7fa" : RAMP[step]; td.style.color = step >= 4 ? "#fff" : "#1f2933";
    return td;
  })));
  fill("heat", el("thead", {}, head), el("tbody", {}, ...rows));
  fill("legend", "fewer", ...RAMP.map(c => { const i = el("i"); i.style.background = c; return i; }), "more reports (max " + max + ")");
}
function trend(d) {
  const w = d.weeks, max = Math.max(1, ...w.map(x => Math.max(x.signals, x.fixed_items)));
  const svg = $("trend"), x0 = 30, bw = 450 / w.length, h = 150, kids = [];
  for (let i = 0; i <= 4; i++) {
    const y = 10 + h - h * i / 4;
    kids.push(el("svg:line", {x1: x0, x2: 478, y1: y, y2: y, stroke: "#e4e7eb"}),
      el("svg:text", {x: x0 - 4, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#616e7c"}, Math.round(max * i / 4)));
  }
  const pts = [];
  w.forEach((x, i) => {
    const bh = h * x.signals / max, cx = x0 + i * bw + bw / 2;
    kids.push(el("svg:rect", {x: x0 + i * bw + 6, y: 10 + h - bh, width: bw - 12, height: bh, rx: 3, fill: "#3e7bfa", "data-week": x.start},
      el("svg:title", {}, x.start + ": " + x.signals + " signals, " + x.new_items + " new items, " + x.fixed_items + " fixed")));
    kids.push(el("svg:text", {x: cx, y: 190, "text-anchor": "middle", "font-size": 10, fill: "#616e7c"}, x.start.slice(5)));
    pts.push(cx + "," + (10 + h - h * x.fixed_items / max));
  });
  kids.push(el("svg:polyline", {points: pts.join(" "), fill: "none", stroke: "#0f9d58", "stroke-width": 3}));
  svg.replaceChildren(...kids);
}
function gauge(label, value, detail) {
  const v = value === null ? 0 : Math.max(0, Math.min(1, value)), a = Math.PI * (1 - v);
  const x = 60 + 48 * Math.cos(a), y = 60 - 48 * Math.sin(a), colour = value === null ? "#9aa5b1" : v >= 0.6 ? "#0f9d58" : "#d97706";
  const svg = el("svg:svg", {viewBox: "0 0 120 72", width: 160, role: "img", "aria-label": label + " " + pct(value)},
    el("svg:path", {d: "M12 60 A48 48 0 0 1 108 60", fill: "none", stroke: "#e4e7eb", "stroke-width": 12}),
    el("svg:path", {d: "M12 60 A48 48 0 0 1 " + x.toFixed(2) + " " + y.toFixed(2), fill: "none", stroke: colour, "stroke-width": 12}),
    el("svg:text", {x: 60, y: 58, "text-anchor": "middle", "font-size": 16, "font-weight": 700}, pct(value)));
  return el("div", {class: "gauge"}, svg, el("div", {}, el("b", {}, label)), el("div", {class: "muted"}, detail));
}
function tables(d) {
  const r = d.routing_accuracy, l = d.closed_loops, money = d.economics.enabled;
  fill("gauges", gauge("Routing accuracy", r.accuracy, (r.routed - r.rerouted) + " of " + r.routed + " routed items (target 60 %)"),
    gauge("Closed-loop rate", l.rate, l.closed_loops + " of " + l.fixed_items + " fixed items" +
      (l.closed_loops ? ", median " + dur(l.median_ms) + " to close" : "")));
  fill("times", el("tr", {}, el("th", {}, ""), el("th", {class: "num"}, "p50"), el("th", {class: "num"}, "p90"), el("th", {class: "num"}, "items")),
    ...[["Time to route", d.time_to_route], ["Time to acknowledge", d.time_to_acknowledge], ["Time to fix", d.time_to_fix]].map(([k, t]) =>
      el("tr", {}, el("td", {}, k), el("td", {class: "num"}, dur(t.p50_ms)), el("td", {class: "num"}, dur(t.p90_ms)), el("td", {class: "num"}, t.count))));
  const head = ["#", "Item", "Owner", "Status", "Stage", "Reports"].concat(money ? ["Cost, 30 days", "Cost so far"] : []);
  fill("top", el("tr", {}, ...head.map(h => el("th", {}, h))), ...d.top_items.map(i => el("tr", {"data-item": i.id},
    el("td", {}, i.id), el("td", {}, i.title), el("td", {}, i.owner), el("td", {}, i.status_label), el("td", {}, i.stage ? "#" + i.stage : ""),
    el("td", {class: "num"}, i.reports), ...(money ? [el("td", {class: "num"}, i.cost_month.text), el("td", {class: "num"}, i.cost_so_far.text)] : []))));
  if (!d.top_items.length) $("top").append(el("tr", {}, el("td", {colspan: head.length, class: "muted"}, "No items match.")));
  fill("owners", el("tr", {}, ...["Owner", "Open", "Oldest", "Median age"].concat(money ? ["Cost, 30 days"] : []).map(h => el("th", {}, h))),
    ...d.open_by_owner.map(o => el("tr", {}, el("td", {}, o.owner), el("td", {class: "num"}, o.open_items), el("td", {class: "num"}, dur(o.oldest_age_ms)),
      el("td", {class: "num"}, dur(o.median_age_ms)), ...(money ? [el("td", {class: "num"}, o.cost_month.text)] : []))));
  fill("rules", el("tr", {}, ...["Rule", "Routed", "Rerouted", "Accuracy"].map(h => el("th", {}, h))),
    ...r.rules.map(x => el("tr", {}, el("td", {}, x.rule || "fallback"), el("td", {class: "num"}, x.routed), el("td", {class: "num"}, x.rerouted), el("td", {class: "num"}, pct(x.accuracy)))));
}
let loads = 0;
async function load() {
  const q = query(); $("state").dataset.state = "loading"; $("state").textContent = "loading…";
  $("csv").href = "/api/v1/export.csv" + (q ? "?" + q : "");
  history.replaceState(null, "", "/dashboard" + (q ? "?" + q : ""));
  try {
    const res = await fetch("/api/v1/kpis" + (q ? "?" + q : ""), {credentials: "same-origin"});
    const d = await res.json();
    if (!res.ok) throw new Error(d.error || res.statusText);
    const owner = $("owner");
    if (owner.options.length === 1) for (const o of d.owners) owner.append(el("option", {value: o}, o));
    owner.value = d.filter.owner;
    $("error").textContent = ""; cards(d); heat(d); trend(d); tables(d);
    $("state").textContent = "updated " + d.generated_at.replace("T", " ").slice(0, 16) + " UTC";
    $("state").dataset.state = "ready"; $("state").dataset.loads = ++loads;
  } catch (e) {
    $("error").textContent = "Could not load the figures: " + e.message;
    $("state").dataset.state = "error"; $("state").textContent = "error";
  }
}
const initial = new URLSearchParams(location.search);
for (const k of ["from", "to"]) if (initial.get(k)) $(k).value = initial.get(k);
if (initial.get("owner")) $("owner").append(el("option", {value: initial.get("owner")}, initial.get("owner")));
$("owner").value = initial.get("owner") || "";
$("filters").addEventListener("submit", ev => { ev.preventDefault(); load(); });
$("owner").addEventListener("change", load);
load();
</script></body></html>
)html";

std::string dashboard_login_html(bool failed) {
    return std::string(R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cxos · log in</title><style>)html") +
           std::string(login_style) + R"html(</style></head><body>
<form method="post" action="/dashboard/login"><h1 style="font-size:18px;margin:0">cxos dashboard</h1>)html" +
           (failed ? std::string(R"html(<p class="err" role="alert">That token is not right.</p>)html") : std::string()) +
           R"html(<label>Access token (CXOS_DASHBOARD_TOKEN)<input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button></form></body></html>
)html";
}

} // namespace cxos::bot
