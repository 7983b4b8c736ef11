#include "tests/support/webdriver.hpp"

#include "tests/support/slack_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <openssl/evp.h>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cxos::test {

namespace {

// W3C WebDriver's key for an element reference in JSON.
constexpr const char* element_key = "element-6066-11e4-a52e-4f735466cecf";

std::string base64_decode(const std::string& in) {
    std::string out(in.size() / 4 * 3 + 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                            static_cast<int>(in.size()));
    if (n < 0) throw std::runtime_error("screenshot is not base64");
    std::size_t padding = 0;
    for (auto it = in.rbegin(); it != in.rend() && *it == '='; ++it) ++padding;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

} // namespace

unsigned short free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

headless_chromium::headless_chromium() {
    dir_ = std::filesystem::temp_directory_path() / ("cxos-chromium-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    port_ = free_port();
    const std::string port_arg = "--port=" + std::to_string(port_);
    const std::string log_arg = "--log-path=" + (dir_ / "chromedriver.log").string();
    // Its banner and logs go to its own file, not into the test's output.
    const std::string quiet = (dir_ / "chromedriver.out").string();
    // Built before fork(): the child of a threaded process must not allocate (see cxos_process).
    driver_ = ::fork();
    if (driver_ < 0) throw std::runtime_error("fork failed");
    if (driver_ == 0) {
        int fd = ::open(quiet.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) ::dup2(fd, 1);
        ::execlp("chromedriver", "chromedriver", port_arg.c_str(), log_arg.c_str(), nullptr);
        ::_exit(127);
    }
    // chromedriver answers /status once it listens.
    for (int i = 0; i < 100; ++i) {
        int status = 0;
        if (::waitpid(driver_, &status, WNOHANG) == driver_) {
            driver_ = -1;
            throw std::runtime_error("chromedriver did not start (is chromium-driver installed? scripts/install-deps.sh)");
        }
        try {
            if (http_call(port_, "GET", "/status", "").status == 200) break;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    nlohmann::json caps = {
        {"capabilities",
         {{"alwaysMatch",
           {{"browserName", "chrome"},
            {"goog:chromeOptions",
             {{"binary", "/usr/bin/chromium"},
              {"args", {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,1500", "--user-data-dir=" + (dir_ / "profile").string()}}}}}}}}};
    auto answer = call("POST", "/session", caps);
    session_ = answer.value("sessionId", "");
    if (session_.empty()) throw std::runtime_error("chromedriver opened no session: " + answer.dump());
}

headless_chromium::~headless_chromium() {
    try {
        if (!session_.empty()) call("DELETE", "/session/" + session_);
    } catch (const std::exception&) {
    }
    if (driver_ > 0) {
        ::kill(driver_, SIGTERM);
        int status = 0;
        ::waitpid(driver_, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

nlohmann::json headless_chromium::call(const std::string& method, const std::string& path, const nlohmann::json& body) {
    const std::string session_path = path.rfind("/session", 0) == 0 ? path : "/session/" + session_ + path;
    auto answer = http_call(port_, method, session_path, body.is_null() ? std::string() : body.dump(),
                            {{"Content-Type", "application/json"}});
    auto j = nlohmann::json::parse(answer.body, nullptr, false);
    if (answer.status != 200 || !j.is_object())
        throw std::runtime_error("WebDriver " + method + " " + path + " answered " + std::to_string(answer.status) + ": " + answer.body);
    return j.contains("sessionId") ? j : j["value"];
}

void headless_chromium::navigate(const std::string& url) { call("POST", "/url", {{"url", url}}); }

std::string headless_chromium::find(const std::string& css) {
    auto found = call("POST", "/element", {{"using", "css selector"}, {"value", css}});
    if (!found.contains(element_key)) throw std::runtime_error("no element matches " + css + ": " + found.dump());
    return found[element_key];
}

void headless_chromium::type(const std::string& element, const std::string& text) {
    call("POST", "/element/" + element + "/value", {{"text", text}});
}

void headless_chromium::click(const std::string& element) { call("POST", "/element/" + element + "/click", nlohmann::json::object()); }

nlohmann::json headless_chromium::run(const std::string& script) {
    return call("POST", "/execute/sync", {{"script", script}, {"args", nlohmann::json::array()}});
}

bool headless_chromium::wait_for(const std::string& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (run(condition) == true) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

void headless_chromium::set_viewport(int width, int height) {
    call("POST", "/goog/cdp/execute",
         {{"cmd", "Emulation.setDeviceMetricsOverride"},
          {"params", {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}}}});
}

void headless_chromium::screenshot(const std::filesystem::path& png) {
    auto data = base64_decode(call("GET", "/screenshot").get<std::string>());
    std::filesystem::create_directories(png.parent_path());
    std::ofstream(png, std::ios::binary) << data;
}

} // namespace cxos::test
