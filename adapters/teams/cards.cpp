#include "adapters/teams/cards.hpp"

#include "commands/json_text.hpp"

namespace cxos::teams {

namespace {

using nlohmann::json;

constexpr std::size_t max_text_chars = 4000;
// Form texts (intro, hints, errors) and one-line labels: a long refusal or a huge owner name
// must not push a form past max_card_bytes, and no one reads more in a dialog anyway.
constexpr std::size_t max_form_text_chars = 1000, max_label_chars = 200;
// As many choices, as long, as a Slack menu holds: both platforms offer the same owners, and
// 150 owners with long names would otherwise make a card Teams refuses.
constexpr std::size_t max_choices = 100, max_choice_title_chars = 75;


json text_block(const std::string& text, json extra = json::object()) {
    json b = {{"type", "TextBlock"}, {"text", trimmed(teams_markdown(text), max_text_chars)}, {"wrap", true}};
    b.update(extra);
    return b;
}

std::string field_value(const message_field& f) {
    if (f.value.empty()) return f.kind == field_kind::users ? "nobody" : "—";
    return f.kind == field_kind::text ? teams_markdown(f.value) : f.value;
}

const char* style_of(action_style s) {
    switch (s) {
    case action_style::primary: return "positive";
    case action_style::danger: return "destructive";
    default: return "default";
    }
}

json action_data(const message_action& a) { return {{"action", a.id}, {"value", a.value}}; }

json button(const message_action& a) {
    if (a.opens_form) {
        // task/fetch opens a dialog for the form; Action.Execute cannot.
        json data = action_data(a);
        data["msteams"] = {{"type", "task/fetch"}};
        return {{"type", "Action.Submit"}, {"title", a.label}, {"style", style_of(a.style)}, {"data", data}};
    }
    return {{"type", "Action.Execute"}, {"title", a.label}, {"verb", a.id}, {"style", style_of(a.style)},
            {"data", action_data(a)},
            {"fallback", {{"type", "Action.Submit"}, {"title", a.label}, {"data", action_data(a)}}}};
}

// Values stay whole (they say what was chosen); titles are only shown.
json choice_list(const std::vector<choice>& choices) {
    json out = json::array();
    for (const auto& c : choices) {
        if (out.size() == max_choices) break;
        out.push_back({{"title", trimmed(c.label, max_choice_title_chars)}, {"value", c.value}});
    }
    return out;
}

// "Reroute to…" names its menu's field "Reroute to": the dots promise a choice, which the
// revealed card now offers.
std::string field_label(std::string label) {
    for (std::string_view dots : {"…", "..."})
        if (label.size() > dots.size() && label.ends_with(dots)) label.resize(label.size() - dots.size());
    return trimmed(label, max_label_chars);
}

// A menu: a card revealing a choice list and the button that sends the choice. The list is a
// required input, so it has a label: Teams names the field with it when it shows the error.
json menu(const message_action& a) {
    json choices = choice_list(a.choices);
    message_action send = a;
    send.label = "Send";
    json inner = {{"type", "AdaptiveCard"},
                  {"body", json::array({{{"type", "Input.ChoiceSet"}, {"id", a.id}, {"label", field_label(a.label)},
                                         {"style", "compact"}, {"isRequired", true}, {"errorMessage", "Pick one"},
                                         {"choices", choices}, {"value", choices.empty() ? "" : choices[0]["value"]}}})},
                  {"actions", json::array({button(send)})}};
    return {{"type", "Action.ShowCard"}, {"title", a.label}, {"card", inner}};
}

json form_input_element(const form_input& in, const std::string& error) {
    const auto label = trimmed(in.label, max_label_chars);
    json e = {{"id", in.id}, {"label", label}, {"isRequired", !in.optional}};
    if (!in.optional) e["errorMessage"] = label + " is required";
    switch (in.kind) {
    case input_kind::select:
        e.update({{"type", "Input.ChoiceSet"}, {"style", "compact"}, {"choices", choice_list(in.choices)}});
        break;
    case input_kind::date: e["type"] = "Input.Date"; break;
    case input_kind::url: e.update({{"type", "Input.Text"}, {"style", "Url"}}); break;
    case input_kind::multiline: e.update({{"type", "Input.Text"}, {"isMultiline", true}}); break;
    case input_kind::text: e["type"] = "Input.Text"; break;
    }
    // A pre-filled text longer than the input allows could not be submitted unchanged anyway.
    if (!in.initial.empty())
        e["value"] = in.max_length > 0 && in.kind != input_kind::select ? trimmed(in.initial, in.max_length) : in.initial;
    if (!in.placeholder.empty()) e["placeholder"] = trimmed(in.placeholder, max_label_chars);
    if (in.max_length > 0 && e["type"] == "Input.Text") e["maxLength"] = in.max_length;
    if (!error.empty()) e["errorMessage"] = trimmed(error, max_form_text_chars);
    return e;
}

json card_shell(json body, json actions) {
    json card = {{"type", "AdaptiveCard"}, {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                 {"version", "1.4"}, {"body", std::move(body)}};
    if (!actions.empty()) card["actions"] = std::move(actions);
    card["msteams"] = {{"width", "Full"}};
    return card;
}

} // namespace

std::string trimmed(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    static constexpr std::string_view ellipsis = "…";
    std::size_t cut = limit < ellipsis.size() ? 0 : limit - ellipsis.size();
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + std::string(ellipsis);
}

namespace {

// Neutral text has no links, but typed text may hold "[Sign in again](https://…)", which Teams
// would show as a link under words of the reporter's choosing on a card cxos posted. A zero-width
// space between ']' and '(' keeps the words and the address in view and the link unformed.
std::string converted(const std::string& neutral, bool stars) {
    const auto text = plain_text(neutral); // a channel cxos names shows its label
    std::string out;
    out.reserve(text.size() + 8);
    for (char c : text) {
        if (stars && c == '*') {
            out += "**";
            continue;
        }
        if (c == '(' && !out.empty() && out.back() == ']') out += "\u200B";
        out += c;
    }
    return out;
}

} // namespace

std::string teams_markdown(const std::string& neutral) { return converted(neutral, true); }

std::string teams_unlinked(const std::string& neutral) { return converted(neutral, false); }

json render_card(const neutral_message& m) {
    json body = json::array();
    if (!m.title.empty())
        body.push_back(text_block(m.title, {{"weight", "Bolder"}, {"size", "Medium"},
                                            {"color", m.is_error ? "Attention" : "Default"}}));
    if (!m.text.empty()) body.push_back(text_block(m.text));
    json facts = json::array();
    for (const auto& f : m.fields) facts.push_back({{"title", trimmed(f.label, max_label_chars)}, {"value", trimmed(field_value(f), 1000)}});
    if (!facts.empty()) body.push_back({{"type", "FactSet"}, {"facts", facts}});
    if (!m.context.empty()) body.push_back(text_block(m.context, {{"isSubtle", true}, {"size", "Small"}}));
    json actions = json::array();
    for (const auto& a : m.actions) actions.push_back(a.choices.empty() ? button(a) : menu(a));
    json card = card_shell(std::move(body), std::move(actions));
    // Long descriptions are trimmed above; a card still too large loses its details, not its actions.
    if (json_text(card).size() > max_card_bytes) {
        card["body"] = json::array({text_block(trimmed(m.fallback_text(), 2000))});
    }
    return card;
}

json render_card_activity(const neutral_message& m) {
    return {{"type", "message"},
            {"summary", trimmed(m.fallback_text(), 200)},
            {"attachments", json::array({{{"contentType", adaptive_card_type}, {"content", render_card(m)}}})}};
}

json render_form_card(const neutral_form& form, const form_errors& errors) {
    auto note = [](const std::string& text, json extra) {
        return text_block(trimmed(text, max_form_text_chars), std::move(extra));
    };
    // A form too large for Teams loses its intro and hints, never an input or an error.
    auto body_of = [&](bool with_help) {
        json body = json::array();
        if (with_help && !form.intro.empty()) body.push_back(note(form.intro, json::object()));
        if (auto whole = errors.find(""); whole != errors.end())
            body.push_back(note(whole->second, {{"color", "Attention"}}));
        for (const auto& in : form.inputs) {
            auto err = errors.find(in.id);
            if (err != errors.end()) body.push_back(note(err->second, {{"color", "Attention"}, {"size", "Small"}}));
            body.push_back(form_input_element(in, err == errors.end() ? "" : err->second));
            if (with_help && !in.hint.empty())
                body.push_back(note(in.hint, {{"isSubtle", true}, {"size", "Small"}, {"spacing", "None"}}));
        }
        return body;
    };
    json submit = {{"type", "Action.Submit"}, {"title", form.submit_label.empty() ? "Submit" : form.submit_label},
                   {"style", "positive"}, {"data", {{"form", form.id}, {"state", form.state}}}};
    json card = card_shell(body_of(true), json::array({submit}));
    if (json_text(card).size() > max_card_bytes) card["body"] = body_of(false);
    return card;
}

json card_action_response(const neutral_message& refreshed) {
    return {{"statusCode", 200}, {"type", adaptive_card_type}, {"value", render_card(refreshed)}};
}

json card_action_message(const std::string& text) {
    return {{"statusCode", 200}, {"type", "application/vnd.microsoft.activity.message"}, {"value", plain_text(text)}};
}

json task_continue(const neutral_form& form, const form_errors& errors) {
    return {{"task", {{"type", "continue"},
                      {"value", {{"title", form.title}, {"height", "medium"}, {"width", "medium"},
                                 {"card", {{"contentType", adaptive_card_type}, {"content", render_form_card(form, errors)}}}}}}}};
}

json task_message(const std::string& text) { return {{"task", {{"type", "message"}, {"value", plain_text(text)}}}}; }

} // namespace cxos::teams
