#pragma once
// `cxos backup PATH [--config FILE]`: copies the configured SQLite database while cxos serves it.
#include <string>
#include <vector>

namespace cxos::bot {

// `args` follow `cxos backup`. Prints what it wrote; returns the exit status.
int backup_command(const std::vector<std::string>& args);

} // namespace cxos::bot
