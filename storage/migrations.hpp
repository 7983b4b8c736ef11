#pragma once
// SQLite's schema steps, applied in order; PRAGMA user_version records how many have run.
// Never edit a released step: append a new one, and the same version to pg_migrations.hpp.
#include <vector>

namespace cxos::storage {

inline const std::vector<const char*>& sqlite_migrations() {
    static const std::vector<const char*> steps = {
        R"sql(
CREATE TABLE signals (
  id          INTEGER PRIMARY KEY,
  platform    TEXT NOT NULL,
  team_id     TEXT NOT NULL,
  channel_id  TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  description TEXT NOT NULL,
  stage       TEXT NOT NULL,
  component   TEXT,
  severity    TEXT NOT NULL,
  owner       TEXT NOT NULL,
  rule        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  signal_id       INTEGER NOT NULL REFERENCES signals(id),
  kind            TEXT NOT NULL,
  platform        TEXT NOT NULL,
  channel         TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  platform_ref    TEXT NOT NULL,
  last_error      TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_by_signal ON deliveries (signal_id);
CREATE INDEX deliveries_open ON deliveries (platform, channel, id)
  WHERE state IN ('pending','sending');
)sql",
        // 2: friction items, reporters, audit, event dedupe, inbox; outbox rows about items.
        R"sql(
CREATE TABLE items (
  id                 INTEGER PRIMARY KEY,
  key                TEXT NOT NULL,
  title              TEXT NOT NULL,
  owner              TEXT NOT NULL,
  rule               TEXT NOT NULL,
  reason             TEXT NOT NULL,
  status             TEXT NOT NULL,
  duplicate_of       INTEGER NOT NULL DEFAULT 0,
  stage              TEXT NOT NULL,
  component          TEXT,
  severity           TEXT NOT NULL,
  note               TEXT NOT NULL DEFAULT '',
  link               TEXT NOT NULL DEFAULT '',
  rerouted           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  routed_at          INTEGER NOT NULL DEFAULT 0,
  acknowledged_at    INTEGER NOT NULL DEFAULT 0,
  closed_at          INTEGER NOT NULL DEFAULT 0,
  updated_at         INTEGER NOT NULL,
  last_actor         TEXT NOT NULL DEFAULT '',
  routed_delivery_id INTEGER NOT NULL DEFAULT 0,
  -- Failure demand, kept current as reports arrive so no read recounts a busy item.
  reports            INTEGER NOT NULL DEFAULT 0,
  reporters          INTEGER NOT NULL DEFAULT 0,
  customers          INTEGER NOT NULL DEFAULT 0,
  first_seen         INTEGER NOT NULL DEFAULT 0,
  last_seen          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_open_by_key ON items (key) WHERE status IN ('new','routed','acknowledged');
ALTER TABLE signals ADD COLUMN item_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signals ADD COLUMN customer TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN message_ts TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN thread_ts TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN permalink TEXT NOT NULL DEFAULT '';
CREATE INDEX signals_by_item ON signals (item_id, platform, user_id);
CREATE INDEX signals_by_item_customer ON signals (item_id, lower(customer)) WHERE customer <> '';
CREATE INDEX signals_by_message ON signals (channel_id, message_ts) WHERE message_ts <> '';
-- Outbox rows may now be about an item rather than one signal: rebuilt without that foreign key.
CREATE TABLE deliveries_v2 (
  id              INTEGER PRIMARY KEY,
  signal_id       INTEGER NOT NULL DEFAULT 0,
  kind            TEXT NOT NULL,
  platform        TEXT NOT NULL,
  channel         TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  platform_ref    TEXT NOT NULL,
  last_error      TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  item_id         INTEGER NOT NULL DEFAULT 0,
  parent_id       INTEGER NOT NULL DEFAULT 0,
  thread_ts       TEXT NOT NULL DEFAULT '',
  user_id         TEXT NOT NULL DEFAULT '',
  payload         TEXT NOT NULL DEFAULT ''
);
INSERT INTO deliveries_v2 (id, signal_id, kind, platform, channel, state, attempts, next_attempt_at,
                           platform_ref, last_error, updated_at)
  SELECT id, signal_id, kind, platform, channel, state, attempts, next_attempt_at, platform_ref,
         last_error, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v2 RENAME TO deliveries;
CREATE INDEX deliveries_by_signal ON deliveries (signal_id);
CREATE INDEX deliveries_open ON deliveries (platform, channel, id) WHERE state IN ('pending','sending');
CREATE INDEX deliveries_by_parent ON deliveries (parent_id) WHERE parent_id <> 0;
-- Every signal logged before items existed becomes an item of its own, already routed.
INSERT INTO items (id, key, title, owner, rule, reason, status, stage, component, severity,
                   created_at, routed_at, updated_at, reports, reporters, first_seen, last_seen)
  SELECT id, lower(description), description, owner, rule, reason, 'routed', stage, component,
         severity, created_at, created_at, created_at, 1, 1, created_at, created_at FROM signals;
UPDATE signals SET item_id = id;
UPDATE deliveries SET item_id = signal_id, kind = 'routed_item' WHERE kind = 'routed_signal';
UPDATE items SET routed_delivery_id = coalesce((SELECT min(d.id) FROM deliveries d WHERE d.item_id = items.id), 0);
CREATE TABLE reporters (
  signal_id INTEGER NOT NULL REFERENCES signals(id),
  platform  TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (signal_id, platform, user_id)
);
CREATE INDEX reporters_by_user ON reporters (platform, user_id);
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  detail  TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX audit_by_item ON audit (item_id);
CREATE TABLE seen_events (
  event_key TEXT PRIMARY KEY,
  at        INTEGER NOT NULL
);
CREATE TABLE inbox (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_due ON inbox (next_attempt_at) WHERE state = 'pending';
)sql",
        // 3: the Experience Council (runs, agenda entries, votes, decisions) and closed loops.
        R"sql(
ALTER TABLE items ADD COLUMN decision   TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN decided_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN due_at     INTEGER NOT NULL DEFAULT 0;
CREATE TABLE council_runs (
  id                 INTEGER PRIMARY KEY,
  week               TEXT NOT NULL,
  week_number        INTEGER NOT NULL,
  trigger            TEXT NOT NULL,
  actor              TEXT NOT NULL,
  scheduled_at       INTEGER NOT NULL,
  posted_at          INTEGER NOT NULL,
  parent_delivery_id INTEGER NOT NULL DEFAULT 0
);
-- The schedule posts a week once, whatever restarts happen; a manual run is always allowed.
CREATE UNIQUE INDEX council_runs_scheduled_week ON council_runs (week) WHERE trigger = 'scheduled';
CREATE TABLE council_entries (
  run_id      INTEGER NOT NULL,
  item_id     INTEGER NOT NULL,
  rank        INTEGER NOT NULL,
  delivery_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_id)
);
CREATE INDEX council_entries_by_item ON council_entries (item_id);
CREATE INDEX council_entries_by_delivery ON council_entries (delivery_id);
CREATE TABLE votes (
  item_id  INTEGER NOT NULL,
  platform TEXT NOT NULL,
  member   TEXT NOT NULL,
  value    INTEGER NOT NULL,
  via      TEXT NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (item_id, platform, member)
);
CREATE TABLE loop_notices (
  item_id     INTEGER NOT NULL,
  platform    TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  signal_id   INTEGER NOT NULL,
  delivery_id INTEGER NOT NULL,
  queued_at   INTEGER NOT NULL,
  PRIMARY KEY (item_id, platform, user_id)
);
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE INDEX deliveries_sent_ref ON deliveries (platform, channel, platform_ref) WHERE platform_ref <> '';
CREATE INDEX signals_by_time ON signals (created_at);
DROP INDEX items_open_by_key;
CREATE INDEX items_open_by_key ON items (key) WHERE status IN ('new','routed','acknowledged','in_progress');
)sql",
        // 4: signals from ticketing and community tools: idempotent by (source, external id), and
        // the number of customer contacts one signal stands for (cost to serve).
        R"sql(
ALTER TABLE signals ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE signals ADD COLUMN contacts INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX signals_by_external_id ON signals (platform, external_id) WHERE external_id <> '';
)sql",
        // 5: where each Teams conversation lives (serviceUrl, tenant, team): the only way to post
        // proactively, learnt from validated activities (conversationUpdate and every message).
        R"sql(
CREATE TABLE teams_conversations (
  conversation TEXT PRIMARY KEY,
  service_url  TEXT NOT NULL,
  tenant_id    TEXT NOT NULL,
  team_id      TEXT NOT NULL,
  team_name    TEXT NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX teams_conversations_recent ON teams_conversations (updated_at);
-- The council digest's copy in Teams: the item's reply there, refreshed with the Slack one.
ALTER TABLE council_entries ADD COLUMN teams_delivery_id INTEGER NOT NULL DEFAULT 0;
-- An owner with Slack and Teams sees the item's card in both: the second one is the mirror.
ALTER TABLE items ADD COLUMN mirror_delivery_id INTEGER NOT NULL DEFAULT 0;
)sql",
        // 6: operations. When an outbox row was queued (the age of the oldest undelivered row is a
        // metric), a signal's error rate, and which items have an alerted spike (once per spike:
        // re-armed when it ends).
        R"sql(
ALTER TABLE deliveries ADD COLUMN queued_at INTEGER NOT NULL DEFAULT 0;
-- An operational figure another tool may send with a signal (NULL when it sent none).
ALTER TABLE signals ADD COLUMN error_rate REAL;
UPDATE deliveries SET queued_at = updated_at;
CREATE TABLE spike_alerts (
  item_id     INTEGER PRIMARY KEY,
  active      INTEGER NOT NULL,
  alerted_at  INTEGER NOT NULL,
  ended_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX spike_alerts_active ON spike_alerts (item_id) WHERE active = 1;
)sql",
        // 7: several instances on one database: a lease on the outbox row an instance is sending,
        // and each channel's pace shared by all of them (storage/store.hpp).
        R"sql(
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE TABLE channel_pace (
  platform        TEXT NOT NULL,
  channel         TEXT NOT NULL,
  next_allowed_at INTEGER NOT NULL,
  PRIMARY KEY (platform, channel)
);
)sql",
        // 8: installing into many Slack workspaces: each outbox row names the workspace whose token
        // sends it, each installation keeps its (sealed) tokens, and each started "Add to Slack"
        // flow its state until used.
        R"sql(
ALTER TABLE deliveries ADD COLUMN workspace TEXT NOT NULL DEFAULT '';
CREATE TABLE slack_installations (
  workspace     TEXT PRIMARY KEY,
  team_id       TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  team_name     TEXT NOT NULL,
  bot_user_id   TEXT NOT NULL,
  bot_token     TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  expires_at    INTEGER NOT NULL,
  scopes        TEXT NOT NULL,
  installed_by  TEXT NOT NULL,
  installed_at  INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE TABLE oauth_states (
  state_hash   TEXT PRIMARY KEY,
  browser_hash TEXT NOT NULL,
  purpose      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER NOT NULL DEFAULT 0
);
)sql",
        // 9: the golden thread. When an item was last fixed and last reopened (closed_at goes back
        // to 0 on a reopening, these stay), the regressed status among the open ones, and the
        // lookup of a recently fixed item by key that turns a new report into a regression.
        R"sql(
ALTER TABLE items ADD COLUMN fixed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN regressed_at INTEGER NOT NULL DEFAULT 0;
UPDATE items SET fixed_at = closed_at WHERE status = 'fixed';
DROP INDEX items_open_by_key;
CREATE INDEX items_open_by_key ON items (key) WHERE status IN ('new','routed','acknowledged','in_progress','regressed');
CREATE INDEX items_fixed_by_key ON items (key, fixed_at) WHERE status = 'fixed';
CREATE INDEX signals_by_item_time ON signals (item_id, created_at);
)sql",
        // 10: grouping's decisions and the corrections people make (labelled pairs), and reroutes
        // found by action for routing suggestions.
        R"sql(
CREATE TABLE grouping_events (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL,
  signal_id INTEGER NOT NULL,
  item_id   INTEGER NOT NULL,
  score     REAL NOT NULL DEFAULT 0,
  same      INTEGER,
  actor     TEXT NOT NULL DEFAULT '',
  at        INTEGER NOT NULL
);
CREATE INDEX grouping_events_by_time ON grouping_events (at);
CREATE INDEX grouping_events_by_signal ON grouping_events (signal_id);
CREATE INDEX audit_by_action ON audit (action);
)sql",
        // 11: people signed in to the dashboard (Sign in with Slack or Microsoft), by the hash of
        // their cookie's session id; by user for an operator's revoke.
        R"sql(
CREATE TABLE dashboard_sessions (
  id_hash      TEXT PRIMARY KEY,
  platform     TEXT NOT NULL,
  team_id      TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  user_name    TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions (user_id);
)sql",
        // 12: an item's pending refresh found without reading its delivered ones: on a hot item
        // deliveries_by_parent holds every update ever sent of its post (one a second, 86k a day).
        R"sql(
CREATE INDEX deliveries_pending_update ON deliveries (parent_id) WHERE kind = 'item_update' AND state = 'pending';
)sql",
        // 13: a Slack click's answer goes to the click's response_url, which reaches the person
        // where chat.postEphemeral cannot (a DM, a private channel cxos is not in).
        R"sql(
ALTER TABLE deliveries ADD COLUMN reply_url TEXT NOT NULL DEFAULT '';
)sql",
    };
    return steps;
}

} // namespace cxos::storage
