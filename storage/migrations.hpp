#pragma once
// Schema steps, applied in order; PRAGMA user_version records how many have run.
// Never edit a released step: append a new one.
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
    };
    return steps;
}

} // namespace cxos::storage
