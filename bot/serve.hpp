#pragma once
#include <string>

namespace cxos::bot {

// Runs the server until SIGINT/SIGTERM; returns the process exit code.
int serve(const std::string& config_path);

} // namespace cxos::bot
