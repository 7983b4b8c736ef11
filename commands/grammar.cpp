#include "commands/grammar.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace cxos {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
    s = trim(s);
    std::size_t end = 0;
    while (end < s.size() && !is_space(s[end])) ++end;
    return {s.substr(0, end), trim(s.substr(end))};
}

// Words that are, or will be, subcommands: logging them as friction would surprise the user.
bool is_reserved_word(std::string_view w) {
    static constexpr std::string_view reserved[] = {"merge", "triage"};
    return std::find(std::begin(reserved), std::end(reserved), w) != std::end(reserved);
}

command parse_status(std::string_view rest) {
    if (auto id = parse_id(rest)) return status_command{*id};
    return invalid_command{"`status` needs one signal id, for example `/friction status 42`."};
}

command parse_plus_one(std::string_view rest) {
    if (auto id = parse_id(rest)) return plus_one_command{*id};
    return invalid_command{"`+1` needs the item id from the owner's channel, for example `/friction +1 7`."};
}

command parse_stats(std::string_view rest, const journey_config& journey) {
    auto topic = lower(trim(rest));
    if (topic.empty() || topic == "routing" || topic == "loops") return stats_command{topic, "", ""};
    for (const auto& [name, o] : journey.owners)
        if (lower(name) == topic) return stats_command{"", name, ""};
    for (const auto& stage : journey.stages)
        if (lower(stage) == topic) return stats_command{"", "", stage};
    return invalid_command{"`stats` shows everything; `stats routing` and `stats loops` show one figure; "
                           "`stats <owner>` and `stats <stage>` show the figures of one owner team or one "
                           "journey stage."};
}

command parse_council(std::string_view rest) {
    auto verb = lower(trim(rest));
    if (verb == "preview") return council_command{council_verb::preview};
    if (verb == "run") return council_command{council_verb::run};
    return invalid_command{"`council preview` shows this week's agenda to you; `council run` posts it now "
                           "(council members only)."};
}

// Removes recognised tags from the text, keeping every other character where the user put it.
command parse_log(std::string_view text, const journey_config& journey) {
    log_command log;
    std::string description;
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            description.push_back(text[i++]);
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !is_space(text[end])) ++end;
        std::string_view token = text.substr(i, end - i);
        bool tag = false;
        if (token.size() > 1) {
            auto body = token.substr(1);
            if (token.front() == '#' && log.stage.empty()) {
                auto want = lower(body);
                auto it = std::find_if(journey.stages.begin(), journey.stages.end(),
                                       [&](const std::string& s) { return lower(s) == want; });
                if (it != journey.stages.end()) log.stage = *it, tag = true;
            } else if (token.front() == '!' && !log.sev) {
                if (auto s = parse_severity(body)) log.sev = s, tag = true;
            } else if (token.front() == '+' && !log.comp) {
                if (auto c = parse_component(body)) log.comp = c, tag = true;
            }
        }
        if (!tag) description.append(token);
        i = end;
    }
    // Collapse the double spaces a removed tag leaves behind.
    std::string tidy;
    for (char c : description) {
        if (c == ' ' && (tidy.empty() || tidy.back() == ' ' || tidy.back() == '\n')) continue;
        tidy.push_back(c);
    }
    log.description = std::string(trim(tidy));
    if (log.description.empty())
        return invalid_command{"Describe the friction as well as tagging it, for example "
                               "`/friction the invoice shows the wrong currency !high`."};
    if (log.description.size() > max_description_bytes)
        return invalid_command{"That description is " + std::to_string(log.description.size()) +
                               " bytes; cxos takes up to " +
                               std::to_string(max_description_bytes) +
                               ". Summarise it and link the details."};
    return log;
}

} // namespace

std::optional<std::int64_t> parse_id(std::string_view text) {
    auto [word, extra] = first_word(text);
    if (!word.empty() && word.front() == '#') word.remove_prefix(1);
    std::int64_t id = 0;
    auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), id);
    if (word.empty() || ec != std::errc() || ptr != word.data() + word.size() || id <= 0 || !extra.empty())
        return std::nullopt;
    return id;
}

std::string fit_description(std::string text, std::string_view marker) {
    if (text.size() <= max_description_bytes) return text;
    std::size_t cut = max_description_bytes - marker.size();
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += marker;
    return text;
}

command parse_command(std::string_view text, const journey_config& journey) {
    text = trim(text);
    if (text.empty()) return capture_form_command{};
    auto [word, rest] = first_word(text);
    auto verb = lower(word);
    if (verb == "help" || verb == "?") return help_command{};
    if (verb == "status") return parse_status(rest);
    if (verb == "+1") return parse_plus_one(rest);
    if (verb == "stats") return parse_stats(rest, journey);
    if (verb == "dashboard") {
        if (rest.empty()) return dashboard_command{};
        return invalid_command{"`dashboard` answers with the dashboard's link and takes no words. To log text "
                               "that starts with that word, write `/friction log dashboard …`."};
    }
    if (verb == "council") return parse_council(rest);
    if (verb == "log") {
        if (rest.empty()) return invalid_command{"`log` needs a description, for example "
                                                 "`/friction log the export button is hidden`."};
        return parse_log(rest, journey);
    }
    if (is_reserved_word(verb))
        return invalid_command{"`" + verb + "` is not available in this version of cxos; "
                               "`/friction help` lists what is. To log text that starts with "
                               "that word, write `/friction log " + verb + " …`."};
    return parse_log(text, journey);
}

} // namespace cxos
