#include "commands/domain.hpp"
#include "commands/text_case.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace cxos {
namespace {

struct component_names {
    component value;
    std::string_view slug;
    std::string_view title;
    std::array<std::string_view, 3> aliases;
};

constexpr std::array<component_names, 6> component_table{{
    {component::onboarding, "onboarding", "Onboarding & activation", {"activation", "onboard", ""}},
    {component::community, "community", "Community & peer support", {"peer-support", "peers", ""}},
    {component::education, "education", "Education & enablement", {"enablement", "training", ""}},
    {component::knowledge, "knowledge", "Knowledge & self-service", {"self-service", "docs", "kb"}},
    {component::marketing, "marketing", "Customer marketing & lifecycle", {"lifecycle", "", ""}},
    {component::intelligence, "intelligence", "Intelligence & orchestration",
     {"orchestration", "", ""}},
}};

} // namespace

std::string format_utc(millis at, const char* format) {
    std::time_t secs = static_cast<std::time_t>(at / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

std::string_view to_string(severity s) {
    switch (s) {
    case severity::low: return "low";
    case severity::medium: return "medium";
    case severity::high: return "high";
    }
    return "medium";
}

std::optional<severity> parse_severity(std::string_view word) {
    auto w = lower(word);
    if (w == "low") return severity::low;
    if (w == "medium" || w == "med") return severity::medium;
    if (w == "high") return severity::high;
    return std::nullopt;
}

source_kind source_kind_of(std::string_view platform) {
    return platform == "slack" || platform == "teams" ? source_kind::chat : source_kind::tool;
}

std::string_view to_slug(component c) {
    for (const auto& n : component_table)
        if (n.value == c) return n.slug;
    return "onboarding";
}

std::string_view to_title(component c) {
    for (const auto& n : component_table)
        if (n.value == c) return n.title;
    return "";
}

std::optional<component> parse_component(std::string_view word) {
    auto w = lower(word);
    for (const auto& n : component_table) {
        if (w == n.slug) return n.value;
        for (auto alias : n.aliases)
            if (!alias.empty() && w == alias) return n.value;
    }
    return std::nullopt;
}

const std::vector<component>& all_components() {
    static const std::vector<component> all = [] {
        std::vector<component> v;
        for (const auto& n : component_table) v.push_back(n.value);
        return v;
    }();
    return all;
}

std::string_view to_string(delivery_state s) {
    switch (s) {
    case delivery_state::pending: return "pending";
    case delivery_state::sending: return "sending";
    case delivery_state::sent: return "sent";
    case delivery_state::dead: return "dead";
    }
    return "pending";
}

std::optional<delivery_state> parse_delivery_state(std::string_view s) {
    if (s == "pending") return delivery_state::pending;
    if (s == "sending") return delivery_state::sending;
    if (s == "sent") return delivery_state::sent;
    if (s == "dead") return delivery_state::dead;
    return std::nullopt;
}

} // namespace cxos
