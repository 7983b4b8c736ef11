#pragma once
// A headless Chromium driven through chromedriver's W3C WebDriver HTTP API: just what the
// dashboard's browser test needs (navigate, find, type, click, run a script, screenshot).
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace cxos::test {

// A loopback port nobody listens on right now.
unsigned short free_port();

class headless_chromium {
  public:
    // Starts chromedriver on a free port and opens a session; throws with the reason if it cannot.
    headless_chromium();
    ~headless_chromium();
    headless_chromium(const headless_chromium&) = delete;
    headless_chromium& operator=(const headless_chromium&) = delete;

    void navigate(const std::string& url);
    // The element's WebDriver id; throws when `css` matches nothing.
    std::string find(const std::string& css);
    void type(const std::string& element, const std::string& text);
    void click(const std::string& element);
    // Runs `script` (a function body; `return` gives the result) in the page.
    nlohmann::json run(const std::string& script);
    // Runs `condition` until it returns true or `timeout` passes; false on timeout.
    bool wait_for(const std::string& condition, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Gives the page a viewport of exactly this size in CSS pixels, through Chromium's device
    // emulation: a window's size also depends on what the browser allows, an emulated screen not.
    void set_viewport(int width, int height);
    // Saves a PNG of the whole window.
    void screenshot(const std::filesystem::path& png);

  private:
    nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body = {});

    pid_t driver_ = -1;
    unsigned short port_ = 0;
    std::string session_;
    std::filesystem::path dir_;
};

} // namespace cxos::test
