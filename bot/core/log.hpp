#pragma once
// Structured logs: one JSON object per line on stderr. Callers pass fields, never secrets.
#include <nlohmann/json.hpp>

#include <string_view>

namespace cxos::bot {

enum class log_level { debug, info, warn, error };

void set_log_level(log_level minimum);
// Whether a line of this level is written: a caller on the request path asks before building
// its fields, which cost allocations even when the line is dropped.
bool log_enabled(log_level level);
void log(log_level level, std::string_view message, nlohmann::json fields = nlohmann::json::object());

inline void log_debug(std::string_view m, nlohmann::json f = nlohmann::json::object()) { log(log_level::debug, m, std::move(f)); }
inline void log_info(std::string_view m, nlohmann::json f = nlohmann::json::object()) { log(log_level::info, m, std::move(f)); }
inline void log_warn(std::string_view m, nlohmann::json f = nlohmann::json::object()) { log(log_level::warn, m, std::move(f)); }
inline void log_error(std::string_view m, nlohmann::json f = nlohmann::json::object()) { log(log_level::error, m, std::move(f)); }

} // namespace cxos::bot
