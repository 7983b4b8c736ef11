// "Add to Slack": the answer of oauth.v2.access and the events that end an installation (the
// redirect's query is oauth_openid's). The first byte picks the decoder: odd the answer, even the
// event. Whatever is accepted must be shaped so it can travel in a store key and the log: ids
// Slack's, texts UTF-8.
#include "adapters/slack/ids.hpp"
#include "adapters/slack/oauth.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    if (size == 0) return 0;
    const auto text = fuzz::as_text(data + 1, size - 1);
    if (data[0] % 2 == 1) {
        auto answer = slack::read_oauth_access(200, text);
        if (auto* bot = std::get_if<slack::installed_bot>(&answer)) {
            fuzz::require(!bot->bot_token.empty() && !bot->workspace().empty(), "a token for a named workspace");
            fuzz::require(slack::is_id(bot->workspace(), slack::team_prefixes), "the workspace is a Slack id");
            fuzz::require(bot->expires_in >= 0, "no negative expiry");
            fuzz::require_utf8({bot->team_name, bot->scopes, bot->bot_token, bot->refresh_token}, "oauth.v2.access");
        }
        return 0;
    }
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (auto e = slack::decode_app_lifecycle(json)) {
        fuzz::require(!e->team_id.empty() || !e->enterprise_id.empty(), "names the installation it ends");
        for (const auto& bot : e->revoked_bots) fuzz::require(slack::is_id(bot, slack::user_prefixes), "bot ids");
    }
    return 0;
}
