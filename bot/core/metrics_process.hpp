#pragma once
// The standard `process_*` metrics every Prometheus client library exports, read from /proc the
// same way (client_golang's procfs collector): CPU time, memory, start time, file descriptors.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxos::bot {

struct process_stats {
    double cpu_seconds = 0;          // user + system time
    double start_time_seconds = 0;   // Unix time the process started
    std::int64_t virtual_memory_bytes = 0;
    std::int64_t resident_memory_bytes = 0;
    std::int64_t open_fds = 0;
    std::int64_t max_fds = 0;        // the soft limit on open files
};

// Fields of a /proc/<pid>/stat line; `boot_time` is /proc/stat's btime (Unix seconds). Empty when
// the line is cut short. Only the fields stat carries are filled.
std::optional<process_stats> parse_proc_stat(std::string_view stat, long ticks_per_second, long page_size,
                                             std::int64_t boot_time);
// The soft "Max open files" of a /proc/<pid>/limits text; 0 when absent or unlimited.
std::int64_t parse_max_open_files(std::string_view limits);

// This process, now; empty where /proc cannot be read (not Linux, or a sandbox hides it).
std::optional<process_stats> read_process_stats();

// Appends the six families with their HELP and TYPE lines.
void render_process_metrics(std::string& out, const process_stats& p);

} // namespace cxos::bot
