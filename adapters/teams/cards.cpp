#include "adapters/teams/cards.hpp"

namespace cxos::teams {

namespace {

using nlohmann::json;

constexpr std::size_t max_text_chars = 4000;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Cuts at a UTF-8 boundary and says so, so a long description cannot push a card past the limit.
std::string trimmed(const std::string& text, std::size_t limit = max_text_chars) {
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
}

json text_block(const std::string& text, json extra = json::object()) {
    json b = {{"type", "TextBlock"}, {"text", trimmed(teams_markdown(text))}, {"wrap", true}};
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

// A menu: a card revealing a choice list and the button that sends the choice.
json menu(const message_action& a) {
    json choices = json::array();
    for (const auto& c : a.choices) choices.push_back({{"title", c.label}, {"value", c.value}});
    message_action send = a;
    send.label = "Send";
    json inner = {{"type", "AdaptiveCard"},
                  {"body", json::array({{{"type", "Input.ChoiceSet"}, {"id", a.id}, {"style", "compact"},
                                         {"isRequired", true}, {"errorMessage", "Pick one"}, {"choices", choices},
                                         {"value", choices.empty() ? "" : choices[0]["value"]}}})},
                  {"actions", json::array({button(send)})}};
    return {{"type", "Action.ShowCard"}, {"title", a.label}, {"card", inner}};
}

json form_input_element(const form_input& in, const std::string& error) {
    json e = {{"id", in.id}, {"label", in.label}, {"isRequired", !in.optional}};
    if (!in.optional) e["errorMessage"] = in.label + " is required";
    switch (in.kind) {
    case input_kind::select: {
        json choices = json::array();
        for (const auto& c : in.choices) choices.push_back({{"title", c.label}, {"value", c.value}});
        e.update({{"type", "Input.ChoiceSet"}, {"style", "compact"}, {"choices", choices}});
        break;
    }
    case input_kind::date: e["type"] = "Input.Date"; break;
    case input_kind::url: e.update({{"type", "Input.Text"}, {"style", "Url"}}); break;
    case input_kind::multiline: e.update({{"type", "Input.Text"}, {"isMultiline", true}}); break;
    case input_kind::text: e["type"] = "Input.Text"; break;
    }
    if (!in.initial.empty()) e["value"] = in.initial;
    if (!in.placeholder.empty()) e["placeholder"] = in.placeholder;
    if (in.max_length > 0 && e["type"] == "Input.Text") e["maxLength"] = in.max_length;
    if (!error.empty()) e["errorMessage"] = error;
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

std::string teams_markdown(const std::string& neutral) {
    const auto text = plain_text(neutral); // a channel cxos names shows its label
    std::string out;
    out.reserve(text.size() + 8);
    for (char c : text) out += c == '*' ? std::string("**") : std::string(1, c);
    return out;
}

json render_card(const neutral_message& m) {
    json body = json::array();
    if (!m.title.empty())
        body.push_back(text_block(m.title, {{"weight", "Bolder"}, {"size", "Medium"},
                                            {"color", m.is_error ? "Attention" : "Default"}}));
    if (!m.text.empty()) body.push_back(text_block(m.text));
    json facts = json::array();
    for (const auto& f : m.fields) facts.push_back({{"title", f.label}, {"value", trimmed(field_value(f), 1000)}});
    if (!facts.empty()) body.push_back({{"type", "FactSet"}, {"facts", facts}});
    if (!m.context.empty()) body.push_back(text_block(m.context, {{"isSubtle", true}, {"size", "Small"}}));
    json actions = json::array();
    for (const auto& a : m.actions) actions.push_back(a.choices.empty() ? button(a) : menu(a));
    json card = card_shell(std::move(body), std::move(actions));
    // Long descriptions are trimmed above; a card still too large loses its details, not its actions.
    if (dump(card).size() > max_card_bytes) {
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
    json body = json::array();
    if (!form.intro.empty()) body.push_back(text_block(form.intro));
    if (auto whole = errors.find(""); whole != errors.end())
        body.push_back(text_block(whole->second, {{"color", "Attention"}}));
    for (const auto& in : form.inputs) {
        auto err = errors.find(in.id);
        if (err != errors.end()) body.push_back(text_block(err->second, {{"color", "Attention"}, {"size", "Small"}}));
        body.push_back(form_input_element(in, err == errors.end() ? "" : err->second));
        if (!in.hint.empty()) body.push_back(text_block(in.hint, {{"isSubtle", true}, {"size", "Small"}, {"spacing", "None"}}));
    }
    json submit = {{"type", "Action.Submit"}, {"title", form.submit_label.empty() ? "Submit" : form.submit_label},
                   {"style", "positive"}, {"data", {{"form", form.id}, {"state", form.state}}}};
    return card_shell(std::move(body), json::array({submit}));
}

json card_action_response(const neutral_message& refreshed) {
    return {{"statusCode", 200}, {"type", adaptive_card_type}, {"value", render_card(refreshed)}};
}

json card_action_message(const std::string& text) {
    return {{"statusCode", 200}, {"type", "application/vnd.microsoft.activity.message"}, {"value", text}};
}

json task_continue(const neutral_form& form, const form_errors& errors) {
    return {{"task", {{"type", "continue"},
                      {"value", {{"title", form.title}, {"height", "medium"}, {"width", "medium"},
                                 {"card", {{"contentType", adaptive_card_type}, {"content", render_form_card(form, errors)}}}}}}}};
}

json task_message(const std::string& text) { return {{"task", {{"type", "message"}, {"value", plain_text(text)}}}}; }

} // namespace cxos::teams
