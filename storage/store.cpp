#include "storage/store.hpp"

#include "storage/sqlite_store.hpp"

namespace cxos::storage {

std::unique_ptr<store> open_store(const std::string& url, const store_options& options) {
    constexpr std::string_view sqlite_scheme = "sqlite://";
    if (url.rfind(sqlite_scheme, 0) == 0) {
        std::string path = url.substr(sqlite_scheme.size());
        if (path.empty()) throw store_error("storage.url '" + url + "' names no database file");
        return std::make_unique<sqlite_store>(path, options.max_size_mb, options.serve_lock);
    }
    auto scheme_end = url.find("://");
    throw store_error("storage.url scheme '" +
                      (scheme_end == std::string::npos ? url : url.substr(0, scheme_end)) +
                      "' is not supported; use sqlite://path/to/cxos.db");
}

} // namespace cxos::storage
