#pragma once
#include "commands/domain.hpp"

#include <optional>
#include <string>

namespace cxos::bot {

// Runs the server until SIGINT/SIGTERM; returns the process exit code. `test_clock_start` (only
// from the --test-clock flag) starts a movable clock there and opens POST /_test/clock.
// `test_hooks` (only from the --test-hooks flag, implied by --test-clock) opens POST /_test/settle.
int serve(const std::string& config_path, std::optional<millis> test_clock_start = std::nullopt,
          bool test_hooks = false);

} // namespace cxos::bot
