// What a reload takes from a changed file, and what it leaves until a restart.
#include "bot/core/live_config.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace cxos::bot;

namespace {

constexpr const char* started = R"(server:   { listen: "127.0.0.1:3999" }
storage:  { url: "sqlite:///tmp/x.db" }
journey:
  stages: [discover, renew]
owners:
  billing: { slack: C0BILLING }
  triage:  { slack: C0TRIAGE }
routing:
  fallback: triage
  rules:
    - name: invoices
      when: { keywords: [invoice] }
      route_to: billing
)";

app_config parsed(const std::string& yaml) {
    auto r = load_config_text(yaml);
    for (const auto& e : r.errors) UNSCOPED_INFO(e.line << ": " << e.message);
    REQUIRE(r.ok());
    return r.config;
}

std::string with(std::string text, const std::string& what, const std::string& by) {
    const auto at = text.find(what);
    REQUIRE(at != std::string::npos);
    return text.replace(at, what.size(), by);
}

struct config_file {
    std::filesystem::path path = std::filesystem::temp_directory_path() / "cxos-reload-test.yaml";
    ~config_file() { std::filesystem::remove(path); }
    void write(const std::string& text) const { std::ofstream(path) << text; }
};

} // namespace

TEST_CASE("a reload keeps the listener, storage and platform settings and names the ones the file changed",
          "[config][reload]") {
    const auto running = parsed(started);
    auto text = with(started, "127.0.0.1:3999\"", "0.0.0.0:4000\", busy_poll_us: 50");
    text = with(text, "sqlite:///tmp/x.db", "sqlite:///tmp/y.db");
    text = with(text, "keywords: [invoice]", "keywords: [invoice, refund]");
    std::vector<std::string> needs_restart;
    const auto next = keep_startup_settings(running, parsed(text), needs_restart);
    CHECK(needs_restart == std::vector<std::string>{"server.listen", "server.busy_poll_us", "storage.url"});
    CHECK(next.busy_poll_us == 0);
    CHECK(next.listen_host == "127.0.0.1");
    CHECK(next.listen_port == 3999);
    CHECK(next.storage_url == "sqlite:///tmp/x.db");
    CHECK(next.journey.rules.at(0).keywords.size() == 2);
}

TEST_CASE("a reload that changes only run-time settings needs no restart", "[config][reload]") {
    std::vector<std::string> needs_restart;
    keep_startup_settings(parsed(started), parsed(with(started, "route_to: billing", "route_to: triage")), needs_restart);
    CHECK(needs_restart.empty());
}

TEST_CASE("a file with errors is refused by a reload and the snapshot in force stays", "[config][reload]") {
    live_config live(parsed(started));
    const auto before = live.get();
    config_file file;
    file.write(with(started, "route_to: billing", "route_to: finance"));
    const auto refused = reload_config(live, file.path.string());
    CHECK_FALSE(refused.applied());
    REQUIRE(refused.errors.size() == 1);
    CHECK_THAT(refused.errors[0].message, Catch::Contains("unknown owner 'finance'"));
    CHECK(live.get() == before);

    file.write(with(started, "route_to: billing", "route_to: triage"));
    CHECK(reload_config(live, file.path.string()).applied());
    CHECK(live.get()->journey.rules.at(0).route_to == "triage");
    CHECK(before->journey.rules.at(0).route_to == "billing"); // a reader's snapshot does not change under it
}
