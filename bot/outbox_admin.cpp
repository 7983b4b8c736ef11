#include "bot/outbox_admin.hpp"

#include "storage/store.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>

namespace cxos::bot {

namespace {

constexpr const char* outbox_usage = R"(usage:
  cxos outbox dead [--channel C] [--since T] [--config FILE]
        list dead letters (deliveries cxos gave up on), oldest first
  cxos outbox retry --dead [--channel C] [--since T] [--config FILE]
        requeue them: a running cxos sends them within a minute; each requeue is audited
  T is a UTC date or time (2026-11-27, 2026-11-27T09:30) or an age (90m, 24h, 7d)
)";

std::optional<int> number(std::string_view text) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0) return std::nullopt;
    return n;
}

std::string who() {
    for (const char* name : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char* v = std::getenv(name); v && *v) return v;
    return "cli";
}

std::string value_after(const std::vector<std::string>& args, std::string_view flag) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == flag) return args[i + 1];
    return {};
}

bool has(const std::vector<std::string>& args, std::string_view flag) {
    for (const auto& a : args)
        if (a == flag) return true;
    return false;
}

} // namespace

std::optional<millis> parse_since(std::string_view text, millis now) {
    if (text.size() >= 2) {
        const char unit = text.back();
        const millis per = unit == 'm' ? 60'000 : unit == 'h' ? 3'600'000 : unit == 'd' ? 86'400'000 : 0;
        if (auto n = number(text.substr(0, text.size() - 1)); per && n) return now - *n * per;
    }
    std::tm t{};
    const std::string s(text);
    const char* formats[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"};
    for (const char* f : formats) {
        t = std::tm{};
        const char* end = ::strptime(s.c_str(), f, &t);
        if (end && *end == '\0') return static_cast<millis>(::timegm(&t)) * 1000;
    }
    return std::nullopt;
}

int outbox_command(const std::vector<std::string>& args, std::string_view storage_url) {
    const std::string verb = args.empty() ? "" : args[0];
    const bool list = verb == "dead";
    if (!list && !(verb == "retry" && has(args, "--dead"))) {
        std::cerr << outbox_usage;
        return 2;
    }
    const millis now = static_cast<millis>(std::time(nullptr)) * 1000;
    const std::string channel = value_after(args, "--channel");
    millis since = 0;
    if (const auto raw = value_after(args, "--since"); !raw.empty()) {
        auto parsed = parse_since(raw, now);
        if (!parsed) {
            std::cerr << "cxos: --since takes a UTC date or time (2026-11-27, 2026-11-27T09:30) or an age (24h), not '"
                      << raw << "'\n";
            return 2;
        }
        since = *parsed;
    }
    try {
        storage::store_options options;
        options.serve_lock = false; // beside a running server: SQLite serialises the writes
        auto st = storage::open_store(std::string(storage_url), options);
        st->begin();
        auto dead = st->dead_deliveries(channel, since);
        if (dead.empty()) {
            st->rollback();
            std::cout << "no dead letters" << (channel.empty() ? "" : " in " + channel)
                      << (since ? " since " + format_utc(since, "%Y-%m-%d %H:%M UTC") : "") << "\n";
            return 0;
        }
        std::map<std::string, int> per_channel;
        const std::string actor = "cli:" + who();
        for (auto d : dead) {
            ++per_channel[d.platform + ":" + d.channel];
            if (list) {
                std::cout << d.id << "\t" << d.platform << ":" << d.channel << "\t" << d.kind << "\titem " << d.item_id
                          << "\t" << format_utc(d.updated_at, "%Y-%m-%d %H:%M UTC") << "\t" << d.last_error << "\n";
                continue;
            }
            const std::string was = d.last_error;
            d.state = delivery_state::pending;
            d.attempts = 0;
            d.next_attempt_at = now;
            d.updated_at = now;
            d.last_error = "requeued by " + actor + " after: " + was;
            st->update_delivery(d);
            st->insert_audit(d.item_id, actor, "outbox.retry",
                             "delivery " + std::to_string(d.id) + " to " + d.platform + ":" + d.channel + " (" + was + ")",
                             now);
        }
        if (list) {
            st->rollback();
            return 0;
        }
        st->commit();
        std::cout << "requeued " << dead.size() << " dead letter" << (dead.size() == 1 ? "" : "s") << ":";
        for (const auto& [where, n] : per_channel) std::cout << " " << where << " (" << n << ")";
        std::cout << "\na running cxos sends them within a minute\n";
        return 0;
    } catch (const storage::store_error& e) {
        std::cerr << "cxos: storage: " << e.what() << "\n";
        return 1;
    }
}

} // namespace cxos::bot
