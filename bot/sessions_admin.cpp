#include "bot/sessions_admin.hpp"

#include "storage/store.hpp"

#include <iostream>

namespace cxos::bot {

int sessions_command(const std::vector<std::string>& args, std::string_view storage_url) {
    if (args.size() != 2 || args[0] != "revoke" || args[1].empty() || args[1][0] == '-') {
        std::cerr << "usage: cxos sessions revoke <user id> [--config FILE]   (the Slack user id U…, or the Entra "
                     "object id a Microsoft sign-in logged)\n";
        return 2;
    }
    try {
        storage::store_options options;
        options.serve_lock = false; // beside a running server: SQLite serialises the writes
        auto st = storage::open_store(std::string(storage_url), options);
        st->begin();
        const int ended = st->revoke_dashboard_sessions(args[1]);
        st->commit();
        std::cout << (ended == 0 ? "no dashboard sessions of " + args[1]
                                 : "ended " + std::to_string(ended) + " dashboard session" + (ended == 1 ? "" : "s") +
                                       " of " + args[1])
                  << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "cxos: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
