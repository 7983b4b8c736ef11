#include "tests/support/cxos_process.hpp"
#include "tests/support/scratch_database.hpp"
#include "tests/support/slack_client.hpp"

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

namespace cxos::test {

namespace {

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

cxos_process::cxos_process(std::string slack_api_url, std::string routing_yaml, const shared_storage& storage)
    : dir_(make_temp_dir()), storage_url_(storage.url), owns_storage_(false) {
    write_config(slack_api_url, routing_yaml, "", storage.options);
}

void cxos_process::write_config(const std::string& slack_api_url, const std::string& routing_yaml,
                                const std::string& slack_options, const std::string& storage_options) {
    std::ofstream cfg(dir_ / "cxos.yaml");
    cfg << "server: { listen: \"127.0.0.1:0\" }\n"
        << "storage: { url: \"" << storage_url_ << "\"" << (storage_options.empty() ? "" : ", " + storage_options)
        << " }\n"
        << "slack: { api_url: \"" << slack_api_url << "\"" << (slack_options.empty() ? "" : ", " + slack_options) << " }\n"
        << routing_yaml;
}

cxos_process::~cxos_process() {
    if (pid_ > 0) kill_hard();
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
    {
        std::ifstream in(dir_ / "cxos.log", std::ios::ate);
        log_offset_ = in ? static_cast<std::size_t>(in.tellg()) : 0;
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int fd = ::open((dir_ / "cxos.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::chdir(dir_.c_str());
        for (auto& [k, v] : env) {
            if (v == unset_env) ::unsetenv(k.c_str());
            else ::setenv(k.c_str(), v.c_str(), 1);
        }
        const std::string config = config_path(), clock = std::to_string(test_clock_);
        if (test_clock_ >= 0)
            ::execl(CXOS_BINARY, "cxos", "serve", "--config", config.c_str(), "--test-clock", clock.c_str(), nullptr);
        else
            ::execl(CXOS_BINARY, "cxos", "serve", "--config", config.c_str(), "--test-hooks", nullptr);
        ::_exit(127);
    }
    // The server logs {"msg":"listening","address":"127.0.0.1:PORT"} once it accepts.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
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
            throw std::runtime_error("cxos exited during start-up:\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("cxos did not start listening:\n" + log());
}

void cxos_process::send_signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

void cxos_process::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
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
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
