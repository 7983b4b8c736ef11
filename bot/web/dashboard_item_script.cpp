// The item page's script, served as /dashboard/item.js after /dashboard/app.js (whose helpers it
// uses: $, el, plural). It reads /api/v1/items/<id> and draws the item's cards, its fix check and
// its thread, oldest event first.
#include "bot/web/dashboard_page.hpp"

namespace cxos::bot {

const std::string_view dashboard_item_js = R"js("use strict";
function when(iso) { return iso.replace("T", " ").slice(0, 16) + " UTC"; }
async function load_item() {
  const id = location.pathname.split("/").pop();
  try {
    const res = await fetch("/api/v1/items/" + id, {credentials: "same-origin"});
    const d = await res.json();
    if (!res.ok) throw new Error(d.error || res.statusText);
    document.title = "cxos · item " + d.id;
    $("title").textContent = "Item " + d.id + " · " + d.status_label;
    const f = d.fix, list = [["Owner", "#" + d.owner], ["Status", d.status_label], ["Reports", d.reports],
      [d.economics ? "Cost so far" : "Contacts so far", d.economics ? d.cost_so_far.text : d.contacts_so_far]];
    if (f) list.push(["Fix", f.label]);
    if (f && f.verdict === "held")
      list.push(["Saved since the fix", d.economics ? f.savings_since.text : Math.round(f.contacts_since) + " contacts"]);
    const title = el("div", {class: "card", id: "item-title"}, el("b", {}, d.title), el("span", {}, "what customers ran into"));
    title.style.flexBasis = "100%";
    fill("cards", title, ...list.map(([k, v]) => el("div", {class: "card"}, el("b", {}, v), el("span", {}, k))));
    const fix = $("fix");
    fix.textContent = f ? f.text : "Not fixed yet: the check starts when its owner presses Fixed.";
    fix.className = f ? "verdict-" + f.verdict : "muted";
    fix.dataset.verdict = f ? f.verdict : "";
    fill("thread", ...d.thread.map(e => {
      const li = el("li", {class: e.kind, "data-kind": e.kind}, el("time", {datetime: e.at}, when(e.at)),
        el("span", {}, e.text + (e.actor && e.kind !== "first_report" && e.kind !== "report" ? " (" + e.actor + ")" : "")));
      return li;
    }));
    $("error").textContent = "";
    $("state").textContent = d.cost_text; $("state").dataset.state = "ready";
  } catch (e) {
    $("error").textContent = "Could not load the item: " + e.message;
    $("state").dataset.state = "error"; $("state").textContent = "error";
  }
}
load_item();
)js";

} // namespace cxos::bot
