#pragma once
// Starts the real cxos binary with a generated config, finds the port it bound, and stops it
// gently (SIGTERM) or brutally (SIGKILL). A report from a sanitized cxos (CXOS_SANITIZE) fails
// the test that ran it.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>

namespace cxos::test {

// A database several instances serve together: each instance's `storage:` map is `url` plus
// `options` (e.g. "claim_lease_seconds: 2"); whoever made the database drops it.
struct shared_storage {
    std::string url;
    std::string options;
};

class cxos_process {
  public:
    // `routing_yaml` is the journey/owners/routing part of the config; `slack_options` more keys
    // of its `slack:` map (e.g. "mode: socket").
    cxos_process(std::string slack_api_url, std::string routing_yaml, std::string slack_options = "");
    // One of several instances on `storage`.
    cxos_process(std::string slack_api_url, std::string routing_yaml, const shared_storage& storage,
                 std::string slack_options = "");
    ~cxos_process();

    void start(std::map<std::string, std::string> env_overrides = {});
    // The next start() runs `cxos serve --test-clock <ms>`; move_clock() moves it while running.
    void use_test_clock(long long start_ms) { test_clock_ = start_ms; }
    void move_clock(long long now_ms);
    // Returns once cxos has nothing left to do now (POST /_test/settle): what a test waits for
    // before asserting that nothing more happened, instead of sleeping.
    void settle();
    void kill_hard();   // SIGKILL: no chance to flush anything
    void send_signal(int sig); // e.g. SIGHUP, as a closed terminal or `systemctl reload` sends
    // The config file as it is now, and a new text for it (read at the next reload or start).
    std::string config_text() const;
    void set_config_text(const std::string& yaml) const;
    // `systemctl reload`: SIGHUP, then true once the log has one more line with `outcome`, e.g.
    // config_reloaded or config_refused.
    bool reload(const std::string& outcome);
    int stop();         // SIGTERM, waits, returns the exit status
    int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    bool running() const { return pid_ > 0; }

    unsigned short port() const { return port_; }
    std::string log() const;
    const std::filesystem::path& dir() const { return dir_; }
    std::string config_path() const { return (dir_ / "cxos.yaml").string(); }
    // sqlite://<dir>/data/cxos.db, or with CXOS_E2E_BACKEND=postgresql a database of its own on
    // the CXOS_TEST_POSTGRES_URL server, dropped with this object.
    const std::string& storage_url() const { return storage_url_; }

    // Runs `cxos <args>` to completion; returns exit status and fills `output` (stdout+stderr).
    static int run(const std::string& args, std::string& output,
                   std::map<std::string, std::string> env = {});

  private:
    void write_config(const std::string& slack_api_url, const std::string& routing_yaml,
                      const std::string& slack_options, const std::string& storage_options);
    // Reports a sanitized cxos wrote (see start()), removed once read; "" when there are none.
    std::string sanitizer_reports();
    // Fails the running test with those reports. Called once the process is gone: on stop,
    // exit, kill and destruction.
    void check_sanitizer_reports();

    std::filesystem::path dir_;
    std::string storage_url_;
    bool owns_storage_ = true;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    long long test_clock_ = -1;
    std::size_t log_offset_ = 0;
};

// What cxos logs when a reload applied the file, and when it refused it.
inline const std::string config_reloaded = "\"msg\":\"config reloaded\"";
inline const std::string config_refused = "\"msg\":\"config not reloaded";

// An env_overrides value that removes the variable (start() sets Slack's by default).
inline const std::string unset_env = "(unset)";

inline const std::string test_signing_secret = "8f742231b10e8888abcd99yyyzzz85a5";
inline const std::string test_bot_token = "xoxb-test-token";

} // namespace cxos::test
