#include "tests/support/cxos_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/slack_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace cxos::test {

namespace {

// The first line of a sanitizer's report: "==PID==ERROR: AddressSanitizer: …" (LeakSanitizer
// alike), "file:line:col: runtime error: …" for UBSan (which prints no SUMMARY with a stack).
bool has_sanitizer_report(const std::string& output) {
    for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: "})
        if (output.find(marker) != std::string::npos) return true;
    return false;
}

// The sanitizer options of the parent (set by whoever runs the tests, or none) plus `option`.
std::string with_option(const char* variable, const std::string& option) {
    const char* old = std::getenv(variable);
    return old && *old ? std::string(old) + ":" + option : option;
}

// This process's environment with `changes` applied (unset_env removes a variable), as
// NAME=value strings for execve.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& changes) {
    std::vector<std::string> result;
    for (char** entry = environ; *entry; ++entry) {
        const std::string variable(*entry);
        if (!changes.contains(variable.substr(0, variable.find('=')))) result.push_back(variable);
    }
    for (const auto& [name, value] : changes)
        if (value != unset_env) result.push_back(name + "=" + value);
    return result;
}

// argv/envp for execve: pointers into `strings`, which must outlive them, ending with nullptr.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

std::filesystem::path make_temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cxos-e2e-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

// CXOS_E2E_BACKEND=postgresql runs the end-to-end tests on the CXOS_TEST_POSTGRES_URL server.
bool e2e_on_postgres() {
    const char* backend = std::getenv("CXOS_E2E_BACKEND");
    if (!backend || std::string_view(backend) != "postgresql") return false;
    if (test_postgres_url().empty()) throw std::runtime_error("CXOS_E2E_BACKEND=postgresql needs CXOS_TEST_POSTGRES_URL");
    return true;
}

} // namespace

cxos_process::cxos_process(std::string slack_api_url, std::string routing_yaml, std::string slack_options)
    : dir_(make_temp_dir()),
      storage_url_(e2e_on_postgres() ? create_postgres_database("cxos_e2e")
                                     : "sqlite://" + (dir_ / "data" / "cxos.db").string()) {
    // On PostgreSQL a restarted instance is a new one, which waits out the old one's claims: a
    // short lease keeps crash-and-restart tests quick.
    write_config(slack_api_url, routing_yaml, slack_options,
                 storage_url_.rfind("postgres", 0) == 0 ? "claim_lease_seconds: 2" : "");
}

cxos_process::cxos_process(std::string slack_api_url, std::string routing_yaml, const shared_storage& storage,
                           std::string slack_options)
    : dir_(make_temp_dir()), storage_url_(storage.url), owns_storage_(false) {
    write_config(slack_api_url, routing_yaml, slack_options, storage.options);
}

void cxos_process::write_config(const std::string& slack_api_url, const std::string& routing_yaml,
                                const std::string& slack_options, const std::string& storage_options) {
    // The fake Slack serves the clicks' response_urls on its own origin (fake_slack::response_url).
    std::string hooks;
    if (slack_options.find("hooks_url") == std::string::npos && slack_api_url.ends_with("/api"))
        hooks = ", hooks_url: \"" + slack_api_url.substr(0, slack_api_url.size() - 4) + "\"";
    std::ofstream cfg(dir_ / "cxos.yaml");
    cfg << "server: { listen: \"127.0.0.1:0\" }\n"
        << "storage: { url: \"" << storage_url_ << "\"" << (storage_options.empty() ? "" : ", " + storage_options)
        << " }\n"
        << "slack: { api_url: \"" << slack_api_url << "\"" << hooks << (slack_options.empty() ? "" : ", " + slack_options)
        << " }\n"
        << routing_yaml;
}

cxos_process::~cxos_process() {
    // A server the test left running is stopped as systemd would (SIGTERM), so that its shutdown,
    // and in a sanitized build its leak check at exit, run after every scenario.
    if (pid_ > 0) stop();
    if (owns_storage_ && storage_url_.rfind("postgres", 0) == 0) {
        try {
            drop_postgres_database(storage_url_);
        } catch (const std::exception&) {
            // The test server is gone already: nothing left to drop.
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void cxos_process::start(std::map<std::string, std::string> env_overrides) {
    std::map<std::string, std::string> env = {{"SLACK_SIGNING_SECRET", test_signing_secret},
                                              {"SLACK_BOT_TOKEN", test_bot_token},
                                              {"CXOS_LOG_LEVEL", "debug"}};
    for (auto& [k, v] : env_overrides) env[k] = v;
    // A sanitized cxos (CXOS_SANITIZE=ON) writes its reports to sanitizer.<pid> in its directory
    // instead of its log, where check_sanitizer_reports() finds them; an unsanitized one ignores
    // these variables.
    const std::string log_path = "log_path=" + (dir_ / "sanitizer").string();
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"})
        if (!env.contains(name)) env[name] = with_option(name, log_path);
    {
        std::ifstream in(dir_ / "cxos.log", std::ios::ate);
        log_offset_ = in ? static_cast<std::size_t>(in.tellg()) : 0;
    }
    // Everything the child needs is built before fork(): the test process has threads (the fake
    // servers), and one of them may hold the allocator's lock at the fork, which in the child
    // nobody would ever release. glibc's malloc survives that, ASan's does not: a child that
    // allocated (setenv did) hung before exec now and then in sanitized runs. After fork() the
    // child calls only async-signal-safe functions.
    std::vector<std::string> args = {"cxos", "serve", "--config", config_path()};
    if (test_clock_ >= 0) args.insert(args.end(), {"--test-clock", std::to_string(test_clock_)});
    else args.push_back("--test-hooks");
    const std::vector<std::string> environment = child_environment(env);
    const std::vector<char*> argv = c_strings(args), envp = c_strings(environment);
    const std::string log_file = (dir_ / "cxos.log").string(), work_dir = dir_.string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        if (::chdir(work_dir.c_str()) != 0) ::_exit(127);
        ::execve(CXOS_BINARY, argv.data(), envp.data());
        ::_exit(127);
    }
    // The server logs {"msg":"listening","address":"127.0.0.1:PORT"} once it accepts (a
    // sanitized build on a busy machine may take seconds).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        std::istringstream lines(log().substr(log_offset_));
        for (std::string line; std::getline(lines, line);) {
            auto json = nlohmann::json::parse(line, nullptr, false);
            if (json.is_object() && json.value("msg", "") == "listening") {
                auto address = json.value("address", "");
                port_ = static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
                return;
            }
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("cxos exited during start-up:\n" + log() + sanitizer_reports());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("cxos did not start listening:\n" + log());
}

void cxos_process::send_signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

std::string cxos_process::config_text() const {
    std::ifstream in(dir_ / "cxos.yaml");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void cxos_process::set_config_text(const std::string& yaml) const { std::ofstream(dir_ / "cxos.yaml") << yaml; }

bool cxos_process::reload(const std::string& outcome) {
    const auto count = [&] {
        const auto text = log();
        std::size_t n = 0;
        for (auto at = text.find(outcome); at != std::string::npos; at = text.find(outcome, at + 1)) ++n;
        return n;
    };
    const auto before = count();
    send_signal(SIGHUP);
    return eventually([&] { return count() > before; });
}

void cxos_process::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    check_sanitizer_reports();
}

int cxos_process::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    return wait_exit();
}

int cxos_process::wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            check_sanitizer_reports();
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill_hard();
    return -1;
}

std::string cxos_process::log() const {
    std::ifstream in(dir_ / "cxos.log");
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

int cxos_process::run(const std::string& args, std::string& output, std::map<std::string, std::string> env) {
    std::string cmd;
    for (auto& [k, v] : env) cmd += k + "='" + v + "' ";
    cmd += std::string("'") + CXOS_BINARY + "' " + args + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return -1;
    std::array<char, 4096> buf;
    output.clear();
    while (auto n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
    int status = ::pclose(pipe);
    // The exit status alone could pass for an expected failure: the report itself fails the test.
    if (has_sanitizer_report(output)) FAIL_CHECK("cxos " << args << " reported a sanitizer error:\n" << output);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string cxos_process::sanitizer_reports() {
    std::vector<std::filesystem::path> reports;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec))
        if (entry.path().filename().string().starts_with("sanitizer.")) reports.push_back(entry.path());
    std::string text;
    for (const auto& path : reports) {
        std::ifstream in(path);
        std::stringstream buf;
        buf << in.rdbuf();
        text += "\n" + path.filename().string() + ":\n" + buf.str();
        std::filesystem::remove(path, ec); // each report fails one check, not every later one
    }
    return text;
}

void cxos_process::check_sanitizer_reports() {
    if (auto reports = sanitizer_reports(); !reports.empty())
        FAIL_CHECK("cxos reported a sanitizer error:" << reports);
}

} // namespace cxos::test

namespace cxos::test {

void cxos_process::move_clock(long long now_ms) {
    auto answer = http_call(port_, "POST", "/_test/clock", nlohmann::json{{"now_ms", now_ms}}.dump(),
                            {{"Content-Type", "application/json"}});
    if (answer.status != 200) throw std::runtime_error("moving the test clock failed: " + answer.body);
}

void cxos_process::settle() {
    auto answer = http_call(port_, "POST", "/_test/settle", "", {{"Content-Type", "application/json"}});
    if (answer.status != 200) throw std::runtime_error("cxos did not settle: " + answer.body);
}

} // namespace cxos::test
