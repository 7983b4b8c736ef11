#include "bot/web/dashboard_page.hpp"

#include "bot/server/oauth_flow.hpp"

namespace cxos::bot {

// Two columns from 1000 px (the narrow sections pair up, none leaves half a row empty), one
// below; under 700 px the tables turn each row into a labelled block and the heat map's
// component names stand upright, so nothing is clipped and the page never scrolls sideways.
const std::string_view dashboard_css = R"css(
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--accent:#2457c5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#102a43;color:#fff;padding:14px 24px;display:flex;align-items:flex-end;gap:14px;flex-wrap:wrap}
header h1{font-size:18px;margin:0 auto 0 0;font-weight:600;align-self:center}
header label{color:#d9e2ec}header a{color:#bcccdc;align-self:center}
.filters{display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap}
main{padding:20px 24px;display:grid;gap:18px;grid-template-columns:minmax(0,1fr)}
@media (min-width:1000px){main{grid-template-columns:repeat(2,minmax(0,1fr))}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;min-width:0}
section.wide{grid-column:1/-1}h2{font-size:15px;margin:0 0 12px}
input,select,button{font:inherit;padding:5px 8px;border:1px solid #9aa5b1;border-radius:6px;background:#fff;color:var(--ink);max-width:100%}
button{background:#3e7bfa;border-color:#3e7bfa;color:#fff;cursor:pointer}
label{font-size:12px;display:flex;flex-direction:column;gap:2px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 130px;min-width:0;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:22px;overflow-wrap:anywhere}.card span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;text-align:left;border-bottom:1px solid var(--line);overflow-wrap:break-word}
td.title{overflow-wrap:anywhere;min-width:12em}
th{font-size:12px;color:var(--muted);font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
a.post{color:var(--accent)}a.post.also{font-size:12px}
#heat td.cell{text-align:center;font-weight:600;min-width:56px;border:2px solid #fff;border-radius:4px}
#heat th.row{white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:10px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:26px;height:14px;border-radius:3px}
.legend i.signals{background:#3e7bfa}.legend i.fixed{background:#0f9d58;height:3px}
.gauges{display:flex;flex-wrap:wrap;gap:16px;justify-content:space-around;text-align:center;margin-bottom:12px}
.gauge{flex:1 1 160px;min-width:0}.gauge svg{width:100%;max-width:160px;height:auto}
.muted{color:var(--muted)}
#trend{width:100%;height:auto}
#state{font-size:12px;color:#d9e2ec;align-self:center}#error{color:#b42318;font-weight:600}#error:empty{display:none}
@media (max-width:700px){
header,main{padding:12px}main{gap:12px}section{padding:12px}
#heat th,#heat td.cell{padding:5px 2px;min-width:0}
#heat th.col{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;vertical-align:bottom}
#heat th.row,#heat th.corner{white-space:normal;font-size:11px}
table.stack thead{display:none}
table.stack,table.stack tbody,table.stack tr{display:block;width:100%}
table.stack tr{display:flex;flex-direction:column;padding:6px 0;border-bottom:1px solid var(--line)}
table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 0;text-align:right;white-space:normal}
table.stack td::before{content:attr(data-label);color:var(--muted);font-size:12px;text-align:left;flex:none}
table.stack td.title{display:block;order:-1;min-width:0;text-align:left;font-weight:600}table.stack td.title::before{content:none}
}
ol.thread{list-style:none;margin:0;padding:0}ol.thread li{display:flex;gap:12px;padding:6px 0;border-bottom:1px solid var(--line)}
ol.thread time{color:var(--muted);white-space:nowrap;font-variant-numeric:tabular-nums;min-width:9.5em}
ol.thread li.regressed,ol.thread li.not_held{color:#b42318;font-weight:600}ol.thread li.held{color:#0f7a3d;font-weight:600}
.verdict-held{color:#0f7a3d}.verdict-regressed,.verdict-not_held{color:#b42318}
/* the login form */
body.login{background:#102a43}
form.login{max-width:360px;margin:80px auto;background:#fff;border-radius:10px;padding:24px;display:grid;gap:12px}
form.login h1,div.login h1{font-size:18px;margin:0}
div.login{max-width:360px;margin:80px auto;background:#fff;border-radius:10px;padding:24px}
form.signout{margin-left:auto}form.login input,form.login button,form.confirm button{padding:7px 9px}
.err{color:#b42318;font-weight:600;margin:0}
)css";

namespace {
constexpr std::string_view page_top = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cxos · friction dashboard</title><link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script></head><body>
<header><h1>cxos · friction dashboard</h1>
<form class="signout" method="post" action="/dashboard/signout"><button type="submit">Sign out</button></form>
)html";
constexpr std::string_view signout_everywhere_form =
    R"html(<form class="signout-everywhere" method="get" action="/dashboard/signout-everywhere"><button type="submit">Sign out everywhere</button></form>
)html";
constexpr std::string_view page_rest = R"html(<form id="filters"><div class="filters">
<label>Owner<select id="owner" name="owner"><option value="">all owners</option></select></label>
<label>From<input id="from" name="from" type="date"></label>
<label>To<input id="to" name="to" type="date"></label>
<button id="apply" type="submit">Apply</button></div></form>
<a id="csv" href="/api/v1/export.csv">Export CSV</a><span id="state" data-state="loading">loading…</span></header>
<main>
<section class="wide"><div class="cards" id="cards"></div><p id="error" role="alert"></p></section>
<section class="wide"><h2>Journey heat map: reports per stage × component</h2><table id="heat"></table>
<div class="legend" id="legend"></div></section>
<section><h2>Weekly trend</h2><svg id="trend" viewBox="0 0 480 200" role="img" aria-label="signals per week"></svg>
<div class="legend"><i class="signals"></i>signals <i class="fixed"></i>items fixed</div></section>
<section><h2>Routing and closed loops</h2><div class="gauges" id="gauges"></div><table id="times"></table></section>
<section class="wide"><h2>Top 10 items</h2><table id="top" class="stack"></table></section>
<section><h2>Open items by owner</h2><table id="owners" class="stack"></table></section>
<section><h2>Routing accuracy per rule</h2><table id="rules" class="stack"></table></section>
<section class="wide" id="outcomes"><h2>Fixes verified and failure demand removed</h2><div class="cards" id="fix-cards"></div>
<table id="savings" class="stack"></table></section>
<section class="wide"><h2>OS health: the six components, weakest first</h2><table id="health" class="stack"></table></section>
</main></body></html>
)html";
} // namespace

std::string dashboard_html(bool signin) {
    std::string page(page_top);
    // Only people have sessions to end everywhere; the shared-token cookie is one for everyone.
    if (signin) page += signout_everywhere_form;
    page += page_rest;
    return page;
}

const std::string_view dashboard_item_html = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cxos · item</title><link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script><script src="/dashboard/item.js" defer></script></head><body>
<header><h1 id="title">cxos · item</h1><a href="/dashboard">all items</a><span id="state" data-state="loading">loading…</span></header>
<main>
<section class="wide"><div class="cards" id="cards"></div><p id="error" role="alert"></p></section>
<section class="wide"><h2>Fix check</h2><p id="fix" class="muted">–</p></section>
<section class="wide"><h2>The thread of this item</h2><ol id="thread" class="thread"></ol></section>
</main></body></html>
)html";

std::string dashboard_login_html(bool failed) {
    return std::string(R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cxos · log in</title><link rel="stylesheet" href="/dashboard/app.css"></head><body class="login">
<form class="login" method="post" action="/dashboard/login"><h1>cxos dashboard</h1>)html") +
           (failed ? std::string(R"html(<p class="err" role="alert">That token is not right.</p>)html") : std::string()) +
           R"html(<label>Access token (CXOS_DASHBOARD_TOKEN)<input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button></form></body></html>
)html";
}

namespace {
// The sign-in page and its kin: one small box on the login background.
std::string login_box_top(std::string_view title, std::string_view heading) {
    return std::string(R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>)html") + html_text(title) + R"html(</title><link rel="stylesheet" href="/dashboard/app.css"></head><body class="login">
<div class="login"><h1>)html" + html_text(heading) + "</h1>";
}
} // namespace

std::string dashboard_signin_html(const std::vector<signin_link>& links, const std::string& message) {
    std::string body = login_box_top("cxos · sign in", "cxos dashboard");
    if (!message.empty()) body += "<p class=\"err\" role=\"alert\">" + html_text(message) + "</p>";
    for (const auto& l : links)
        body += "<p><a class=\"signin\" id=\"" + html_text(l.id) + "\" href=\"" + html_text(l.href) + "\">" + html_text(l.label) + "</a></p>";
    return body + "</div></body></html>\n";
}

std::string dashboard_signout_everywhere_html(const std::string& who, int sessions) {
    const auto what = sessions == 1 ? std::string("This ends your one session, on this device.")
                                    : "This ends all " + std::to_string(sessions) +
                                          " of your sessions on every device, this one included.";
    return login_box_top("cxos · sign out everywhere", "Sign out everywhere?") + "<p>Signed in as " + html_text(who) +
           ".</p><p id=\"sessions\">" + html_text(what) + "</p>" +
           R"html(<form class="confirm" method="post" action="/dashboard/signout-everywhere"><button type="submit">Sign out everywhere</button></form>
<p><a href="/dashboard">Back to the dashboard</a></p></div></body></html>
)html";
}

} // namespace cxos::bot
