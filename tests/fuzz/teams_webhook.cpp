// Teams outgoing-webhook bodies once the HMAC is checked, and the security token's base64.
#include "adapters/teams/ids.hpp"
#include "adapters/teams/webhook.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto text = fuzz::as_text(data, size);
    (void)teams::base64_decode(text);
    const auto activity = nlohmann::json::parse(text, nullptr, false);
    const auto m = teams::decode_message_activity(activity);
    if (!m) return 0;
    for (std::string_view id : {m->id, m->from_id, m->conversation_id, m->tenant_id, m->team_id, m->channel_id})
        fuzz::require(teams::is_absent_or_id(id), "a webhook id is printable and bounded");
    fuzz::require(m->from_name.size() <= teams::max_name_bytes, "the sender's name is clipped");
    fuzz::require_utf8({m->text, m->from_name}, "a webhook message is UTF-8");
    const std::string place = m->channel_id.empty() ? m->conversation_id : m->channel_id;
    fuzz::require_command_renders(m->text, {"teams", m->tenant_id, place, m->from_id, m->from_name, "", "", ""});
    return 0;
}
