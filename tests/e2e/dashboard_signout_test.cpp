// Signing out of the dashboard, and signing out everywhere, against the real binary with Slack
// sign-in: every session of the person ends and nobody else's; and only the dashboard's own page
// may ask: another page's request (by Fetch Metadata, or by the Origin or Referer it names) ends
// nothing.
#include "tests/e2e/slack_signin.hpp"
#include "tests/support/eventually.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

using namespace cxos::test;

namespace {

// A sign-out as a browser without Fetch Metadata sends it: the origin it names and the Host.
std::map<std::string, std::string> named_by(const std::string& cookie, const std::string& header, const std::string& value,
                                            const std::string& host) {
    return {{"Cookie", cookie}, {header, value}, {"Host", host}, {"Content-Type", "application/x-www-form-urlencoded"}};
}

// Both sign-outs refuse a request with `headers` (403, no cookie cleared) and the sessions live on.
void check_refused(const cxos_process& cxos, const std::map<std::string, std::string>& headers,
                   const std::vector<std::string>& sessions) {
    auto res = signout_everywhere(cxos, headers);
    CHECK(res.status == 403);
    CHECK(res.headers.count("set-cookie") == 0);
    CHECK(http_call(cxos.port(), "POST", "/dashboard/signout", "", headers).status == 403);
    for (const auto& session : sessions) CHECK(dashboard_status(cxos, session) == 200);
}

// A HEAD (a link checker, a prefetch): the router lets it through wherever GET goes. Its answer
// has a length but no body, which http_call would wait for.
unsigned head_status(unsigned short port, const std::string& target, const std::string& cookie) {
    namespace http = boost::beast::http;
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> req{http::verb::head, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::cookie, cookie);
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    parser.skip(true);
    http::read(stream, buffer, parser);
    return parser.get().result_int();
}

} // namespace

TEST_CASE("signing out everywhere ends every session of that person and leaves everyone else's", "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001", "U0BOB0001"});
    auto& openid = w.openid;
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, openid, ada), phone = sign_in(cxos, openid, ada);
    const auto bobs = sign_in(cxos, openid, bob);

    auto page = http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", laptop}});
    REQUIRE(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("action=\"/dashboard/signout\"") &&
                              Catch::Contains("<form class=\"signout-everywhere\" method=\"get\" "
                                              "action=\"/dashboard/signout-everywhere\">") &&
                              Catch::Contains("Sign out everywhere"));

    auto out = signout_everywhere(cxos, {{"Cookie", laptop}});
    CHECK(out.status == 200);
    CHECK_THAT(out.body, Catch::Contains("Signed out of 2 sessions.") && Catch::Contains("id=\"signin-slack\""));
    CHECK_THAT(out.headers["set-cookie"], Catch::StartsWith("cxos_session=;") && Catch::Contains("Max-Age=0"));
    for (const auto& ended : {laptop, phone}) {
        CHECK(dashboard_status(cxos, ended) == 401);
        CHECK(api_status(cxos, ended) == 401);
    }
    CHECK(dashboard_status(cxos, bobs) == 200);
    CHECK(api_status(cxos, bobs) == 200);
    // The operator's log says who and how many, never the session's cookie.
    REQUIRE(eventually([&] { return cxos.log().find("dashboard sessions ended everywhere") != std::string::npos; }));
    CHECK_THAT(cxos.log(), Catch::Contains("\"user_id\":\"U0ADA0001\"") && Catch::Contains("\"sessions\":2") &&
                                !Catch::Contains(laptop.substr(laptop.find('=') + 1)));

    // One session left: said so in the singular.
    CHECK_THAT(signout_everywhere(cxos, {{"Cookie", bobs}}).body, Catch::Contains("Signed out of 1 session."));
    CHECK(dashboard_status(cxos, bobs) == 401);
}

TEST_CASE("signing out everywhere without a live session or from another site ends nothing",
          "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, w.openid, ada), phone = sign_in(cxos, w.openid, ada);

    for (const auto& cookie : {std::string(), std::string("cxos_session=no-such-session")}) {
        auto res = signout_everywhere(cxos, cookie.empty() ? std::map<std::string, std::string>{}
                                                           : std::map<std::string, std::string>{{"Cookie", cookie}});
        CHECK(res.status == 200);
        CHECK_THAT(res.body, Catch::Contains("You are signed out.") && !Catch::Contains("Signed out of"));
        CHECK_THAT(res.headers["set-cookie"], Catch::StartsWith("cxos_session=;") && Catch::Contains("Max-Age=0"));
    }
    // A link or an image cannot do it: a GET is the confirm page (below), sign-out is POST only.
    CHECK(http_call(cxos.port(), "GET", "/dashboard/signout", "", {{"Cookie", laptop}}).status == 405);
    // Another site's form: the session cookie is SameSite=Lax (sign_in checks it), so the
    // browser sends that POST without it, exactly as it would to /dashboard/signout.
    const std::map<std::string, std::string> cross_site = {{"Origin", "https://evil.example"},
                                                           {"Sec-Fetch-Site", "cross-site"},
                                                           {"Content-Type", "application/x-www-form-urlencoded"}};
    auto forged = signout_everywhere(cxos, cross_site);
    auto forged_signout = http_call(cxos.port(), "POST", "/dashboard/signout", "", cross_site);
    CHECK(forged.status == forged_signout.status);
    CHECK_THAT(forged.body, !Catch::Contains("Signed out of"));
    CHECK(dashboard_status(cxos, laptop) == 200);
    CHECK(dashboard_status(cxos, phone) == 200);
    // A sibling subdomain's page is the same site, so the browser does send the cookie along;
    // its Sec-Fetch-Site still says the request came from another page, and nothing ends.
    for (const char* site : {"same-site", "cross-site"}) {
        INFO(site);
        const std::map<std::string, std::string> sibling = {{"Cookie", laptop}, {"Sec-Fetch-Site", site},
                                                            {"Content-Type", "application/x-www-form-urlencoded"}};
        check_refused(cxos, sibling, {laptop, phone});
    }
    // The dashboard's own button (same-origin) still works.
    auto own = signout_everywhere(cxos, {{"Cookie", laptop}, {"Sec-Fetch-Site", "same-origin"}});
    CHECK_THAT(own.body, Catch::Contains("Signed out of 2 sessions."));
    CHECK(dashboard_status(cxos, phone) == 401);
}

TEST_CASE("a browser without Fetch Metadata is refused a sign-out unless its Origin or Referer is the dashboard's",
          "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, w.openid, ada), phone = sign_in(cxos, w.openid, ada);
    const auto host = "127.0.0.1:" + std::to_string(cxos.port());
    // Its forms carry the dashboard's origin: under no-referrer they would say `Origin: null`.
    CHECK(http_call(cxos.port(), "GET", "/dashboard", "", {{"Cookie", laptop}}).headers["referrer-policy"] == "same-origin");

    for (const auto& [header, value] : {std::pair{"Origin", "https://reports.example.com"}, std::pair{"Origin", "null"},
                                        std::pair{"Referer", "https://reports.example.com/cxos"},
                                        std::pair{"Origin", "http://127.0.0.1:1"}}) {
        INFO(header << ": " << value);
        check_refused(cxos, named_by(laptop, header, value, host), {laptop, phone});
    }
    // The dashboard's own page, named by its Referer (no Origin) then by its Origin.
    auto out = http_call(cxos.port(), "POST", "/dashboard/signout", "",
                         named_by(phone, "Referer", "http://" + host + "/dashboard", host));
    CHECK(out.status == 200);
    CHECK(dashboard_status(cxos, phone) == 401);
    auto own = signout_everywhere(cxos, named_by(laptop, "Origin", "http://" + host, host));
    CHECK_THAT(own.body, Catch::Contains("Signed out of 1 session."));
    CHECK(dashboard_status(cxos, laptop) == 401);
}

TEST_CASE("behind a proxy that rewrites Host the dashboard's origin is public_url's", "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"}, "public_url: https://cxos.example.com\n");
    auto& cxos = w.cxos;
    const auto laptop = sign_in(cxos, w.openid, ada);
    const auto host = "127.0.0.1:" + std::to_string(cxos.port()); // what the proxy sends
    // The Host's own origin is not how people reach this dashboard.
    check_refused(cxos, named_by(laptop, "Origin", "http://" + host, host), {laptop});
    auto own = signout_everywhere(cxos, named_by(laptop, "Origin", "https://cxos.example.com", host));
    CHECK(own.status == 200);
    CHECK_THAT(own.body, Catch::Contains("Signed out of 1 session."));
    CHECK(dashboard_status(cxos, laptop) == 401);
}

TEST_CASE("Sign out everywhere asks first: its GET says how many sessions end and changes nothing, the POST ends them",
          "[e2e][signin]") {
    slack_signin_world w({"U0ADA0001"});
    auto& cxos = w.cxos;
    // The name is the provider's to choose: it is shown as text, never as markup.
    const fake_slack_person marked_up{"T0TEAM", "U0ADA0001", "Ada <b onclick=\"x()\">&</b>"};
    const auto laptop = sign_in(cxos, w.openid, marked_up), phone = sign_in(cxos, w.openid, marked_up),
               tablet = sign_in(cxos, w.openid, marked_up);

    // The dashboard's button leads here, from any page: a GET ends nothing and says what would end.
    for (int look = 0; look < 2; ++look) {
        auto confirm = http_call(cxos.port(), "GET", "/dashboard/signout-everywhere", "",
                                 {{"Cookie", laptop}, {"Sec-Fetch-Site", "cross-site"}});
        CHECK(confirm.status == 200);
        CHECK_THAT(confirm.body, Catch::Contains("This ends all 3 of your sessions on every device") &&
                                     Catch::Contains("<form class=\"confirm\" method=\"post\" "
                                                     "action=\"/dashboard/signout-everywhere\">") &&
                                     Catch::Contains("Ada &lt;b onclick=&quot;x()&quot;&gt;&amp;&lt;/b&gt;") &&
                                     !Catch::Contains("<b onclick"));
        CHECK(confirm.headers.count("set-cookie") == 0);
        CHECK_THAT(confirm.headers["content-security-policy"], Catch::Contains("form-action 'self'"));
        for (const auto& session : {laptop, phone, tablet}) CHECK(dashboard_status(cxos, session) == 200);
    }
    CHECK(head_status(cxos.port(), "/dashboard/signout-everywhere", laptop) == 200);
    for (const auto& session : {laptop, phone, tablet}) CHECK(dashboard_status(cxos, session) == 200);
    // One fewer after a plain sign-out on the tablet; without a session there is nothing to confirm.
    http_call(cxos.port(), "POST", "/dashboard/signout", "", {{"Cookie", tablet}});
    CHECK_THAT(http_call(cxos.port(), "GET", "/dashboard/signout-everywhere", "", {{"Cookie", phone}}).body,
               Catch::Contains("This ends all 2 of your sessions"));
    auto signed_out = http_call(cxos.port(), "GET", "/dashboard/signout-everywhere", "", {{"Cookie", tablet}});
    CHECK(signed_out.status == 401);
    CHECK_THAT(signed_out.body, Catch::Contains("not signed in") && Catch::Contains("id=\"signin-slack\""));

    // The confirm page's button, from the dashboard's own page: now they end.
    auto out = signout_everywhere(cxos, {{"Cookie", phone}, {"Sec-Fetch-Site", "same-origin"}});
    CHECK_THAT(out.body, Catch::Contains("Signed out of 2 sessions."));
    CHECK(dashboard_status(cxos, laptop) == 401);
    CHECK(dashboard_status(cxos, phone) == 401);
}
