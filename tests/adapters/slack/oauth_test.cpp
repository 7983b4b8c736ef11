// The wire shapes of "Add to Slack": the authorize link, oauth.v2.access's answer and the events
// that end an installation. (The redirect and the request bodies: tests/adapters/oauth.)
#include "adapters/slack/oauth.hpp"

#include <catch2/catch.hpp>

using namespace cxos::slack;

TEST_CASE("the authorize link carries the client id, the scopes and the state, encoded", "[slack][install]") {
    auto link = authorize_link("https://slack.com/oauth/v2/authorize", "123.456", {"commands", "chat:write"},
                               "abc_DEF-1", "https://cxos.example.com/slack/oauth_redirect");
    CHECK(link == "https://slack.com/oauth/v2/authorize?client_id=123.456&scope=commands%2Cchat%3Awrite&state=abc_DEF-1"
                  "&redirect_uri=https%3A%2F%2Fcxos.example.com%2Fslack%2Foauth_redirect");
}

TEST_CASE("oauth.v2.access gives the bot token of a workspace or an org", "[slack][install]") {
    auto team = read_oauth_access(200, R"({"ok":true,"token_type":"bot","access_token":"xoxb-1-2-abc",
        "bot_user_id":"U0KRQLJ9H","scope":"commands,chat:write","authed_user":{"id":"U0ADMIN"},
        "team":{"id":"T9TK3CUKW","name":"Softball"},"enterprise":null,"is_enterprise_install":false})");
    REQUIRE(std::holds_alternative<installed_bot>(team));
    const auto& bot = std::get<installed_bot>(team);
    CHECK(bot.workspace() == "T9TK3CUKW");
    CHECK(bot.team_name == "Softball");
    CHECK(bot.installed_by == "U0ADMIN");
    CHECK(bot.expires_in == 0);

    auto org = read_oauth_access(200, R"({"ok":true,"token_type":"bot","access_token":"xoxe.xoxb-1-abc",
        "refresh_token":"xoxe-1-def","expires_in":43200,"bot_user_id":"U0KRQLJ9H",
        "enterprise":{"id":"E12345678","name":"Org"},"is_enterprise_install":true})");
    REQUIRE(std::holds_alternative<installed_bot>(org));
    CHECK(std::get<installed_bot>(org).workspace() == "E12345678");
    CHECK(std::get<installed_bot>(org).refresh_token == "xoxe-1-def");

    CHECK(std::get<std::string>(read_oauth_access(200, R"({"ok":false,"error":"invalid_code"})")) == "invalid_code");
    CHECK(std::get<std::string>(read_oauth_access(200, R"({"ok":false,"error":"<b>"})")) == "unknown_error");
    CHECK(std::holds_alternative<std::string>(read_oauth_access(200, R"({"ok":true,"token_type":"user",
        "access_token":"xoxp-1","team":{"id":"T9TK3CUKW"}})")));
    CHECK(std::holds_alternative<std::string>(read_oauth_access(200, R"({"ok":true,"token_type":"bot",
        "access_token":"xoxb-1","team":{"id":"not-a-team"}})")));
    CHECK(std::holds_alternative<std::string>(read_oauth_access(502, "")));
}

TEST_CASE("app_uninstalled and tokens_revoked name the installation they end", "[slack][install]") {
    auto gone = decode_app_lifecycle(nlohmann::json::parse(
        R"({"type":"event_callback","team_id":"T9TK3CUKW","event":{"type":"app_uninstalled"}})"));
    REQUIRE(gone);
    CHECK(gone->uninstalled);
    CHECK(gone->team_id == "T9TK3CUKW");
    auto revoked = decode_app_lifecycle(nlohmann::json::parse(R"({"type":"event_callback","team_id":"T9TK3CUKW",
        "event":{"type":"tokens_revoked","tokens":{"oauth":["U0ADMIN"],"bot":["U0KRQLJ9H"]}}})"));
    REQUIRE(revoked);
    CHECK_FALSE(revoked->uninstalled);
    CHECK(revoked->revoked_bots == std::vector<std::string>{"U0KRQLJ9H"});
    CHECK_FALSE(decode_app_lifecycle(nlohmann::json::parse(
        R"({"type":"event_callback","team_id":"T9TK3CUKW","event":{"type":"reaction_added"}})")));
    CHECK_FALSE(decode_app_lifecycle(nlohmann::json::parse(
        R"({"type":"event_callback","team_id":"../x","event":{"type":"app_uninstalled"}})")));
}
