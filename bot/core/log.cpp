#include "bot/core/log.hpp"
#include "commands/json_text.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cxos::bot {
namespace {

std::atomic<log_level> min_level{log_level::info};

std::string_view level_name(log_level l) {
    switch (l) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
    }
    return "info";
}

std::string timestamp() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
    return buf;
}

} // namespace

void set_log_level(log_level minimum) { min_level.store(minimum, std::memory_order_relaxed); }

bool log_enabled(log_level level) { return level >= min_level.load(std::memory_order_relaxed); }

void log(log_level level, std::string_view message, nlohmann::json fields) {
    if (level < min_level.load(std::memory_order_relaxed)) return;
    nlohmann::json line = {{"ts", timestamp()}, {"level", level_name(level)}, {"msg", message}};
    if (fields.is_object())
        for (auto& [k, v] : fields.items()) line[k] = std::move(v);
    // Replace invalid UTF-8 rather than throw: a log line must never take the server down.
    auto text = json_text(line);
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
}

} // namespace cxos::bot
