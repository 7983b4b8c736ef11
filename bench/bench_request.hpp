#pragma once
// What bench/common.sh's request meets, for the benches that run cxos's code in-process: the
// journey it configures (five stages, billing and triage owners, one rule that sends invoices to
// billing) and the person its signed /friction comes from.
#include "commands/domain.hpp"
#include "commands/journey.hpp"

namespace cxos::bench {

inline journey_config bench_journey() {
    journey_config j;
    j.stages = {"discover", "onboard", "adopt", "support", "renew"};
    j.owners["billing"] = owner{"billing", "C0BILLING", "", ""};
    j.owners["triage"] = owner{"triage", "C0TRIAGE", "", ""};
    j.fallback = "triage";
    routing_rule invoices;
    invoices.name = "invoices";
    invoices.keywords = {"invoice", "refund", "charge"};
    invoices.route_to = "billing";
    j.rules = {invoices};
    return j;
}

inline source_ref bench_reporter() {
    source_ref from;
    from.platform = "slack";
    from.team_id = "T0BENCH";
    from.channel_id = "C0BENCH";
    from.user_id = "U0BENCH";
    from.user_name = "bench";
    return from;
}

} // namespace cxos::bench
