#include "bot/web/outcome_api.hpp"

#include "bot/web/post_links.hpp"

#include <charconv>
#include <cmath>

namespace cxos::bot {

nlohmann::json money_json(double amount, const app_config& config) {
    return {{"amount", std::round(amount * 100) / 100}, {"text", format_money(amount, config.economics.currency)}};
}

std::string iso_time(millis at) { return at > 0 ? format_utc(at, "%Y-%m-%dT%H:%M:%SZ") : std::string(); }

namespace {

double rounded(double v, double to = 100) { return std::round(v * to) / to; }

nlohmann::json savings_json(double contacts_month, double savings_month, double contacts_ytd, double savings_ytd,
                            const app_config& config) {
    return {{"contacts_month", rounded(contacts_month, 10)},
            {"contacts_ytd", rounded(contacts_ytd, 10)},
            {"month", money_json(savings_month, config)},
            {"ytd", money_json(savings_ytd, config)},
            {"text", describe_savings(contacts_month, savings_month, contacts_ytd, savings_ytd, config.economics)}};
}

nlohmann::json group_json(const savings_group& g, const app_config& config) {
    auto j = savings_json(g.contacts_month, g.savings_month, g.contacts_ytd, g.savings_ytd, config);
    j["name"] = g.name;
    j["fixes"] = g.fixes;
    j["held"] = g.held;
    return j;
}

nlohmann::json share_json(const std::optional<double>& v) { return v ? nlohmann::json(rounded(*v, 1000)) : nlohmann::json(nullptr); }

} // namespace

nlohmann::json fix_json(const fix_check& c, const app_config& config) {
    return {{"verdict", to_string(c.verdict)},
            {"label", to_label(c.verdict)},
            {"fixed_at", iso_time(c.fixed_at)},
            {"watch_until", iso_time(c.watch_until)},
            {"span_days", rounded(static_cast<double>(c.span) / kpi_day_ms, 10)},
            {"reports_before", c.reports_before},
            {"reports_after", c.reports_after},
            {"rate_before_per_week", rounded(c.rate_before)},
            {"rate_after_per_week", rounded(c.rate_after)},
            {"savings", savings_json(c.contacts_month, c.savings_month, c.contacts_ytd, c.savings_ytd, config)},
            {"contacts_since", rounded(c.contacts_since, 10)},
            {"savings_since", money_json(c.savings_since, config)},
            {"text", describe_fix(c, config.economics)}};
}

nlohmann::json fixes_json(const fix_summary& s, const app_config& config) {
    nlohmann::json owners = nlohmann::json::array(), components = nlohmann::json::array();
    for (const auto& g : s.by_owner) owners.push_back(group_json(g, config));
    for (const auto& g : s.by_component) components.push_back(group_json(g, config));
    return {{"fixed", s.fixed},
            {"under_watch", s.under_watch},
            {"held", s.held},
            {"not_held", s.not_held},
            {"regressed", s.regressed},
            {"held_share", s.decided() == 0 ? nlohmann::json(nullptr) : nlohmann::json(rounded(1.0 * s.held / s.decided(), 1000))},
            {"text", describe_fixes(s)},
            {"savings", savings_json(s.contacts_month, s.savings_month, s.contacts_ytd, s.savings_ytd, config)},
            {"by_owner", owners},
            {"by_component", components}};
}

nlohmann::json health_json(const std::vector<component_health>& health) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : health)
        out.push_back({{"component", to_slug(h.comp)},
                       {"title", to_title(h.comp)},
                       {"score", rounded(h.score, 1000)},
                       {"weakest", h.weakest},
                       {"signals_30d", h.signals_30d},
                       {"flowing", h.signals_30d > 0},
                       {"rule_share", share_json(h.rule_share)},
                       {"routing_accuracy", share_json(h.accuracy)},
                       {"median_ack_ms", h.median_ack ? nlohmann::json(*h.median_ack) : nlohmann::json(nullptr)},
                       {"closed_loop_rate", share_json(h.loop_rate)},
                       {"fixes", h.fixes},
                       {"fixes_held", h.held},
                       {"held_share", share_json(h.held_share)}});
    return out;
}

nlohmann::json item_page_json(const item_page& page, const app_config& config) {
    const item& it = page.it;
    const auto& o = page.outcome;
    nlohmann::json thread = nlohmann::json::array();
    for (const auto& e : o.thread)
        thread.push_back({{"at", iso_time(e.at)},
                          {"kind", e.kind},
                          {"actor", e.actor},
                          {"text", e.text},
                          {"count", e.count},
                          {"until", iso_time(e.until)}});
    nlohmann::json posts = nlohmann::json::array();
    for (const auto& p : page.posts)
        if (auto url = post_link(p); !url.empty()) posts.push_back({{"platform", p.platform}, {"channel", p.channel}, {"url", url}});
    return {{"id", it.id},
            {"title", it.title},
            {"owner", it.owner},
            {"status", to_string(it.status)},
            {"status_label", to_label(it.status)},
            {"stage", it.stage},
            {"component", it.comp ? std::string(to_slug(*it.comp)) : std::string()},
            {"severity", to_string(it.sev)},
            {"rule", it.rule},
            {"reason", it.reason},
            {"note", it.note},
            {"decision", it.decision},
            {"decided_by", it.decided_by},
            {"due", it.due_at > 0 ? format_utc(it.due_at, "%Y-%m-%d") : std::string()},
            {"reports", it.counts.reports},
            {"first_seen", iso_time(it.counts.first_seen)},
            {"last_seen", iso_time(it.counts.last_seen)},
            {"fixed_at", iso_time(it.fixed_at)},
            {"regressed_at", iso_time(it.regressed_at)},
            {"economics", config.economics.enabled()},
            {"contacts_so_far", o.contacts_so_far},
            {"cost_so_far", money_json(o.cost_so_far, config)},
            {"cost_text", describe_cost(o, config.economics)},
            {"fix", o.fix ? fix_json(*o.fix, config) : nlohmann::json(nullptr)},
            {"posts", posts},
            {"thread", thread}};
}

std::optional<std::int64_t> item_id_in_path(std::string_view path, std::string_view prefix) {
    if (!path.starts_with(prefix)) return std::nullopt;
    // Digits only: a path is no place for the chat grammar's "#12" or spaces.
    const auto rest = path.substr(prefix.size());
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
    if (rest.empty() || rest.front() == '-' || rest.front() == '+' || ec != std::errc() || end != rest.data() + rest.size() || id <= 0)
        return std::nullopt;
    return id;
}

} // namespace cxos::bot
