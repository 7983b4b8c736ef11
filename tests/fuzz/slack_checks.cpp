#include "tests/fuzz/slack_checks.hpp"

#include "adapters/slack/ids.hpp"
#include "adapters/slack/interactions.hpp"
#include "adapters/slack/response_url.hpp"
#include "commands/item_views.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace cxos::fuzz {
namespace {

using namespace cxos::slack;

bool absent_or_id(const std::string& id, std::string_view prefixes) { return id.empty() || is_id(id, prefixes); }
bool absent_or_ts(const std::string& ts) { return ts.empty() || is_ts(ts); }

// A click's response_url is answered with a target that stays on the hooks host (the request
// itself always goes to slack.hooks_url's origin).
void require_response_url_kept_home(const std::string& response_url) {
    const hooks_origin hooks{"https", "hooks.slack.com", "443", ""};
    auto target = response_url_target(hooks, response_url);
    if (!target) return;
    require(target->starts_with("/") && target->find("/../") == std::string::npos &&
                !target->ends_with("/..") && target->find('#') == std::string::npos,
            "a response_url's target stays on the hooks host");
}

void require_actor(const actor& by) {
    require(is_id(by.user_id, user_prefixes) && absent_or_id(by.team_id, team_prefixes), "an actor has Slack ids");
    require(by.user_name.size() <= max_name_bytes, "a user name is clipped");
    require_utf8({by.user_name}, "a user name is UTF-8");
}

// The capture form a message shortcut opens, with the permalink Slack would give for the message:
// an accepted message never loses its source to a state that does not fit.
void require_capture_form(const message_shortcut& s) {
    std::string digits = s.message_ts;
    std::erase(digits, '.');
    const std::string permalink = "https://acme-corporation.enterprise.slack.com/archives/" + s.channel_id + "/p" +
                                  digits + "?thread_ts=" + s.thread_ts + "&cid=" + s.channel_id;
    const auto form = capture_form(journey(), {s.channel_id, s.message_ts, s.thread_ts, permalink, s.message_text});
    require_form_renders(form);
    require(form.state.find(permalink) != std::string::npos, "an accepted message keeps its permalink in the form");
}

void require_event_renders(const interaction_event& event) {
    if (const auto* a = std::get_if<block_action>(&event)) {
        require_actor(a->by);
        require(absent_or_id(a->channel_id, channel_prefixes) && absent_or_ts(a->message_ts), "a click names a message");
        require_utf8({a->action_id, a->value, a->trigger_id}, "a click is UTF-8");
        require_click_decodes(a->action_id, a->value);
        require_response_url_kept_home(a->response_url);
        neutral_message m;
        m.title = a->action_id;
        m.text = a->value;
        require_renders(m);
    } else if (const auto* s = std::get_if<message_shortcut>(&event)) {
        require_actor(s->by);
        require(absent_or_id(s->channel_id, channel_prefixes) && absent_or_ts(s->message_ts) &&
                    absent_or_ts(s->thread_ts) && absent_or_id(s->message_user, user_prefixes),
                "a shortcut names a message");
        require_capture_form(*s);
        require_response_url_kept_home(s->response_url);
    } else if (const auto* v = std::get_if<view_submitted>(&event)) {
        require_actor(v->by);
        require(v->form.state.size() <= max_metadata_bytes, "private_metadata as Slack carries it");
        auto capture = read_capture(v->form, journey());
        if (const auto* errors = std::get_if<form_errors>(&capture)) {
            require_dumps(render_form_errors(*errors), "capture form errors dump");
        } else {
            const auto& req = std::get<capture_request>(capture);
            source_ref from{"slack", v->by.team_id, req.from.channel_id, v->by.user_id, v->by.user_name,
                            req.from.message_ts, req.from.thread_ts, req.from.permalink};
            auto sig = plan_signal(journey(), req.log, from, 0);
            sig.customer = req.customer;
            sig.link = req.link;
            auto it = new_item_for(sig);
            require_renders(render_log_ack(sig, it, true, journey()));
            require_renders(render_item_card(it, journey()));
        }
        auto triage = read_triage(v->form);
        if (const auto* errors = std::get_if<form_errors>(&triage))
            require_dumps(render_form_errors(*errors), "triage form errors dump");
    }
}

} // namespace

void require_slack_request_renders(const inbound& in) {
    if (const auto* bad = std::get_if<malformed_request>(&in)) {
        require_utf8({bad->message}, "a 400's reason is UTF-8"); // it is logged and sent back
        return;
    }
    if (const auto* cmd = std::get_if<slash_command>(&in)) {
        require(is_id(cmd->user_id, user_prefixes) && absent_or_id(cmd->team_id, team_prefixes) &&
                    absent_or_id(cmd->channel_id, channel_prefixes),
                "a slash command has Slack ids");
        require_utf8({cmd->command, cmd->text, cmd->user_name, cmd->response_url, cmd->trigger_id},
                     "a slash command is UTF-8");
        require_command_renders(cmd->text, {"slack", cmd->team_id, cmd->channel_id, cmd->user_id, cmd->user_name,
                                            "", "", ""});
        return;
    }
    if (const auto* i = std::get_if<interaction>(&in)) {
        // What the endpoint let through, the bot's own decode must not refuse for a malformed field.
        require(interaction_defect(i->payload).empty(), "an accepted payload has no defect");
        if (auto event = decode_interaction(i->payload)) require_event_renders(*event);
        return;
    }
    if (const auto* e = std::get_if<event_callback>(&in)) {
        if (auto r = decode_reaction(e->payload)) {
            require(is_id(r->user_id, user_prefixes) && is_id(r->channel_id, channel_prefixes) && is_ts(r->message_ts) &&
                        absent_or_id(r->team_id, team_prefixes) && absent_or_id(r->item_user, user_prefixes),
                    "a reaction has Slack ids");
            require_dumps(nlohmann::json{{"team", r->team_id}, {"user", r->user_id}, {"reaction", r->reaction},
                                         {"channel", r->channel_id}, {"ts", r->message_ts}, {"event", r->event_id}},
                          "a reaction's inbox row dumps");
        }
        return;
    }
    const auto& challenge = std::get<url_verification>(in).challenge;
    require_dumps(nlohmann::json{{"challenge", challenge}}, "the url_verification answer dumps");
}

} // namespace cxos::fuzz
