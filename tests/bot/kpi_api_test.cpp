#include "bot/web/dashboard_auth.hpp"
#include "bot/web/kpi_api.hpp"
#include "bot/web/post_links.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::bot;

namespace {

app_config config() {
    app_config c;
    c.journey.stages = {"onboard", "support"};
    c.journey.owners["billing"] = owner{"billing", "C0BILLING", ""};
    c.economics.cost_per_contact = 6.5;
    return c;
}

std::string error_of(std::string_view target) {
    auto parsed = parse_api_query(target, config());
    auto* e = std::get_if<std::string>(&parsed);
    return e ? *e : std::string();
}

} // namespace

TEST_CASE("API filters are read from the query", "[api]") {
    auto parsed = parse_api_query("/api/v1/items?owner=billing&stage=onboard&component=knowledge&from=2026-11-02&to=2026-11-08&status=open&limit=5", config());
    REQUIRE(std::holds_alternative<api_query>(parsed));
    auto q = std::get<api_query>(parsed);
    CHECK(q.filter.owner == "billing");
    CHECK(q.filter.stage == "onboard");
    CHECK(q.filter.comp == component::knowledge);
    CHECK(q.filter.from == *parse_day("2026-11-02"));
    CHECK(q.filter.to == *parse_day("2026-11-09")); // the whole `to` day
    CHECK(q.status == "open");
    CHECK(q.limit == 5);
    auto plain = std::get<api_query>(parse_api_query("/api/v1/kpis", config()));
    CHECK(plain.filter.owner.empty());
    CHECK(plain.filter.from == 0);
}

TEST_CASE("bad API parameters say what is wrong", "[api]") {
    CHECK_THAT(error_of("/api/v1/kpis?owner=shipping"), Catch::Contains("not a configured owner"));
    CHECK_THAT(error_of("/api/v1/kpis?stage=renew"), Catch::Contains("journey stage"));
    CHECK_THAT(error_of("/api/v1/kpis?component=sales"), Catch::Contains("six components"));
    CHECK_THAT(error_of("/api/v1/kpis?from=02.11.2026"), Catch::Contains("YYYY-MM-DD"));
    CHECK_THAT(error_of("/api/v1/kpis?from=2026-11-09&to=2026-11-02"), Catch::Contains("from must not be after to"));
    CHECK_THAT(error_of("/api/v1/kpis?from=2026-11-01&to=1013-11-30"), Catch::Contains("from 1970 on"));
    CHECK_THAT(error_of("/api/v1/items?limit=0"), Catch::Contains("1 to 1000"));
    CHECK_THAT(error_of("/api/v1/items?status=lost"), Catch::Contains("status must be"));
    CHECK_THAT(error_of("/api/v1/items?ownr=billing"), Catch::Contains("unknown parameter 'ownr'"));
    CHECK_THAT(error_of("/api/v1/items?owner=billing&owner=billing"), Catch::Contains("twice"));
    // The error quotes what was sent and goes out as JSON: it must never hold a lone byte.
    CHECK(error_of("/api/v1/kpis?api/v%97-0=2011-30") == "parameters must be UTF-8 text");
    CHECK(error_of("/api/v1/kpis?owner=%C3") == "parameters must be UTF-8 text");
    CHECK_THAT(error_of("/api/v1/kpis?owner=m%C3%BCller"), Catch::Contains("owner 'müller'"));
}

TEST_CASE("CSV cells are quoted and never run as formulas", "[api][csv]") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("a, b") == "\"a, b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv_cell("+1 refund") == "'+1 refund");
    CHECK(csv_cell("-5") == "'-5");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
}

TEST_CASE("the export lists items and their cost", "[api][csv]") {
    kpi_item k;
    k.it.id = 7;
    k.it.title = "=cmd|' /C calc'!A0";
    k.it.owner = "billing";
    k.it.status = item_status::routed;
    std::vector<kpi_signal> signals{{1, 7, 1000, "onboard", component::onboarding, "slack", 2, "C0SUPPORT"}};
    auto c = config();
    auto report = compute_kpis({k}, signals, {}, c.journey.stages, c.economics, 2000);
    auto items = export_csv(report, {}, signals, api_query{}, c);
    CHECK(items.rfind("item_id,title,owner,status,stage,component,severity,reports,contacts,first_seen,last_seen,"
                      "cost_so_far_EUR,cost_month_EUR,fix_verdict,contacts_avoided_month,savings_month_EUR,"
                      "savings_ytd_EUR\r\n", 0) == 0);
    // Never fixed: the fix columns stay blank.
    CHECK_THAT(items, Catch::Contains("\r\n7,'=cmd|' /C calc'!A0,billing,routed,,,medium,1,2,,,13.00,13.00,,,,\r\n"));
    api_query by_signal;
    by_signal.rows = "signals";
    auto rows = export_csv(report, {}, signals, by_signal, c);
    CHECK_THAT(rows, Catch::Contains("\r\n1,1970-01-01T00:00:01Z,7,'=cmd|' /C calc'!A0,billing,onboard,onboarding,slack,2,13.00\r\n"));
    auto json = items_json(report, {}, api_query{}, c);
    CHECK(json["count"] == 1);
    CHECK(json["items"][0]["cost_so_far"]["text"] == "€13");
}

TEST_CASE("the API gives rule-routed accuracy and the fallback's share beside the overall figure", "[api]") {
    auto item_routed_by = [](std::int64_t id, std::string rule, bool rerouted) {
        kpi_item k;
        k.it.id = id;
        k.it.owner = "billing";
        k.it.rule = std::move(rule);
        k.it.status = item_status::routed;
        k.it.routed_at = 10;
        k.it.rerouted = rerouted;
        return k;
    };
    auto c = config();
    auto report = compute_kpis({item_routed_by(1, "", false), item_routed_by(2, "", false), item_routed_by(3, "invoices", true),
                                item_routed_by(4, "invoices", false)},
                               {}, {}, c.journey.stages, c.economics, 2000);
    auto routing = kpis_json(report, {}, c)["routing_accuracy"];
    CHECK(routing["routed"] == 4); // the fields the API always had stay
    CHECK(routing["accuracy"] == 0.75);
    CHECK(routing["rule_routed"] == 2);
    CHECK(routing["rule_rerouted"] == 1);
    CHECK(routing["rule_accuracy"] == 0.5);
    CHECK(routing["fallback_routed"] == 2);
    CHECK(routing["fallback_share"] == 0.5);

    auto only_fallback = compute_kpis({item_routed_by(1, "", false)}, {}, {}, c.journey.stages, c.economics, 2000);
    auto none = kpis_json(only_fallback, {}, c)["routing_accuracy"];
    CHECK(none["accuracy"] == 1.0);
    CHECK(none["rule_accuracy"].is_null()); // no rule routed anything: no accuracy to claim
    CHECK(none["fallback_share"] == 1.0);
}

TEST_CASE("posts link to Slack and Teams without asking either for a permalink", "[api]") {
    CHECK(post_link({"slack", "C0BILLING", "1700000000.123456", ""}) == "https://slack.com/archives/C0BILLING/p1700000000123456");
    CHECK(post_link({"slack", "C0BILLING", "not-a-ts", ""}).empty());
    CHECK(post_link({"slack", "#billing", "1700000000.123456", ""}).empty());
    CHECK(post_link({"teams", "19:abc@thread.tacv2", "19:abc@thread.tacv2;messageid=1700000000123|1700000000123", "t-1"}) ==
          "https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000123?tenantId=t-1&parentMessageId=1700000000123");
    CHECK(post_link({"teams", "19:abc@thread.tacv2", "1700000000123", ""}) ==
          "https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000123?parentMessageId=1700000000123");
    CHECK(post_link({"email", "x", "y", ""}).empty());

    // The API lists the posts in the current owner's channels, home platform first.
    auto c = config();
    c.journey.owners["billing"].teams_channel = "19:billing@thread.tacv2";
    kpi_item k;
    k.it.id = 9;
    k.it.owner = "billing";
    k.posts = {{"teams", "19:billing@thread.tacv2", "19:billing@thread.tacv2;messageid=5|5", ""},
               {"slack", "C0TRIAGE", "1700000000.000001", ""}, // before a reroute: not the owner's any more
               {"slack", "C0BILLING", "1700000001.000002", ""}};
    auto report = compute_kpis({k}, {}, {}, c.journey.stages, c.economics, 2000);
    auto posts = kpis_json(report, {}, c)["top_items"][0]["posts"];
    REQUIRE(posts.size() == 2);
    CHECK(posts[0]["platform"] == "slack");
    CHECK(posts[0]["url"] == "https://slack.com/archives/C0BILLING/p1700000001000002");
    CHECK(posts[1]["platform"] == "teams");
}

TEST_CASE("the dashboard token works as bearer or cookie, never as the cookie itself", "[api][auth]") {
    dashboard_auth auth("s3cret-token");
    CHECK(auth.is_token("s3cret-token"));
    CHECK_FALSE(auth.is_token("s3cret-toke"));
    CHECK_FALSE(auth.is_token(""));
    http_request req;
    CHECK_FALSE(auth.allows(req));
    req.set(boost::beast::http::field::authorization, "Bearer s3cret-token");
    CHECK(auth.allows(req));
    req.set(boost::beast::http::field::authorization, "Bearer wrong");
    CHECK_FALSE(auth.allows(req));
    req.erase(boost::beast::http::field::authorization);

    auto cookie = auth.session_cookie();
    CHECK_THAT(cookie, Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict") && Catch::Contains("Path=/"));
    CHECK(cookie.find("s3cret-token") == std::string::npos);
    CHECK_THAT(cookie, !Catch::Contains("Secure"));
    CHECK_THAT(auth.session_cookie(true), Catch::EndsWith("; Secure"));
    auto value = cookie.substr(0, cookie.find(';'));
    req.set(boost::beast::http::field::cookie, "theme=dark; " + value);
    CHECK(auth.allows(req));
    req.set(boost::beast::http::field::cookie, "cxos_dashboard=s3cret-token");
    CHECK_FALSE(auth.allows(req));
    CHECK_FALSE(dashboard_auth("another").allows([&] {
        http_request other;
        other.set(boost::beast::http::field::cookie, value);
        return other;
    }()));
}

TEST_CASE("the login form slows down guessing: ten wrong tokens a minute, then wait", "[dashboard]") {
    dashboard_auth auth("s3cret-token");
    const std::int64_t t0 = 1'000'000;
    for (int i = 0; i < dashboard_auth::max_failed_logins - 1; ++i) auth.login_failed(t0 + i);
    CHECK(auth.login_wait_seconds(t0 + 9) == 0);
    auth.login_failed(t0 + 9);
    CHECK(auth.login_wait_seconds(t0 + 10) == 50);
    CHECK(auth.login_wait_seconds(t0 + 59) == 1);
    CHECK(auth.login_wait_seconds(t0 + 60) == 0); // a new minute starts afresh
    auth.login_failed(t0 + 60);
    CHECK(auth.login_wait_seconds(t0 + 61) == 0);
}
