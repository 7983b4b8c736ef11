#pragma once
// `cxos export FILE` and `cxos import FILE`: move a deployment between SQLite and PostgreSQL.
#include <string>
#include <vector>

namespace cxos::bot {

// `args` follow `cxos export` / `cxos import`. Prints each table's rows; returns the exit status.
int export_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);

} // namespace cxos::bot
