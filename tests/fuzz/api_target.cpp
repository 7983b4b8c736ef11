// The dashboard API's request target, as GET /api/v1/... and /dashboard/items/<id> read it from
// the wire: the query either parses into filters cxos knows or names what is wrong, and an item
// path is a positive id or nothing.
#include "bot/web/kpi_api.hpp"
#include "bot/web/outcome_api.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    static const bot::app_config config = [] {
        bot::app_config c;
        c.journey = fuzz::journey();
        return c;
    }();
    const auto target = fuzz::as_text(data, size);
    const auto parsed = bot::parse_api_query(target, config);
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        fuzz::require_dumps(nlohmann::json{{"error", *problem}}, "an API error");
    } else {
        const auto& q = std::get<bot::api_query>(parsed);
        fuzz::require(q.limit >= 1 && q.limit <= 1000, "the limit is within 1-1000");
        fuzz::require(q.filter.owner.empty() || config.journey.owners.contains(q.filter.owner), "a known owner");
        fuzz::require(q.filter.stage.empty() || config.journey.has_stage(q.filter.stage), "a known stage");
        fuzz::require(q.filter.to == 0 || q.filter.from <= q.filter.to, "from is not after to");
    }
    for (const auto prefix : {std::string_view("/api/v1/items/"), std::string_view("/dashboard/items/")})
        if (auto id = bot::item_id_in_path(target, prefix)) fuzz::require(*id > 0, "an item id is positive");
    return 0;
}
