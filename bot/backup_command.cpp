#include "bot/backup_command.hpp"

#include "bot/core/config.hpp"
#include "storage/backup.hpp"
#include "storage/store.hpp"

#include <cstdio>
#include <iostream>

namespace cxos::bot {

namespace {

constexpr const char* backup_usage = R"(usage: cxos backup PATH [--config FILE]
  copies the SQLite database storage.url names to PATH (a file, or a directory to get
  cxos-<UTC time>.db in it) while cxos may be serving it; PostgreSQL: use pg_dump
)";

std::string megabytes(std::int64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

} // namespace

int backup_command(const std::vector<std::string>& args) {
    std::string destination, config_path = "cxos.yaml";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size())
            config_path = args[++i];
        else if (args[i].rfind("--config=", 0) == 0)
            config_path = args[i].substr(9);
        else if (destination.empty() && args[i].rfind("-", 0) != 0)
            destination = args[i];
        else {
            std::cerr << "cxos backup: unexpected '" << args[i] << "'\n" << backup_usage;
            return 2;
        }
    }
    if (destination.empty()) {
        std::cerr << backup_usage;
        return 2;
    }
    auto loaded = load_config_file(config_path);
    if (!loaded.ok()) {
        std::cerr << "cxos: " << config_path << " has errors (cxos check-config " << config_path
                  << ")\n";
        return 2;
    }
    try {
        const auto report = storage::backup_database(loaded.config.storage_url, destination);
        std::cout << "wrote " << report.written << " (" << megabytes(report.bytes)
                  << ", schema version " << report.schema_version << ", " << report.signals
                  << " signals, " << report.items << " items): a consistent copy of "
                  << report.source << "\n";
        return 0;
    } catch (const storage::store_error& e) {
        std::cerr << "cxos backup: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
