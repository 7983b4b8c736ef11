#include "adapters/slack/interactions.hpp"

#include "adapters/slack/blocks.hpp"
#include "adapters/slack/form.hpp"
#include "adapters/slack/ids.hpp"
#include "adapters/slack/json_fields.hpp"
#include "commands/utf8.hpp"

#include <algorithm>
#include <stdexcept>

namespace cxos::slack {
namespace {

using nlohmann::json;

// Block Kit limits for modals: title, submit and close 24 chars; private_metadata 3000 (ids.hpp); 100
// blocks; input label and hint 2000; placeholder 150; plain_text_input 3000. Options: see
// render_options.
constexpr std::size_t view_text_limit = 24, max_blocks = 100, label_limit = 2000, placeholder_limit = 150,
                      input_length_limit = 3000;


json plain_text(std::string text, std::size_t limit) {
    return {{"type", "plain_text"}, {"text", clip(std::move(text), limit)}, {"emoji", true}};
}

// The member `key` when it is an object, otherwise null: absent, null and wrongly typed members
// all read as "nothing there", and reading fields of null yields empty strings.
const json& object_field(const json& j, const char* key) {
    static const json none;
    if (!j.is_object()) return none;
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : none;
}

// Slack sends `team: null` for org-wide installs; the user then still carries its team_id.
actor decode_actor(const json& payload, bool prefer_username) {
    const auto& user = object_field(payload, "user");
    actor by{text_of(object_field(payload, "team"), "id"), text_of(user, "id"),
             text_of(user, prefer_username ? "username" : "name")};
    if (by.team_id.empty()) by.team_id = text_of(user, "team_id");
    if (by.user_name.empty()) by.user_name = text_of(user, "name");
    by.user_name = utf8_prefix(std::move(by.user_name), max_name_bytes);
    return by;
}

void check_actor(field_check& check, const actor& by) {
    check.id("team.id", by.team_id, team_prefixes).id("user.id", by.user_id, user_prefixes);
}

std::string defect_of(const interaction_event& event) {
    field_check check;
    if (const auto* a = std::get_if<block_action>(&event)) {
        check_actor(check, a->by);
        check.id("channel.id", a->channel_id, channel_prefixes)
            .ts("message.ts", a->message_ts)
            .text("action_id", a->action_id, max_action_id_bytes)
            .text("value", a->value, max_value_bytes)
            .token("trigger_id", a->trigger_id);
    } else if (const auto* s = std::get_if<message_shortcut>(&event)) {
        check_actor(check, s->by);
        check.text("callback_id", s->callback_id, max_action_id_bytes)
            .token("trigger_id", s->trigger_id)
            .id("channel.id", s->channel_id, channel_prefixes)
            .ts("message.ts", s->message_ts)
            .ts("message.thread_ts", s->thread_ts)
            .id("message.user", s->message_user, user_prefixes);
    } else if (const auto* v = std::get_if<view_submitted>(&event)) {
        check_actor(check, v->by);
        check.text("view.callback_id", v->form.form_id, max_action_id_bytes)
            .text("view.private_metadata", v->form.state, max_metadata_bytes);
    }
    return check.defect();
}

std::string defect_of(const reaction_event& r) {
    field_check check;
    check.token("event_id", r.event_id)
        .id("team_id", r.team_id, team_prefixes)
        .id("event.user", r.user_id, user_prefixes)
        .text("event.reaction", r.reaction, max_name_bytes)
        .id("event.item.channel", r.channel_id, channel_prefixes)
        .ts("event.item.ts", r.message_ts)
        .id("event.item_user", r.item_user, user_prefixes);
    return check.defect();
}

// A decoded value is only handed out when none of its fields has a defect.
template <class T>
std::optional<T> without_defect(std::optional<T> decoded) {
    if (decoded && !defect_of(*decoded).empty()) return std::nullopt;
    return decoded;
}

template <class T>
std::string defect_in(const std::optional<T>& decoded) {
    return decoded ? defect_of(*decoded) : std::string();
}

std::optional<interaction_event> decode_block_actions(const json& payload) {
    auto by = decode_actor(payload, true);
    auto actions = payload.find("actions");
    if (by.user_id.empty() || actions == payload.end() || !actions->is_array() || actions->empty())
        return std::nullopt;
    const auto& first = (*actions)[0];
    block_action a;
    a.by = std::move(by);
    a.action_id = text_of(first, "action_id");
    if (a.action_id.empty()) return std::nullopt;
    a.value = text_of(first, "value");
    // A menu sends the chosen option; deselecting sends `selected_option: null`.
    if (a.value.empty()) a.value = text_of(object_field(first, "selected_option"), "value");
    const auto& container = object_field(payload, "container");
    a.channel_id = text_of(object_field(payload, "channel"), "id");
    if (a.channel_id.empty()) a.channel_id = text_of(container, "channel_id");
    // Ephemeral messages come without `message`; the container still names them.
    a.message_ts = text_of(object_field(payload, "message"), "ts");
    if (a.message_ts.empty()) a.message_ts = text_of(container, "message_ts");
    a.trigger_id = text_of(payload, "trigger_id");
    a.response_url = text_of(payload, "response_url");
    return a;
}

std::optional<interaction_event> decode_message_action(const json& payload) {
    message_shortcut s;
    s.by = decode_actor(payload, false);
    s.callback_id = text_of(payload, "callback_id");
    if (s.by.user_id.empty() || s.callback_id.empty()) return std::nullopt;
    s.trigger_id = text_of(payload, "trigger_id");
    const auto& message = object_field(payload, "message");
    s.channel_id = text_of(object_field(payload, "channel"), "id");
    s.message_ts = text_of(message, "ts");
    if (s.message_ts.empty()) s.message_ts = text_of(payload, "message_ts");
    s.thread_ts = text_of(message, "thread_ts");
    s.message_text = unescape_text(text_of(message, "text"));
    s.message_user = text_of(message, "user"); // absent on bot and webhook messages
    s.response_url = text_of(payload, "response_url");
    return s;
}

// The submitted value of one element, empty when the user left it empty.
std::string element_value(const json& state) {
    auto type = text_of(state, "type");
    if (type == "plain_text_input" || type == "url_text_input") return text_of(state, "value");
    if (type == "static_select")
        return text_of(object_field(state, "selected_option"), "value");
    if (type == "datepicker") return text_of(state, "selected_date");
    return {};
}

std::optional<interaction_event> decode_view_submission(const json& payload) {
    auto by = decode_actor(payload, false);
    const auto& view = object_field(payload, "view");
    view_submitted v{std::move(by),
                     {text_of(view, "callback_id"), text_of(view, "private_metadata"), {}},
                     text_of(view, "id")};
    if (v.by.user_id.empty() || v.form.form_id.empty()) return std::nullopt;
    const auto& values = object_field(object_field(view, "state"), "values");
    if (values.is_object()) {
        for (const auto& [block_id, elements] : values.items()) {
            if (!elements.is_object()) continue;
            for (const auto& [action_id, state] : elements.items()) {
                auto value = element_value(state);
                if (!value.empty()) v.form.values.insert_or_assign(action_id, std::move(value));
            }
        }
    }
    return v;
}

// Every field as sent, before the check of their shapes.
std::optional<interaction_event> decode_fields(const json& payload) {
    auto type = text_of(payload, "type");
    if (type.empty()) return std::nullopt;
    if (type == "block_actions") return decode_block_actions(payload);
    if (type == "message_action") return decode_message_action(payload);
    if (type == "view_submission") return decode_view_submission(payload);
    return other_interaction{std::move(type)};
}

json select_element(const form_input& in) {
    json element = {{"type", "static_select"}, {"action_id", in.id}, {"options", render_options(in.choices)}};
    // initial_option must equal one of the options, so it is copied from the rendered one.
    for (const auto& option : element["options"])
        if (!in.initial.empty() && option["value"] == in.initial) {
            element["initial_option"] = option;
            break;
        }
    return element;
}

json input_element(const form_input& in) {
    if (in.kind == input_kind::select) return select_element(in);
    if (in.kind == input_kind::date) {
        json picker = {{"type", "datepicker"}, {"action_id", in.id}};
        if (!in.initial.empty()) picker["initial_date"] = in.initial;
        return picker;
    }
    json element = {{"type", in.kind == input_kind::url ? "url_text_input" : "plain_text_input"},
                    {"action_id", in.id}};
    if (in.kind == input_kind::multiline) element["multiline"] = true;
    const std::size_t max_length = in.kind == input_kind::url ? 0 : std::min(in.max_length, input_length_limit);
    // A pre-filled text longer than the input allows could not be submitted unchanged anyway.
    if (!in.initial.empty()) element["initial_value"] = max_length > 0 ? clip(in.initial, max_length) : in.initial;
    if (max_length > 0) element["max_length"] = max_length;
    return element;
}

json input_block(const form_input& in) {
    auto element = input_element(in);
    if (!in.placeholder.empty()) element["placeholder"] = plain_text(in.placeholder, placeholder_limit);
    json block = {{"type", "input"},
                  {"block_id", in.id},
                  {"optional", in.optional},
                  {"label", plain_text(in.label, label_limit)},
                  {"element", std::move(element)}};
    if (!in.hint.empty()) block["hint"] = plain_text(in.hint, label_limit);
    return block;
}

} // namespace

std::optional<interaction_event> decode_interaction(const json& payload) {
    return without_defect(decode_fields(payload));
}

std::string interaction_defect(const json& payload) { return defect_in(decode_fields(payload)); }

namespace {

// Skin tones are one person's look of the same emoji; what it means does not change.
std::string without_skin_tone(std::string name) {
    return name.substr(0, name.find("::"));
}

std::optional<reaction_event> decode_reaction_fields(const json& envelope) {
    if (text_of(envelope, "type") != "event_callback") return std::nullopt;
    const auto& event = object_field(envelope, "event");
    auto type = text_of(event, "type");
    if (type != "reaction_added" && type != "reaction_removed") return std::nullopt;
    const auto& item = object_field(event, "item");
    if (text_of(item, "type") != "message") return std::nullopt;
    reaction_event r{text_of(envelope, "event_id"), text_of(envelope, "team_id"),
                     type == "reaction_added", text_of(event, "user"),
                     without_skin_tone(text_of(event, "reaction")), text_of(item, "channel"),
                     text_of(item, "ts"), text_of(event, "item_user")};
    if (r.user_id.empty() || r.reaction.empty() || r.channel_id.empty() || r.message_ts.empty())
        return std::nullopt;
    // Slack names the installation the event is for; its bot user reacting is cxos itself (the
    // ✅ it puts on a fixed report).
    if (auto auths = envelope.find("authorizations"); auths != envelope.end() && auths->is_array())
        for (const auto& a : *auths)
            if (a.is_object() && bool_field(a, "is_bot") && text_of(a, "user_id") == r.user_id) r.by_the_app = true;
    return r;
}

} // namespace

std::optional<reaction_event> decode_reaction(const json& envelope) {
    return without_defect(decode_reaction_fields(envelope));
}

std::string reaction_defect(const json& envelope) { return defect_in(decode_reaction_fields(envelope)); }

json render_form(const neutral_form& form) {
    // Unlike display text, the state must come back whole: a longer one is a programmer error.
    if (form.state.size() > max_metadata_bytes)
        throw std::length_error("form state exceeds Slack's 3000-character private_metadata");
    auto blocks = json::array();
    if (!form.intro.empty()) {
        neutral_message intro;
        intro.text = form.intro; // split over sections of at most 3000 chars, never clipped
        for (auto& b : render_blocks(intro)) blocks.push_back(std::move(b));
    }
    for (const auto& in : form.inputs) blocks.push_back(input_block(in));
    if (blocks.size() > max_blocks)
        throw std::length_error("form needs more than Slack's 100 blocks per modal");
    return {{"type", "modal"},
            {"callback_id", form.id},
            {"title", plain_text(form.title, view_text_limit)},
            {"submit", plain_text(form.submit_label, view_text_limit)},
            {"close", plain_text("Cancel", view_text_limit)},
            {"private_metadata", form.state},
            {"blocks", std::move(blocks)}};
}

json render_form_errors(const form_errors& errors) {
    auto by_block = json::object();
    for (const auto& [id, message] : errors) by_block[id] = message;
    return {{"response_action", "errors"}, {"errors", std::move(by_block)}};
}

json render_form_done(const std::string& title, const neutral_message& m) {
    return {{"response_action", "update"},
            {"view",
             {{"type", "modal"},
              {"title", plain_text(title, view_text_limit)},
              {"close", plain_text("Done", view_text_limit)},
              {"blocks", render_blocks(m)}}}};
}

json views_open_body(const std::string& trigger_id, const neutral_form& form) {
    return {{"trigger_id", trigger_id}, {"view", render_form(form)}};
}

} // namespace cxos::slack
