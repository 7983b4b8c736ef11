// The dashboard's script, served as /dashboard/app.js so the page's CSP can be `script-src 'self'`
// (no inline script). It reads /api/v1/kpis and draws everything with DOM calls; colours set
// through element.style are CSSOM, which `style-src 'self'` allows.
#include "bot/web/dashboard_page.hpp"

namespace cxos::bot {

const std::string_view dashboard_js = R"js("use strict";
const $ = id => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
// Sequential, colour-blind safe (ColorBrewer YlOrRd); the two darkest take white text.
const RAMP = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
function el(tag, attrs, ...kids) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : String(k));
  return e;
}
function fill(id, ...rows) { $(id).replaceChildren(...rows); }
// "1 report", "3 reports", "2 people": every count on the page goes through it.
function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }
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
// A table whose rows turn into labelled blocks on a narrow screen (CSS reads data-label).
function table(id, head, rows) {
  fill(id, el("thead", {}, el("tr", {}, ...head.map(h => el("th", {class: h.num ? "num" : ""}, h.label)))),
    el("tbody", {}, ...rows.map(r => {
      const tr = el("tr", r.attrs || {});
      r.cells.forEach((c, i) => {
        const td = c instanceof Node && c.tagName === "TD" ? c : el("td", {}, c);
        td.dataset.label = head[i].label;
        if (head[i].num) td.classList.add("num");
        tr.append(td);
      });
      return tr;
    })));
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
  const head = el("tr", {}, el("th", {class: "corner"}, "stage \u2193 / component \u2192"),
    ...comps.map(c => el("th", {class: "col", title: titles[c] || "no component"}, c ? "+" + c : "none")));
  const rows = stages.map(s => el("tr", {}, el("th", {class: "row"}, s ? "#" + s : "no stage"), ...comps.map(c => {
    const cell = at[s + "|" + c], n = cell ? cell.signals : 0;
    const step = n ? Math.min(RAMP.length - 1, Math.floor((n / max) * (RAMP.length - 1) + 0.0001)) : -1;
    const td = el("td", {class: "cell", "data-stage": s, "data-component": c, "data-count": n,
      title: n ? plural(n, "report") + " on " + plural(cell.items, "item") + ", " + plural(cell.contacts, "contact") : "no reports"}, n ? n : "");
    td.style.background = step < 0 ? "#f5f7fa" : RAMP[step]; td.style.color = step >= 4 ? "#fff" : "#1f2933";
    return td;
  })));
  fill("heat", el("thead", {}, head), el("tbody", {}, ...rows));
  fill("legend", el("span", {}, "fewer"), ...RAMP.map(c => { const i = el("i"); i.style.background = c; return i; }),
    el("span", {}, "more reports (max " + max + ")"));
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
      el("svg:title", {}, x.start + ": " + plural(x.signals, "signal") + ", " + plural(x.new_items, "new item") + ", " + x.fixed_items + " fixed")));
    kids.push(el("svg:text", {x: cx, y: 190, "text-anchor": "middle", "font-size": 10, fill: "#616e7c"}, x.start.slice(5)));
    pts.push(cx + "," + (10 + h - h * x.fixed_items / max));
  });
  kids.push(el("svg:polyline", {points: pts.join(" "), fill: "none", stroke: "#0f9d58", "stroke-width": 3}));
  svg.replaceChildren(...kids);
}
function gauge(id, label, value, detail) {
  const v = value === null ? 0 : Math.max(0, Math.min(1, value)), a = Math.PI * (1 - v);
  const x = 60 + 48 * Math.cos(a), y = 60 - 48 * Math.sin(a), colour = value === null ? "#9aa5b1" : v >= 0.6 ? "#0f9d58" : "#d97706";
  const svg = el("svg:svg", {viewBox: "0 0 120 72", role: "img", "aria-label": label + " " + pct(value)},
    el("svg:path", {d: "M12 60 A48 48 0 0 1 108 60", fill: "none", stroke: "#e4e7eb", "stroke-width": 12}),
    el("svg:path", {d: "M12 60 A48 48 0 0 1 " + x.toFixed(2) + " " + y.toFixed(2), fill: "none", stroke: colour, "stroke-width": 12}),
    el("svg:text", {x: 60, y: 58, "text-anchor": "middle", "font-size": 16, "font-weight": 700}, pct(value)));
  return el("div", {class: "gauge", id: id}, svg, el("div", {}, el("b", {}, label)), el("div", {class: "muted detail"}, detail));
}
// Rule-routed accuracy: items no rule matched went to the fallback owner by default and say
// nothing about the rules, so they are shown apart, as a share of routed items.
function routing_detail(r) {
  if (!r.routed) return "no item routed yet";
  const fallback = r.fallback_routed + " of " + plural(r.routed, "routed item") + " (" + pct(r.fallback_share) + ") went to the fallback owner";
  if (!r.rule_routed) return "no rule routed an item yet; " + fallback;
  return (r.rule_routed - r.rule_rerouted) + " of " + plural(r.rule_routed, "item") + " routed by a rule stayed (target 60 %); " + fallback;
}
function post_links(i) {
  const names = {slack: "Slack", teams: "Teams"};
  const title = i.posts.length ? el("a", {href: i.posts[0].url, target: "_blank", rel: "noopener noreferrer", class: "post",
    title: "open the post in " + names[i.posts[0].platform]}, i.title) : el("span", {}, i.title);
  const td = el("td", {class: "title"}, title);
  for (const p of i.posts.slice(1))
    td.append(" ", el("a", {href: p.url, target: "_blank", rel: "noopener noreferrer", class: "post also"}, names[p.platform]));
  return td;
}
function tables(d) {
  const r = d.routing_accuracy, l = d.closed_loops, money = d.economics.enabled;
  fill("gauges", gauge("routing-gauge", "Routing accuracy", r.rule_accuracy, routing_detail(r)),
    gauge("loops-gauge", "Closed-loop rate", l.rate, l.closed_loops + " of " + plural(l.fixed_items, "fixed item") +
      (l.closed_loops ? ", median " + dur(l.median_ms) + " to close" : "")));
  table("times", [{label: "Time"}, {label: "p50", num: true}, {label: "p90", num: true}, {label: "Items", num: true}],
    [["Time to route", d.time_to_route], ["Time to acknowledge", d.time_to_acknowledge], ["Time to fix", d.time_to_fix]]
      .map(([k, t]) => ({cells: [k, dur(t.p50_ms), dur(t.p90_ms), t.count]})));
  const head = [{label: "#", num: true}, {label: "Item"}, {label: "Owner"}, {label: "Status"}, {label: "Stage"}, {label: "Reports", num: true}]
    .concat(money ? [{label: "Cost, 30 days", num: true}, {label: "Cost so far", num: true}] : []);
  table("top", head, d.top_items.map(i => ({attrs: {"data-item": i.id}, cells: [el("a", {href: "/dashboard/items/" + i.id, class: "item"}, i.id), post_links(i), i.owner, i.status_label,
    i.stage ? "#" + i.stage : "–", i.reports].concat(money ? [i.cost_month.text, i.cost_so_far.text] : [])})));
  if (!d.top_items.length) $("top").tBodies[0].append(el("tr", {}, el("td", {colspan: head.length, class: "muted"}, "No items match.")));
  table("owners", [{label: "Owner"}, {label: "Open", num: true}, {label: "Oldest", num: true}, {label: "Median age", num: true}]
    .concat(money ? [{label: "Cost, 30 days", num: true}] : []),
    d.open_by_owner.map(o => ({cells: [o.owner, o.open_items, dur(o.oldest_age_ms), dur(o.median_age_ms)].concat(money ? [o.cost_month.text] : [])})));
  table("rules", [{label: "Rule"}, {label: "Routed", num: true}, {label: "Rerouted", num: true}, {label: "Accuracy", num: true}],
    r.rules.map(x => ({attrs: {"data-rule": x.rule}, cells: x.rule ? [x.rule, x.routed, x.rerouted, pct(x.accuracy)]
      : ["fallback (no rule matched)", x.routed, x.rerouted, pct(x.routed / r.routed) + " of routed"]})));
}
// Fixes that held and the failure demand they removed: money with economics, else contacts.
function outcomes(d) {
  const f = d.fixes, s = f.savings, money = d.economics.enabled;
  fill("fix-cards", ...[["Fixes that held", f.held + " of " + (f.held + f.not_held + f.regressed), "fixes-held"],
    ["Under watch", f.under_watch, "under-watch"], ["Regressed", f.regressed, "regressed"],
    [money ? "Saved a month" : "Contacts avoided a month", money ? s.month.text : Math.round(s.contacts_month), "savings-month"],
    [money ? "Saved this year" : "Contacts avoided this year", money ? s.ytd.text : Math.round(s.contacts_ytd), "savings-ytd"]]
    .map(([k, v, id]) => el("div", {class: "card", id: id}, el("b", {}, v), el("span", {}, k))));
  const rows = f.by_owner.map(g => ["owner", "#" + g.name, g]).concat(f.by_component.map(g =>
    ["component", (d.components.find(c => c.slug === g.name) || {title: "no component"}).title, g]));
  table("savings", [{label: "By"}, {label: "Name"}, {label: "Fixes held", num: true},
    {label: money ? "Saved a month" : "Contacts a month", num: true}, {label: money ? "Saved this year" : "Contacts this year", num: true}],
    rows.map(([by, name, g]) => ({attrs: {"data-group": by + ":" + g.name}, cells: [by, name, g.held + " of " + g.fixes,
      money ? g.month.text : Math.round(g.contacts_month), money ? g.ytd.text : Math.round(g.contacts_ytd)]})));
  if (!rows.length) $("savings").tBodies[0].append(el("tr", {}, el("td", {colspan: 5, class: "muted"},
    "Nothing fixed yet: a fix is checked once its owner presses Fixed.")));
}
function health(d) {
  table("health", [{label: "Component"}, {label: "Score", num: true}, {label: "Signals, 30 days", num: true},
    {label: "Routed by a rule", num: true}, {label: "Accuracy", num: true}, {label: "Acknowledged in", num: true},
    {label: "Closed loops", num: true}, {label: "Fixes held", num: true}],
    d.health.map(h => ({attrs: {"data-component": h.component, title: h.weakest}, cells: [h.title, pct(h.score), h.signals_30d,
      pct(h.rule_share), pct(h.routing_accuracy), h.median_ack_ms === null ? "n/a" : dur(h.median_ack_ms),
      pct(h.closed_loop_rate), h.fixes ? h.fixes_held + " of " + h.fixes : "n/a"]})));
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
    $("error").textContent = ""; cards(d); heat(d); trend(d); tables(d); outcomes(d); health(d);
    $("state").textContent = "updated " + d.generated_at.replace("T", " ").slice(0, 16) + " UTC";
    $("state").dataset.state = "ready"; $("state").dataset.loads = ++loads;
  } catch (e) {
    $("error").textContent = "Could not load the figures: " + e.message;
    $("state").dataset.state = "error"; $("state").textContent = "error";
  }
}
// The item page loads this script for its helpers and runs its own (/dashboard/item.js).
if ($("filters")) {
  const initial = new URLSearchParams(location.search);
  for (const k of ["from", "to"]) if (initial.get(k)) $(k).value = initial.get(k);
  if (initial.get("owner")) $("owner").append(el("option", {value: initial.get("owner")}, initial.get("owner")));
  $("owner").value = initial.get("owner") || "";
  $("filters").addEventListener("submit", ev => { ev.preventDefault(); load(); });
  $("owner").addEventListener("change", load);
  load();
}
)js";

} // namespace cxos::bot
