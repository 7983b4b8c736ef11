#pragma once
// The routing part of the config every end-to-end test starts cxos with.
namespace cxos::test {

inline constexpr const char* e2e_routing = R"(journey:
  stages: [discover, onboard, adopt, support, renew]
owners:
  billing: { slack: C0BILLING }
  docs:    { slack: C0DOCS }
  gone:    { slack: C0GONE }
  triage:  { slack: C0TRIAGE }
routing:
  fallback: triage
  rules:
    - name: invoices
      when: { keywords: [invoice, refund, charge] }
      route_to: billing
    - name: docs
      when: { keywords: [docs, article] }
      route_to: docs
    - name: archived
      when: { keywords: [archived] }
      route_to: gone
)";

} // namespace cxos::test
