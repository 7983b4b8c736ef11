#pragma once
// `cxos sessions revoke <user id>`: an operator ends every dashboard session of one person (who
// left, or whose laptop went missing) at once, on every instance, without touching anyone
// else's. Safe beside a running server: sessions are read from the store on each request.
#include <string>
#include <string_view>
#include <vector>

namespace cxos::bot {

// `args` follow `cxos sessions`. Returns the exit status.
int sessions_command(const std::vector<std::string>& args, std::string_view storage_url);

} // namespace cxos::bot
