#include "bot/web/kpi_api.hpp"

#include "bot/web/outcome_api.hpp"
#include "bot/web/post_links.hpp"
#include "commands/utf8.hpp"

#include <boost/url/parse.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace cxos::bot {

namespace {

std::string day_text(millis at) { return format_utc(at, "%Y-%m-%d"); }

nlohmann::json ratio(int part, int whole) {
    if (whole == 0) return nullptr;
    return static_cast<double>(part) / whole;
}

nlohmann::json durations(const duration_figures& d) {
    return {{"count", d.count}, {"p50_ms", d.p50}, {"p90_ms", d.p90}};
}

// Each item's fix check by id, for the item rows.
std::map<std::int64_t, const fix_check*> checks_by_item(const outcome_report& o) {
    std::map<std::int64_t, const fix_check*> out;
    for (const auto& c : o.fixes.checks) out[c.item_id] = &c;
    return out;
}

bool matches_status(const item& it, std::string_view status) {
    if (status.empty()) return true;
    if (status == "open") return !is_closed(it.status);
    if (status == "closed") return is_closed(it.status);
    return to_string(it.status) == status;
}

// Links to the item's posts in its current owner's channels (an old owner's post only says
// where the item went), home platform first.
nlohmann::json posts_json(const item_figures& t, const app_config& config) {
    nlohmann::json out = nlohmann::json::array();
    const owner* o = config.journey.find_owner(t.it.owner);
    if (!o) return out;
    for (const auto* platform : {"slack", "teams"}) {
        const std::string& channel = std::string_view(platform) == "slack" ? o->slack_channel : o->teams_channel;
        const item_post* latest = nullptr;
        for (const auto& p : t.posts)
            if (p.platform == platform && p.channel == channel) latest = &p;
        if (!latest) continue;
        if (auto url = post_link(*latest); !url.empty())
            out.push_back({{"platform", platform}, {"channel", channel}, {"url", url}});
    }
    return out;
}

nlohmann::json item_json(const item_figures& t, const app_config& config, const fix_check* fix) {
    return {{"id", t.it.id},
            {"title", t.it.title},
            {"owner", t.it.owner},
            {"status", to_string(t.it.status)},
            {"status_label", to_label(t.it.status)},
            {"stage", t.it.stage},
            {"component", t.it.comp ? std::string(to_slug(*t.it.comp)) : std::string()},
            {"severity", to_string(t.it.sev)},
            {"reports", t.reports},
            {"contacts", t.contacts},
            {"total_reports", t.it.counts.reports},
            {"first_seen", iso_time(t.it.counts.first_seen)},
            {"last_seen", iso_time(t.it.counts.last_seen)},
            {"cost_so_far", money_json(t.cost_so_far, config)},
            {"cost_month", money_json(t.cost_month, config)},
            {"posts", posts_json(t, config)},
            {"fix", fix ? fix_json(*fix, config) : nlohmann::json(nullptr)}};
}

const fix_check* fix_of(const std::map<std::int64_t, const fix_check*>& checks, std::int64_t id) {
    auto at = checks.find(id);
    return at == checks.end() ? nullptr : at->second;
}

} // namespace

std::variant<api_query, std::string> parse_api_query(std::string_view target, const app_config& config) {
    api_query q;
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::string("the request target is not a valid URL");
    std::set<std::string> seen;
    for (auto param : url->params()) {
        const std::string key = param.key, value = param.value;
        // Errors quote what was sent, and JSON carries only UTF-8: "%97" decodes to a lone byte.
        if (!is_valid_utf8(key) || !is_valid_utf8(value)) return std::string("parameters must be UTF-8 text");
        if (!seen.insert(key).second) return "parameter '" + key + "' is given twice";
        if (key == "owner") {
            if (!config.journey.find_owner(value)) return "owner '" + value + "' is not a configured owner team";
            q.filter.owner = value;
        } else if (key == "stage") {
            if (!config.journey.has_stage(value)) return "stage '" + value + "' is not a configured journey stage";
            q.filter.stage = value;
        } else if (key == "component") {
            q.filter.comp = parse_component(value);
            if (!q.filter.comp) return "component '" + value + "' is not one of the six components (e.g. onboarding)";
        } else if (key == "from" || key == "to") {
            auto day = parse_day(value);
            // Before 1970 a day is a negative time, which the filters read as "not given".
            if (!day || *day < 0) return key + " must be a date written YYYY-MM-DD from 1970 on, e.g. 2026-11-02";
            if (key == "from") q.filter.from = *day;
            else q.filter.to = *day + kpi_day_ms; // the whole `to` day counts
        } else if (key == "status") {
            if (value != "open" && value != "closed" && !parse_item_status(value))
                return "status must be open, closed or one of new, routed, acknowledged, in_progress, fixed, wont_fix, duplicate, regressed";
            q.status = value;
        } else if (key == "limit") {
            int n = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || n < 1 || n > 1000)
                return std::string("limit must be a number from 1 to 1000");
            q.limit = n;
        } else if (key == "rows") {
            if (value != "items" && value != "signals") return std::string("rows must be items or signals");
            q.rows = value;
        } else {
            return "unknown parameter '" + key + "' (owner, stage, component, from, to, status, limit, rows)";
        }
    }
    if (q.filter.from > 0 && q.filter.to > 0 && q.filter.to <= q.filter.from) return std::string("from must not be after to");
    return q;
}

nlohmann::json kpis_json(const kpi_report& r, const outcome_report& outcomes, const app_config& config) {
    const auto checks = checks_by_item(outcomes);
    const auto& f = r.filter;
    nlohmann::json j;
    j["filter"] = {{"owner", f.owner},
                   {"stage", f.stage},
                   {"component", f.comp ? std::string(to_slug(*f.comp)) : std::string()},
                   {"from", f.from > 0 ? day_text(f.from) : std::string()},
                   {"to", f.to > 0 ? day_text(f.to - kpi_day_ms) : std::string()}};
    j["generated_at"] = iso_time(r.now);
    j["stages"] = config.journey.stages;
    j["components"] = nlohmann::json::array();
    for (auto c : all_components()) j["components"].push_back({{"slug", to_slug(c)}, {"title", to_title(c)}});
    j["owners"] = nlohmann::json::array();
    for (const auto& [name, o] : config.journey.owners) j["owners"].push_back(name);
    j["totals"] = {{"signals", r.signals},
                   {"contacts", r.contacts},
                   {"items", r.items},
                   {"open_items", r.open_items},
                   {"reports_per_item", std::round(r.reports_per_item * 100) / 100}};
    j["heat_map"] = nlohmann::json::array();
    for (const auto& c : r.heat)
        j["heat_map"].push_back({{"stage", c.stage},
                                 {"component", c.component},
                                 {"signals", c.signals},
                                 {"items", c.items},
                                 {"contacts", c.contacts}});
    j["top_items"] = nlohmann::json::array();
    for (std::size_t i = 0; i < r.top.size() && i < 10; ++i) j["top_items"].push_back(item_json(r.top[i], config, fix_of(checks, r.top[i].it.id)));
    j["time_to_route"] = durations(r.to_route);
    j["time_to_acknowledge"] = durations(r.to_acknowledge);
    j["time_to_fix"] = durations(r.to_fix);
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& rule : r.routing)
        rules.push_back({{"rule", rule.rule},
                         {"routed", rule.routed},
                         {"rerouted", rule.rerouted},
                         {"accuracy", ratio(rule.routed - rule.rerouted, rule.routed)}});
    const auto& split = r.by_rule;
    j["routing_accuracy"] = {{"routed", r.routed},
                             {"rerouted", r.rerouted},
                             {"accuracy", ratio(r.routed - r.rerouted, r.routed)},
                             {"rule_routed", split.rule_routed},
                             {"rule_rerouted", split.rule_rerouted},
                             {"rule_accuracy", ratio(split.rule_routed - split.rule_rerouted, split.rule_routed)},
                             {"fallback_routed", split.fallback_routed},
                             {"fallback_rerouted", split.fallback_rerouted},
                             {"fallback_share", ratio(split.fallback_routed, split.routed())},
                             {"rules", rules}};
    j["closed_loops"] = {{"fixed_items", r.loops.fixed_items},
                         {"closed_loops", r.loops.closed_loops},
                         {"rate", ratio(r.loops.closed_loops, r.loops.fixed_items)},
                         {"median_ms", std::llround(median(r.loops.loop_times))}};
    j["open_by_owner"] = nlohmann::json::array();
    for (const auto& o : r.owners)
        j["open_by_owner"].push_back({{"owner", o.owner},
                                      {"open_items", o.open_items},
                                      {"oldest_age_ms", o.oldest_age},
                                      {"median_age_ms", o.median_age},
                                      {"cost_month", money_json(o.cost_month, config)}});
    j["weeks"] = nlohmann::json::array();
    for (const auto& w : r.weeks)
        j["weeks"].push_back({{"start", day_text(w.start)},
                              {"signals", w.signals},
                              {"new_items", w.new_items},
                              {"fixed_items", w.fixed_items}});
    j["week_over_week"] = r.week_over_week ? nlohmann::json(std::round(*r.week_over_week * 10) / 10) : nlohmann::json(nullptr);
    j["economics"] = {{"enabled", config.economics.enabled()},
                      {"currency", config.economics.currency},
                      {"cost_per_contact", config.economics.cost_per_contact},
                      {"cost", money_json(r.cost, config)},
                      {"cost_month", money_json(r.cost_month, config)}};
    j["fixes"] = fixes_json(outcomes.fixes, config);
    j["health"] = health_json(outcomes.health);
    return j;
}

nlohmann::json items_json(const kpi_report& r, const outcome_report& outcomes, const api_query& q,
                          const app_config& config) {
    const auto checks = checks_by_item(outcomes);
    nlohmann::json items = nlohmann::json::array();
    int matching = 0;
    for (const auto& t : r.top) {
        if (!matches_status(t.it, q.status)) continue;
        if (++matching <= q.limit) items.push_back(item_json(t, config, fix_of(checks, t.it.id)));
    }
    return {{"items", items}, {"count", matching}, {"limit", q.limit}};
}

std::string csv_cell(std::string_view text) {
    std::string cell(text);
    // A cell a spreadsheet would evaluate (=, +, -, @, or a tab/CR first) is made plain text.
    if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                          cell[0] == '\r'))
        cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

namespace {

std::string csv_row(std::initializer_list<std::string> cells) {
    std::string line;
    for (const auto& c : cells) line += (line.empty() ? "" : ",") + csv_cell(c);
    return line + "\r\n";
}

std::string amount_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

std::string export_csv(const kpi_report& r, const outcome_report& outcomes, const std::vector<kpi_signal>& signals,
                       const api_query& q, const app_config& config) {
    const auto& currency = config.economics.currency;
    std::string out;
    if (q.rows == "items") {
        out = csv_row({"item_id", "title", "owner", "status", "stage", "component", "severity", "reports", "contacts",
                       "first_seen", "last_seen", "cost_so_far_" + currency, "cost_month_" + currency, "fix_verdict",
                       "contacts_avoided_month", "savings_month_" + currency, "savings_ytd_" + currency});
        const auto checks = checks_by_item(outcomes);
        for (const auto& t : r.top) {
            if (!matches_status(t.it, q.status)) continue;
            const fix_check* fix = fix_of(checks, t.it.id);
            out += csv_row({std::to_string(t.it.id), t.it.title, t.it.owner, std::string(to_string(t.it.status)),
                            t.it.stage, t.it.comp ? std::string(to_slug(*t.it.comp)) : "",
                            std::string(to_string(t.it.sev)), std::to_string(t.reports), std::to_string(t.contacts),
                            iso_time(t.it.counts.first_seen), iso_time(t.it.counts.last_seen), amount_text(t.cost_so_far),
                            amount_text(t.cost_month), fix ? std::string(to_string(fix->verdict)) : "",
                            fix ? amount_text(fix->contacts_month) : "", fix ? amount_text(fix->savings_month) : "",
                            fix ? amount_text(fix->savings_ytd) : ""});
        }
        return out;
    }
    // Signals of the items in the report, within its date range.
    std::unordered_map<std::int64_t, const item_figures*> in_report;
    for (const auto& t : r.top) in_report[t.it.id] = &t;
    const millis end = r.filter.to > 0 ? r.filter.to : r.now + 1;
    out = csv_row({"signal_id", "created_at", "item_id", "item_title", "owner", "stage", "component", "source",
                   "contacts", "cost_" + currency});
    for (const auto& s : signals) {
        auto at = in_report.find(s.item_id);
        if (at == in_report.end() || s.at < r.filter.from || s.at >= end) continue;
        if ((!r.filter.stage.empty() && s.stage != r.filter.stage) || (r.filter.comp && s.comp != r.filter.comp)) continue;
        if (!matches_status(at->second->it, q.status)) continue;
        out += csv_row({std::to_string(s.id), iso_time(s.at), std::to_string(s.item_id), at->second->it.title,
                        at->second->it.owner, s.stage, s.comp ? std::string(to_slug(*s.comp)) : "", s.source,
                        std::to_string(s.contacts), amount_text(config.economics.cost_of(s))});
    }
    return out;
}

} // namespace cxos::bot
