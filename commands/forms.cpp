#include "commands/forms.hpp"
#include "commands/json_text.hpp"
#include "commands/item_views.hpp"

#include <nlohmann/json.hpp>


namespace cxos {
namespace {

std::string value_of(const form_submission& s, const std::string& key) {
    auto it = s.values.find(key);
    return it == s.values.end() ? std::string() : it->second;
}

bool is_web_link(const std::string& url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// The state fits every platform's carrier whatever the context holds: the permalink (the link
// input shows it as well), then the thread, the message and the channel are left out, in that
// order, until it does. Adapters refuse over-long ids, so in practice only an odd permalink can.
std::string capture_state(const capture_context& from) {
    nlohmann::json state = {{"channel", from.channel_id}, {"ts", from.message_ts},
                            {"thread_ts", from.thread_ts}, {"permalink", from.permalink}};
    auto text = [&] { return state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
    for (const char* optional : {"permalink", "thread_ts", "ts", "channel"}) {
        if (text().size() <= max_form_state_bytes) break;
        state.erase(optional);
    }
    return text();
}

std::string short_title(const item& it) {
    return "Item " + std::to_string(it.id);
}

} // namespace

neutral_form capture_form(const journey_config& journey, const capture_context& from) {
    neutral_form f;
    f.id = form_ids::capture;
    f.title = "Log friction";
    f.submit_label = "Log it";
    f.intro = from.permalink.empty() ? "What did the customer run into? cxos routes it to the team that owns it."
                                     : "Logging a message as friction; the message stays linked as the source.";
    std::vector<choice> stages;
    for (const auto& s : journey.stages) stages.push_back({s, s});
    std::vector<choice> components;
    for (auto c : all_components()) components.push_back({std::string(to_slug(c)), std::string(to_title(c))});
    f.inputs = {
        {"description", "What happened", input_kind::multiline, false, fit_description(from.text),
         "The invoice shows the wrong currency", "", {}, max_description_bytes},
        {"stage", "Journey stage", input_kind::select, true, "", "Choose a stage", "", stages, 0},
        {"component", "Component", input_kind::select, true, "", "Choose a component", "", components, 0},
        {"severity", "Severity", input_kind::select, false, "medium", "", "",
         {{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}}, 0},
        {"customer", "Customer or account", input_kind::text, true, "", "Acme Corp", "", {}, 200},
        {"link", "Link", input_kind::url, true, from.permalink, "", "A ticket, a thread, a recording", {}, 0},
    };
    f.state = capture_state(from);
    return f;
}

std::variant<capture_request, form_errors> read_capture(const form_submission& s,
                                                        const journey_config& journey) {
    capture_request out;
    form_errors errors;
    auto description = value_of(s, "description");
    // The description may carry tags too, exactly as in the slash command.
    auto parsed = parse_command("log " + description, journey);
    if (description.find_first_not_of(" \t\r\n") == std::string::npos)
        errors["description"] = "Describe what the customer ran into.";
    else if (auto* bad = std::get_if<invalid_command>(&parsed))
        errors["description"] = bad->message;
    else
        out.log = std::get<log_command>(parsed);

    if (auto stage = value_of(s, "stage"); !stage.empty()) {
        if (!journey.has_stage(stage)) errors["stage"] = "Choose one of the journey's stages.";
        else out.log.stage = stage;
    }
    if (auto comp = value_of(s, "component"); !comp.empty()) {
        if (auto c = parse_component(comp)) out.log.comp = c;
        else errors["component"] = "Choose one of the six components.";
    }
    if (auto sev = value_of(s, "severity"); !sev.empty()) {
        if (auto v = parse_severity(sev)) out.log.sev = v;
        else errors["severity"] = "Choose low, medium or high.";
    }
    out.customer = value_of(s, "customer");
    if (out.customer.size() > 200) errors["customer"] = "Keep it under 200 characters.";
    out.link = value_of(s, "link");
    if (!out.link.empty() && !is_web_link(out.link)) errors["link"] = "Give a web address starting with https://";
    if (!errors.empty()) return errors;

    auto state = nlohmann::json::parse(s.state, nullptr, false);
    if (state.is_object()) {
        auto str = [&](const char* k) { return text_of(state, k); };
        out.from = {str("channel"), str("ts"), str("thread_ts"), str("permalink"), ""};
    }
    return out;
}

std::optional<neutral_form> triage_form(triage_verb verb, const item& it) {
    neutral_form f;
    f.state = std::to_string(it.id);
    f.intro = "*" + short_title(it) + "*: " + it.title;
    switch (verb) {
    case triage_verb::wont_fix:
        f.id = form_ids::wont_fix;
        f.title = "Won't fix";
        f.submit_label = "Close item";
        f.inputs = {{"reason", "Why not", input_kind::multiline, false, "", "", "Every reporter is told this.", {}, 2000}};
        return f;
    case triage_verb::fixed:
        f.id = form_ids::fixed;
        f.title = "Mark fixed";
        f.submit_label = "Mark fixed";
        f.inputs = {{"what_changed", "What changed", input_kind::multiline, false, "", "",
                     "Every reporter is told this, in these words.", {}, 2000},
                    {"link", "Link", input_kind::url, true, "", "", "Release notes, changelog, docs", {}, 0}};
        return f;
    case triage_verb::duplicate:
        f.id = form_ids::duplicate;
        f.title = "Duplicate of…";
        f.submit_label = "Merge";
        f.inputs = {{"target", "Item id it duplicates", input_kind::text, false, "", "42",
                     "Its reports move there and count towards it.", {}, 20}};
        return f;
    case triage_verb::acknowledge:
    case triage_verb::reroute: return std::nullopt;
    }
    return std::nullopt;
}

neutral_form triage_form_of(const form_submission& s) {
    const triage_verb verb = s.form_id == form_ids::fixed       ? triage_verb::fixed
                             : s.form_id == form_ids::duplicate ? triage_verb::duplicate
                                                                : triage_verb::wont_fix;
    item placeholder;
    placeholder.id = item_id_of(s.state);
    return *triage_form(verb, placeholder);
}

std::variant<triage_request, form_errors> read_triage(const form_submission& s) {
    triage_request out;
    auto id = parse_id(s.state);
    if (!id) return form_errors{{"", "This form lost track of its item; close it and click the button again."}};
    out.item_id = *id;
    form_errors errors;
    if (s.form_id == form_ids::wont_fix) {
        out.action.verb = triage_verb::wont_fix;
        out.action.note = value_of(s, "reason");
        if (out.action.note.empty()) errors["reason"] = "Say why: the reporters will read it.";
    } else if (s.form_id == form_ids::fixed) {
        out.action.verb = triage_verb::fixed;
        out.action.note = value_of(s, "what_changed");
        out.action.link = value_of(s, "link");
        if (out.action.note.empty()) errors["what_changed"] = "Say what changed: the reporters will read it.";
        if (!out.action.link.empty() && !is_web_link(out.action.link))
            errors["link"] = "Give a web address starting with https://";
    } else if (s.form_id == form_ids::duplicate) {
        out.action.verb = triage_verb::duplicate;
        auto target = parse_id(value_of(s, "target"));
        if (!target) errors["target"] = "Give the number of the item this one duplicates.";
        else if (*target == out.item_id) errors["target"] = "An item cannot duplicate itself.";
        else out.action.duplicate_of = *target;
    } else {
        errors[""] = "Unknown form.";
    }
    if (!errors.empty()) return errors;
    return out;
}

} // namespace cxos
