#include "bot/core/metrics_process.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace cxos::bot {

namespace {

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at < text.size()) {
        auto start = text.find_first_not_of(" \t\n", at);
        if (start == std::string_view::npos) break;
        auto end = text.find_first_of(" \t\n", start);
        if (end == std::string_view::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        at = end;
    }
    return out;
}

std::optional<std::int64_t> whole(std::string_view word) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (ec != std::errc() || p != word.data() + word.size()) return std::nullopt;
    return v;
}

std::string slurp(const char* path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::int64_t boot_time() {
    std::ifstream in("/proc/stat");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("btime ", 0) == 0) return whole(line.substr(6)).value_or(0);
    return 0;
}

// Clock ticks are 1/100 s: two decimals keep every digit (%g would round a start time to 1e3 s).
std::string seconds(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

void family(std::string& out, const char* name, const char* type, const char* help, const std::string& value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    out.append(name).append(" ").append(value).append("\n");
}

} // namespace

std::optional<process_stats> parse_proc_stat(std::string_view stat, long ticks_per_second, long page_size,
                                             std::int64_t boot) {
    // The command name sits in parentheses and may itself hold spaces and ')': fields resume
    // after the last ')'. Counting from there, state is field 3 of proc(5).
    auto close = stat.rfind(')');
    if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
    auto f = words(stat.substr(close + 1));
    auto field = [&](std::size_t n) { return n - 3 < f.size() ? whole(f[n - 3]) : std::nullopt; };
    auto utime = field(14), stime = field(15), start = field(22), vsize = field(23), rss = field(24);
    if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
    process_stats p;
    const double hz = static_cast<double>(ticks_per_second);
    p.cpu_seconds = static_cast<double>(*utime + *stime) / hz;
    p.start_time_seconds = static_cast<double>(boot) + static_cast<double>(*start) / hz;
    p.virtual_memory_bytes = *vsize;
    p.resident_memory_bytes = *rss * page_size;
    return p;
}

std::int64_t parse_max_open_files(std::string_view limits) {
    constexpr std::string_view key = "Max open files";
    auto at = limits.find(key);
    if (at == std::string_view::npos) return 0;
    auto line = limits.substr(at + key.size());
    line = line.substr(0, line.find('\n'));
    auto f = words(line);
    return f.empty() ? 0 : whole(f[0]).value_or(0); // "unlimited" → 0
}

std::optional<process_stats> read_process_stats() {
    auto p = parse_proc_stat(slurp("/proc/self/stat"), ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE), boot_time());
    if (!p) return std::nullopt;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
        ++p->open_fds;
    if (p->open_fds > 0) --p->open_fds; // the directory iterator's own descriptor
    p->max_fds = parse_max_open_files(slurp("/proc/self/limits"));
    return p;
}

void render_process_metrics(std::string& out, const process_stats& p) {
    family(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
           seconds(p.cpu_seconds));
    family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
           std::to_string(p.resident_memory_bytes));
    family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
           std::to_string(p.virtual_memory_bytes));
    family(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
           seconds(p.start_time_seconds));
    family(out, "process_open_fds", "gauge", "Number of open file descriptors.", std::to_string(p.open_fds));
    family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", std::to_string(p.max_fds));
}

} // namespace cxos::bot
