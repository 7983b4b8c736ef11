#pragma once
// Whether a state-changing dashboard request (the sign-outs) came from a page that is not the
// dashboard's own. SameSite=Lax keeps the session cookie off another site's form, but a sibling
// subdomain is the same site and gets it; so the browser's own word on where the request came
// from decides, and for a browser that sends no Fetch Metadata, the origin it names.
#include "bot/server/http_server.hpp"

#include <string_view>

namespace cxos::bot {

// `Sec-Fetch-Site` when the browser sends it: `same-site` and `cross-site` are another page,
// `same-origin` (the dashboard's own form) and `none` (typed, bookmarked) are not. Without it,
// `Origin` (or, failing that, `Referer`) must name this dashboard: the origin of `public_url`
// when set (a proxy may rewrite Host), else the request's own Host. `Origin: null`, or a value
// that is no URL, is another page. A request with none of these (curl, old clients) is not.
bool from_another_page(const http_request& req, std::string_view public_url);

} // namespace cxos::bot
