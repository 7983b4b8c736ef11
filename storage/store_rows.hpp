#pragma once
// The rows the store reads and writes that are not domain values (commands/): the outbox's pace
// and outlook, inbox rows, council runs, Teams routes, Slack installations, sign-in state and
// dashboard sessions, and the answers of a few store queries. storage/store.hpp declares the
// store over them.
#include "commands/domain.hpp"
#include "commands/items.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cxos::storage {

// Shared pacing of one channel: `burst` posts at once, then one every `interval` (a generic cell
// rate algorithm, which needs one stored time per channel instead of a token count and a clock).
struct pace_rule {
    millis interval = 1000; // Slack: about one post a second per channel
    int burst = 5;
};

// What look_ahead answers.
struct outbox_outlook {
    std::optional<millis> next_claim_at; // nothing: no open head
    bool due_waiting = false;
};

// An inbound event acknowledged to the platform and processed later from the store.
struct inbox_row {
    std::int64_t id = 0;
    std::string platform;
    std::string kind; // "slack.reaction"
    std::string payload;
    std::string state = "pending"; // pending | done | dead
    int attempts = 0;
    millis next_attempt_at = 0;
    std::string last_error;
};

// One posting of the council agenda: scheduled (at most once per week) or run by a member.
struct council_run {
    std::int64_t id = 0;
    std::string week; // "2026-W48"
    int week_number = 0;
    std::string trigger; // "scheduled" | "manual"
    std::string actor;   // who ran it; empty for the schedule
    millis scheduled_at = 0;
    millis posted_at = 0;
    std::int64_t parent_delivery_id = 0;
};

// One item's reply in a council thread.
struct council_entry_ref {
    std::int64_t run_id = 0;
    std::int64_t item_id = 0;
    int rank = 0;
    std::int64_t delivery_id = 0;
    int week_number = 0;
};

// Where a Teams channel or chat lives, as a validated activity said: what a proactive post needs.
struct teams_route {
    std::string conversation; // the channel id "19:…@thread.tacv2", or a chat's conversation id
    std::string service_url;
    std::string tenant_id;
    std::string team_id;
    std::string team_name;
    millis updated_at = 0;
};

// A Slack workspace cxos was installed into ("Add to Slack", OAuth v2). The tokens are stored as
// the caller sealed them (AES-256-GCM under CXOS_ENCRYPTION_KEY): the store never holds one in
// clear, so a copied database or backup gives no access to any workspace.
struct slack_installation {
    std::string workspace; // the key: the team id, or the enterprise id of an org-wide install
    std::string team_id;
    std::string enterprise_id;
    std::string team_name;
    std::string bot_user_id;
    std::string bot_token;     // sealed
    std::string refresh_token; // sealed; empty unless the app rotates its tokens
    millis expires_at = 0;     // when the bot token expires; 0: it does not
    std::string scopes;
    std::string installed_by; // the Slack user who installed it
    millis installed_at = 0;
    millis updated_at = 0;
};

// One started OAuth flow: the `state` of a link cxos handed a browser, and the cookie it handed
// the same browser, both stored only as hashes. Used once, within its time.
struct oauth_state {
    std::string state_hash;
    std::string browser_hash;
    std::string purpose; // "slack_install"
    millis created_at = 0;
    millis expires_at = 0;
    millis used_at = 0; // 0 until the redirect came back with it
};

// A person signed in to the dashboard (storage/*_sessions.cpp). The cookie carries a random id;
// the store keeps only its hash, so a copied database opens no session.
struct dashboard_session {
    std::string id_hash;
    std::string platform; // "slack" or "teams": where the person signed in
    std::string team_id;  // their workspace or tenant
    std::string user_id;
    std::string user_name;
    millis created_at = 0;
    millis last_seen_at = 0;
    millis expires_at = 0; // the absolute end, whatever the use
};

// The outbox at a glance, for metrics.
struct outbox_summary {
    std::int64_t depth = 0;          // pending or sending
    millis oldest_queued_at = 0;     // of those; 0 when there are none
    std::int64_t dead = 0;
};

// A stored signal and, when it names an item, that item's reports, reporters, customers,
// first_seen and last_seen after it was counted (the first report's fields stay empty).
struct counted_signal {
    std::int64_t id = 0;
    item_counts counts;
};

// One open item's reports around now, for spike detection.
struct item_activity {
    std::int64_t item_id = 0;
    int recent_reports = 0;   // at or after `recent_since`
    int baseline_reports = 0; // from `baseline_since` up to `recent_since`
    millis first_seen = 0;
};

} // namespace cxos::storage
