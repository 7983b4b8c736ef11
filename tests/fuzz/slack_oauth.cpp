// "Add to Slack": the query string a browser brings back to /slack/oauth_redirect, the answer of
// oauth.v2.access, and the events that end an installation. The first byte picks the decoder.
// Whatever is accepted must be shaped so it can travel in a URL, a cookie-bound store key and the
// log: the state base64url, ids Slack's, texts UTF-8.
#include "adapters/slack/ids.hpp"
#include "adapters/slack/oauth.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <algorithm>

namespace {

bool base64url(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    if (size == 0) return 0;
    const auto text = fuzz::as_text(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0: {
        auto decoded = slack::decode_oauth_redirect(text);
        if (auto* r = std::get_if<slack::oauth_redirect>(&decoded)) {
            fuzz::require(!r->state.empty() && r->state.size() <= 128 && base64url(r->state), "the state is cxos's shape");
            fuzz::require(r->code.empty() != r->error.empty(), "a code or an error, never both");
            fuzz::require_utf8({r->code, r->error}, "redirect");
        }
        break;
    }
    case 1: {
        auto answer = slack::read_oauth_access(200, text);
        if (auto* bot = std::get_if<slack::installed_bot>(&answer)) {
            fuzz::require(!bot->bot_token.empty() && !bot->workspace().empty(), "a token for a named workspace");
            fuzz::require(slack::is_id(bot->workspace(), slack::team_prefixes), "the workspace is a Slack id");
            fuzz::require(bot->expires_in >= 0, "no negative expiry");
            fuzz::require_utf8({bot->team_name, bot->scopes, bot->bot_token, bot->refresh_token}, "oauth.v2.access");
        }
        break;
    }
    default: {
        auto json = nlohmann::json::parse(text, nullptr, false);
        if (auto e = slack::decode_app_lifecycle(json)) {
            fuzz::require(!e->team_id.empty() || !e->enterprise_id.empty(), "names the installation it ends");
            for (const auto& bot : e->revoked_bots) fuzz::require(slack::is_id(bot, slack::user_prefixes), "bot ids");
        }
    }
    }
    return 0;
}
