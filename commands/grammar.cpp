#include "commands/grammar.hpp"
#include "commands/text_case.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <vector>

namespace cxos {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

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
    return invalid_command{"`status` needs an item id (it is on the owner's post and in your confirmation), "
                           "for example `/friction status 12`."};
}

command parse_plus_one(std::string_view rest) {
    if (auto id = parse_id(rest)) return plus_one_command{*id};
    return invalid_command{"`+1` needs the item id from the owner's channel, for example `/friction +1 7`."};
}

std::optional<stats_command> stats_of(std::string_view rest, const journey_config& journey) {
    auto topic = lower(trim(rest));
    if (topic.empty() || topic == "routing" || topic == "loops" || topic == "health" || topic == "grouping") return stats_command{topic, "", ""};
    for (const auto& [name, o] : journey.owners)
        if (equals_folded(name, topic)) return stats_command{"", name, ""};
    for (const auto& stage : journey.stages)
        if (equals_folded(stage, topic)) return stats_command{"", "", stage};
    return std::nullopt;
}

command parse_stats(std::string_view rest, const journey_config& journey) {
    if (auto stats = stats_of(rest, journey)) return *stats;
    return invalid_command{"`stats` shows everything; `stats routing`, `stats loops` and `stats grouping` show one figure, "
                           "`stats health` the six components' scorecards; "
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

// `split 57` and `move 57 to 12` (ids may carry '#'); nothing for any other shape.
std::optional<regroup_command> parse_regroup(const std::string& verb, std::string_view rest) {
    if (verb == "split") {
        if (auto sig = parse_id(rest)) return regroup_command{*sig, 0};
        return std::nullopt;
    }
    if (verb != "move") return std::nullopt;
    auto [sig_word, after] = first_word(rest);
    auto [to, item_word] = first_word(after);
    auto sig = parse_id(sig_word);
    auto item = parse_id(item_word);
    if (!sig || lower(to) != "to" || !item) return std::nullopt;
    return regroup_command{*sig, *item};
}

// Adjacent letters swapped count as one edit ("hlep"), as people type. Every report's first word
// is compared with the commands, so the table lives on the stack: words longer than the table
// are simply far (the caller only asks about words of at most 12 letters).
constexpr std::size_t max_compared = 16;
std::size_t edit_distance(std::string_view a, std::string_view b) {
    if (a.size() >= max_compared || b.size() >= max_compared) return max_compared;
    std::size_t d[max_compared][max_compared];
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The command a mistyped first word most likely meant, when the rest of the text fits it:
// "staus 12" → "status 12", "stat" → "stats", "councel" → "council preview". "state of the
// export page…" suggests nothing: the rest is no argument of `stats`.
std::optional<std::string> meant_command(const std::string& verb, std::string_view rest, const journey_config& journey) {
    if (verb.size() < 3 || verb.size() > 12) return std::nullopt;
    const std::string_view args = trim(rest);
    // The command to run for `word`, when the rest fits it. Asked only of words close enough to
    // the verb: every report's first word comes through here.
    auto run_for = [&](std::string_view word) -> std::optional<std::string> {
        if (word == "help" || word == "dashboard") return args.empty() ? std::optional<std::string>(word) : std::nullopt;
        if (word == "status") return parse_id(args) ? std::optional<std::string>("status " + std::string(args)) : std::nullopt;
        if (word == "stats")
            return stats_of(args, journey) ? std::optional<std::string>(args.empty() ? "stats" : "stats " + std::string(args)) : std::nullopt;
        if (args.empty()) return "council preview";
        const auto sub = lower(args);
        return sub == "preview" || sub == "run" ? std::optional<std::string>("council " + sub) : std::nullopt;
    };
    static constexpr std::string_view words[] = {"help", "status", "stats", "dashboard", "council"};
    const std::size_t allowed = verb.size() <= 4 ? 1 : 2;
    std::optional<std::string> best;
    std::size_t best_distance = allowed + 1;
    for (const auto word : words) {
        // The distance is at least the difference in length: most first words are far from every
        // command by length alone, and skip the table.
        const auto shorter = std::min(verb.size(), word.size()), longer = std::max(verb.size(), word.size());
        if (longer - shorter >= best_distance) continue;
        const auto d = edit_distance(verb, word);
        if (d >= best_distance) continue;
        if (auto run = run_for(word)) best = std::move(run), best_distance = d;
    }
    return best;
}

std::size_t word_count(std::string_view text) {
    std::size_t words = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!is_space(text[i]) && (i == 0 || is_space(text[i - 1]))) ++words;
    return words;
}

// Tags may be written in full or by an unambiguous start of at least three letters ("#onb"),
// in any case. The name found is one of `names`, which outlive the answer.
template <class Names>
std::optional<std::string_view> by_name_or_prefix(std::string_view want, const Names& names) {
    std::optional<std::string_view> only;
    int starts = 0;
    for (const auto& name : names) {
        if (equals_folded(name, want)) return std::string_view(name);
        if (want.size() >= 3 && starts_with_folded(name, want)) only = std::string_view(name), ++starts;
    }
    return starts == 1 ? only : std::nullopt;
}

std::optional<std::string_view> stage_tag(std::string_view body, const journey_config& journey) {
    return by_name_or_prefix(body, journey.stages);
}

bool any_equals_folded(std::string_view word, std::initializer_list<std::string_view> names) {
    return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return equals_folded(word, n); });
}

// What people write for urgency, beyond low / medium / high.
std::optional<severity> severity_tag(std::string_view body) {
    if (auto s = parse_severity(body)) return s;
    if (any_equals_folded(body, {"urgent", "critical", "crit", "blocker", "p0", "p1", "sev1", "hi"})) return severity::high;
    if (any_equals_folded(body, {"normal", "p2", "sev2"})) return severity::medium;
    if (any_equals_folded(body, {"minor", "trivial", "p3", "p4", "sev3", "lo"})) return severity::low;
    static constexpr std::string_view names[] = {"low", "medium", "high"};
    if (auto n = by_name_or_prefix(body, names)) return parse_severity(*n);
    return std::nullopt;
}

std::optional<component> component_tag(std::string_view body) {
    if (auto c = parse_component(body)) return c;
    static const std::vector<std::string_view> slugs = [] {
        std::vector<std::string_view> v;
        for (auto c : all_components()) v.push_back(to_slug(c));
        return v;
    }();
    if (auto n = by_name_or_prefix(body, slugs)) return parse_component(*n);
    return std::nullopt;
}

// A word meant as a tag: the mark, then a letter ("#checkout"), not "#1234" or "+1" in a sentence.
bool looks_like_tag(std::string_view token) {
    return token.size() > 1 && (token[0] == '#' || token[0] == '!' || token[0] == '+') &&
           std::isalpha(static_cast<unsigned char>(token[1]));
}

// Removes recognised tags from the text, keeping every other character where the user put it.
command parse_log(std::string_view text, const journey_config& journey) {
    log_command log;
    std::string description;
    description.reserve(text.size()); // tags only ever shorten it
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            // A space after a space or a line break goes, as do leading ones: those a removed tag
            // leaves behind. Tokens hold no spaces, so only here can one follow another.
            const char c = text[i++];
            const bool doubled = description.empty() || description.back() == ' ' || description.back() == '\n';
            if (c != ' ' || !doubled) description.push_back(c);
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !is_space(text[end])) ++end;
        std::string_view token = text.substr(i, end - i);
        // A tag is used when its kind is still free; a second one of a kind stays in the text.
        bool tag = false, known = false;
        if (token.size() > 1) {
            auto body = token.substr(1);
            if (token.front() == '#') {
                auto stage = stage_tag(body, journey);
                known = stage.has_value();
                if (stage && log.stage.empty()) log.stage = *stage, tag = true;
            } else if (token.front() == '!') {
                auto sev = severity_tag(body);
                known = sev.has_value();
                if (sev && !log.sev) log.sev = sev, tag = true;
            } else if (token.front() == '+') {
                auto comp = component_tag(body);
                known = comp.has_value();
                if (comp && !log.comp) log.comp = comp, tag = true;
            }
        }
        if (!known && looks_like_tag(token)) log.unknown_tags.emplace_back(token);
        if (!tag) description.append(token);
        i = end;
    }
    const auto trimmed = trim(description);
    const auto front = static_cast<std::size_t>(trimmed.data() - description.data());
    description.resize(front + trimmed.size());
    description.erase(0, front);
    log.description = std::move(description);
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

std::string stage_tags(const journey_config& journey) {
    std::string out;
    for (const auto& st : journey.stages) out += (out.empty() ? "#" : " #") + st;
    return out.empty() ? "none configured" : out;
}

std::string severity_tags() { return "!high (!urgent, !critical) !medium !low (!minor)"; }

std::string component_tags() {
    std::string out;
    for (auto c : all_components()) out += (out.empty() ? "+" : " +") + std::string(to_slug(c));
    return out;
}

command parse_report(std::string_view text, const journey_config& journey) { return parse_log(trim(text), journey); }

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
    if (auto regroup = parse_regroup(verb, rest)) return *regroup;
    if (verb == "log") {
        if (rest.empty()) return invalid_command{"`log` needs a description, for example "
                                                 "`/friction log the export button is hidden`."};
        return parse_log(rest, journey);
    }
    if (is_reserved_word(verb))
        return invalid_command{"`" + verb + "` is not available in this version of cxos; "
                               "`/friction help` lists what is. To log text that starts with "
                               "that word, write `/friction log " + verb + " …`."};
    if (auto meant = meant_command(verb, rest, journey)) return confirm_command{*meant, std::string(text)};
    auto report = parse_log(text, journey);
    if (auto* log = std::get_if<log_command>(&report); log && word_count(log->description) <= 2)
        return confirm_command{"", std::string(text)};
    return report;
}

} // namespace cxos
