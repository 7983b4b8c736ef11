#pragma once
// The journey bench/common.sh configures: five stages, billing and triage owners, one rule that
// sends invoices to billing. Shared by the benches that run cxos's code in-process.
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

} // namespace cxos::bench
