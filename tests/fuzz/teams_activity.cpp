// Bot Framework activities as POST /api/messages receives them once the token is checked: messages,
// conversation updates, card actions, task modules and the message extension.
#include "adapters/teams/activity.hpp"
#include "adapters/teams/ids.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using namespace cxos;
using namespace cxos::teams;

void require_well_formed(const inbound_activity& a) {
    const auto& c = a.conversation;
    for (std::string_view id : {std::string_view(a.id), std::string_view(a.from_id), std::string_view(a.recipient_id),
                                std::string_view(c.conversation_id), std::string_view(c.channel_id),
                                std::string_view(c.tenant_id), std::string_view(c.team_id), std::string_view(a.message.id)})
        fuzz::require(is_absent_or_id(id), "a Teams id is printable and bounded");
    fuzz::require(!c.conversation_id.empty(), "an activity has a conversation");
    fuzz::require(a.from_name.size() <= max_name_bytes && c.team_name.size() <= max_name_bytes &&
                      a.message.author_name.size() <= max_name_bytes,
                  "display names are clipped");
    fuzz::require_utf8({a.text, a.from_name, c.team_name, a.message.text, a.message.author_name, a.message.link},
                       "an activity's text is UTF-8");
}

void require_form_submission_renders(const form_submission& f) {
    auto capture = read_capture(f, fuzz::journey());
    if (const auto* req = std::get_if<capture_request>(&capture)) {
        const auto s = plan_signal(fuzz::journey(), req->log, {}, 0);
        fuzz::require_renders(render_log_ack(s, new_item_for(s), true, fuzz::journey()));
    }
    (void)read_triage(f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = nlohmann::json::parse(fuzz::as_text(data, size), nullptr, false);
    (void)claimed_origin_of(body);
    const auto a = decode_activity(body);
    if (!a) return 0;
    require_well_formed(*a);
    const auto from = source_of(*a);
    fuzz::require_dumps(nlohmann::json{{"place", from.channel_id}, {"user", from.user_id}, {"name", from.user_name},
                                       {"thread", from.thread_ts}, {"tenant", from.team_id}},
                        "a Teams reporter dumps");
    if (a->kind == activity_kind::message) fuzz::require_command_renders(a->text, from);
    if (const auto click = decode_card_click(*a)) {
        fuzz::require_utf8({click->action_id, click->value}, "a card click is UTF-8");
        fuzz::require_click_decodes(click->action_id, click->value);
        fuzz::require_dumps(click->data, "a card click's data dumps");
    }
    if (const auto form = decode_form_submission(*a)) require_form_submission_renders(*form);
    if (a->kind == activity_kind::fetch_task || a->kind == activity_kind::submit_action)
        fuzz::require_form_renders(capture_form(
            fuzz::journey(), {from.channel_id, a->message.id, from.thread_ts, a->message.link, a->message.text}));
    return 0;
}
