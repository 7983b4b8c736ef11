#include "bot/services/routing_advice.hpp"

#include "commands/json_text.hpp"
#include "commands/message_json.hpp"
#include "commands/routing_suggestions.hpp"

namespace cxos::bot {

void suggest_routing_rules_to_lead(storage::store& st, const app_config& config, millis now, queued_channels& queued) {
    const auto& channel = config.routing_suggestions_channel;
    if (channel.empty()) return;
    for (const auto& s : suggest_routing_rules(st.reroutes(), config.journey, config.grouping.language,
                                                      config.routing_suggest_after_reroutes)) {
        // Remembered in the same commit as the row: a suggestion is queued once or not at all.
        const std::string key = "routing.suggested:" + s.key();
        if (st.setting(key)) continue;
        delivery d;
        d.kind = delivery_kind::notice;
        d.platform = channel.starts_with("19:") ? "teams" : "slack";
        d.channel = channel;
        d.payload = json_text(nlohmann::json(render_rule_suggestion(s)));
        d.next_attempt_at = d.updated_at = now;
        queue_delivery(st, d, queued);
        st.set_setting(key, std::to_string(now));
    }
}

} // namespace cxos::bot
