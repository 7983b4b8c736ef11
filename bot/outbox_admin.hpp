#pragma once
// `cxos outbox …`: what an operator does with dead letters once their cause is fixed (the bot
// invited to a channel, a channel restored). Works beside a running server: it only edits rows,
// and the server's outbox picks requeued ones up by itself.
#include "commands/domain.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos::bot {

// "2026-11-27", "2026-11-27T09:30" or "2026-11-27T09:30:00" (UTC), or an age: "90m", "24h", "7d".
std::optional<millis> parse_since(std::string_view text, millis now);

// `args` follow `cxos outbox`: `dead [--channel C] [--since T]` lists dead letters;
// `retry --dead [--channel C] [--since T]` requeues them (each audited). Returns the exit status.
int outbox_command(const std::vector<std::string>& args, std::string_view storage_url);

} // namespace cxos::bot
