#include "bot/dump_command.hpp"

#include "bot/core/config.hpp"
#include "storage/dump.hpp"
#include "storage/pg_connection.hpp"
#include "storage/store.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace cxos::bot {
namespace {

constexpr const char* export_usage = R"(usage: cxos export FILE [--storage URL] [--config FILE]
  writes every table of the database (storage.url, or URL) to FILE ("-": standard output),
  from one snapshot; stop the server first when moving, so nothing arrives after it
)";
constexpr const char* import_usage = R"(usage: cxos import FILE [--storage URL] [--config FILE]
  loads a dump (FILE, "-": standard input) into the database (storage.url, or URL): it is
  migrated, must be empty, and is filled in one transaction
)";

struct dump_args {
    std::string file, storage_url;
};

std::optional<dump_args> parse(const std::vector<std::string>& args, const char* usage) {
    dump_args out;
    std::string config_path = "cxos.yaml";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size())
            config_path = args[++i];
        else if (args[i] == "--storage" && i + 1 < args.size())
            out.storage_url = args[++i];
        else if (out.file.empty() && (args[i] == "-" || args[i].rfind("-", 0) != 0))
            out.file = args[i];
        else {
            std::cerr << "cxos: unexpected '" << args[i] << "'\n" << usage;
            return std::nullopt;
        }
    }
    if (out.file.empty()) {
        std::cerr << usage;
        return std::nullopt;
    }
    if (out.storage_url.empty()) {
        auto loaded = load_config_file(config_path);
        if (!loaded.ok()) {
            std::cerr << "cxos: " << config_path << " has errors (cxos check-config " << config_path << ")\n";
            return std::nullopt;
        }
        out.storage_url = loaded.config.storage_url;
    }
    return out;
}

void print_counts(std::ostream& out, const char* verb, const std::string& url,
                  const std::vector<storage::table_count>& counts) {
    std::int64_t total = 0;
    for (const auto& c : counts) {
        out << "  " << c.table << ": " << c.rows << "\n";
        total += c.rows;
    }
    out << verb << " " << total << " rows in " << counts.size() << " tables (" << storage::redacted_url(url) << ")\n";
}

} // namespace

int export_command(const std::vector<std::string>& args) {
    auto parsed = parse(args, export_usage);
    if (!parsed) return 2;
    const bool to_stdout = parsed->file == "-";
    const std::string partial = parsed->file + ".tmp";
    try {
        if (to_stdout) {
            const auto counts = storage::export_database(parsed->storage_url, std::cout);
            print_counts(std::cerr, "exported", parsed->storage_url, counts);
            return 0;
        }
        // 0600 before a byte is in it: the dump holds what customers reported and workspace tokens.
        std::filesystem::remove(partial);
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) throw storage::store_error("cannot create '" + partial + "': " + std::strerror(errno));
        ::close(fd);
        std::vector<storage::table_count> counts;
        {
            std::ofstream out(partial, std::ios::binary | std::ios::trunc);
            counts = storage::export_database(parsed->storage_url, out);
        }
        // Only a whole dump gets the name: a failed export leaves no file an import could take.
        std::filesystem::rename(partial, parsed->file);
        std::cout << "wrote " << parsed->file << "\n";
        print_counts(std::cout, "exported", parsed->storage_url, counts);
        return 0;
    } catch (const std::exception& e) {
        std::error_code ec;
        if (!to_stdout) std::filesystem::remove(partial, ec);
        std::cerr << "cxos export: " << e.what() << "\n";
        return 1;
    }
}

int import_command(const std::vector<std::string>& args) {
    auto parsed = parse(args, import_usage);
    if (!parsed) return 2;
    try {
        std::ifstream file;
        if (parsed->file != "-") {
            file.open(parsed->file, std::ios::binary);
            if (!file) throw storage::store_error("cannot read '" + parsed->file + "'");
        }
        std::istream& in = parsed->file == "-" ? std::cin : file;
        const auto counts = storage::import_database(parsed->storage_url, in);
        print_counts(std::cout, "imported", parsed->storage_url, counts);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "cxos import: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
