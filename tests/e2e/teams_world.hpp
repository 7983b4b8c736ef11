#pragma once
// The Teams end-to-end world: cxos started against a fake Slack and a fake Bot Framework, with
// owners and a council in both.
#include "adapters/teams/ids.hpp"
#include "tests/support/cxos_process.hpp"
#include "tests/support/fake_bot_framework.hpp"
#include "tests/support/fake_slack.hpp"
#include "tests/support/teams_client.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace cxos::test {

inline const std::string docs_channel = "19:docs-owners@thread.tacv2";
inline const std::string council_channel = "19:council@thread.tacv2";

inline std::string teams_routing(const fake_bot_framework& bf) {
    return R"(journey:
  stages: [discover, onboard, adopt, support, renew]
owners:
  billing: { slack: C0BILLING }
  docs:    { teams: ")" + docs_channel + R"(" }
  triage:  { slack: C0TRIAGE }
routing:
  fallback: triage
  rules:
    - name: invoices
      when: { keywords: [invoice, refund] }
      route_to: billing
    - name: docs
      when: { keywords: [docs, article] }
      route_to: docs
council:
  slack_channel: C0COUNCIL
  teams_channel: ")" + council_channel + R"("
teams:
  openid_metadata_url: )" + bf.openid_metadata_url() + R"(
  token_url: ")" + bf.token_url_template() + R"("
  service_url_allowlist: [)" + bf.service_url() + R"(]
)";
}

// What gives cxos the fake's app registration: its id, password and tenant.
inline std::map<std::string, std::string> registration_env(const fake_bot_framework& bf) {
    return {{"MICROSOFT_APP_ID", bf.registration().app_id},
            {"MICROSOFT_APP_PASSWORD", bf.registration().app_password},
            {"MICROSOFT_APP_TENANT_ID", bf.registration().tenant}};
}

// Someone writing to that app from the fake's default region.
inline teams_context context_for(const fake_bot_framework& bf) {
    teams_context ctx;
    ctx.service_url = bf.service_url();
    ctx.app_id = bf.registration().app_id;
    return ctx;
}

// What a reply of cxos says: its text, else the whole activity (a card).
inline std::string text_of(const sent_activity& a) {
    if (a.body.contains("text")) return a.body["text"].get<std::string>();
    return a.body.dump();
}

// The text of cxos's first reply in the thread of `root`, once there is one (empty if none came).
inline std::string first_reply(const fake_bot_framework& bf, const std::string& root) {
    const bool replied = bf.wait_for([&](const bot_framework_state& st) {
        const auto* t = st.thread(root);
        return t && !t->replies.empty();
    });
    return replied ? text_of(bf.state().thread(root)->replies[0]) : std::string();
}

// The key cxos remembers a command activity under while it runs (teams_bot_endpoint's claim_run).
inline std::string command_run_key(const nlohmann::json& activity) {
    return cxos::teams::redelivery_key(activity["conversation"]["id"].get<std::string>(),
                                       activity["id"].get<std::string>()) +
           "/run";
}

struct teams_world {
    fake_slack slack;
    fake_bot_framework bf;
    cxos_process cxos{slack.api_url(), teams_routing(bf)};
    teams_context ctx = context_for(bf);

    teams_world() { restart(); }
    // Starts cxos (again, after a stop or kill) with the fake's app registration.
    void restart() { cxos.start(registration_env(bf)); }
    http_answer send(const nlohmann::json& activity) { return send_activity(cxos.port(), activity, bf.inbound_token()); }
};

} // namespace cxos::test
