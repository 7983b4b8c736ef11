#include "storage/store.hpp"

#include "storage/pg_store.hpp"
#include "storage/sqlite_store.hpp"

namespace cxos::storage {

bool shared_by_instances(const std::string& url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::unique_ptr<store> open_store(const std::string& url, const store_options& options) {
    constexpr std::string_view sqlite_scheme = "sqlite://";
    if (url.rfind(sqlite_scheme, 0) == 0) {
        std::string path = url.substr(sqlite_scheme.size());
        if (path.empty()) throw store_error("storage.url '" + url + "' names no database file");
        return std::make_unique<sqlite_store>(path, options.max_size_mb, options.serve_lock);
    }
    if (shared_by_instances(url)) {
        if (options.max_size_mb > 0)
            throw store_error("storage.max_size_mb caps a SQLite file; on PostgreSQL leave it out and set a limit "
                              "in the database server");
        return std::make_unique<pg_store>(url, options.serve_lock);
    }
    auto scheme_end = url.find("://");
    throw store_error("storage.url scheme '" +
                      (scheme_end == std::string::npos ? redacted_url(url) : url.substr(0, scheme_end)) +
                      "' is not supported; use sqlite://path/to/cxos.db or postgresql://user@host/db");
}

} // namespace cxos::storage
