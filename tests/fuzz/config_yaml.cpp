// cxos.yaml as `cxos serve --config` reads it: whatever loads without errors renders.
#include "bot/core/config.hpp"
#include "commands/item_views.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    const auto loaded = bot::load_config_text(std::string(fuzz::as_text(data, size)));
    for (const auto& e : loaded.errors) fuzz::require_utf8({e.message}, "a config error is UTF-8");
    if (!loaded.ok()) return 0;
    const auto& cfg = loaded.config;
    fuzz::require_renders(render_help(cfg.journey, cfg.slack_command));
    // Every owner's card, as routing would post it.
    for (const auto& [name, o] : cfg.journey.owners) {
        fuzz::require_utf8({name, o.slack_channel, o.teams_channel}, "an owner is UTF-8");
        log_command cmd;
        cmd.description = "the invoice page is blank";
        auto s = plan_signal(cfg.journey, cmd, {"slack", "T0TEAM", "C0SUPPORT", "U0AGENT", "ana", "", "", ""}, 0);
        auto it = new_item_for(s);
        it.owner = name;
        fuzz::require_renders(render_item_card(it, cfg.journey));
    }
    for (const auto& stage : cfg.journey.stages) fuzz::require_utf8({stage}, "a stage is UTF-8");
    for (const auto& rule : cfg.journey.rules) fuzz::require_utf8({rule.name, rule.route_to}, "a rule is UTF-8");
    fuzz::require_utf8({cfg.slack_command, cfg.capture_reaction, cfg.council.slack_channel, cfg.council.teams_channel,
                        cfg.public_url},
                       "config text is UTF-8");
    return 0;
}
