// Which response_urls cxos answers a click through: only Slack's hooks origin (slack.hooks_url).
#include "adapters/slack/response_url.hpp"

#include <catch2/catch.hpp>

using namespace cxos::slack;

TEST_CASE("a click is answered through its response_url only on slack.hooks_url's origin", "[web_api]") {
    const hooks_origin hooks{"https", "hooks.slack.com", "443", ""};
    CHECK(response_url_target(hooks, "https://hooks.slack.com/actions/T0/1/abc") == "/actions/T0/1/abc");
    CHECK(response_url_target(hooks, "https://hooks.slack.com:443/app/T0/1/abc") == "/app/T0/1/abc");
    // Anything else is never called, however the payload was signed.
    for (auto other : {"http://hooks.slack.com/actions/T0/1/abc", "https://hooks.slack.com.evil.test/actions/T0/1",
                       "https://evil.test/actions/T0/1/abc", "https://hooks.slack.com:8443/actions/T0/1/abc",
                       "https://user:pw@hooks.slack.com/actions/T0/1/abc", "https://hooks.slack.com",
                       "https://hooks.slack.com/a#b", "/actions/T0/1/abc", "", "not a url",
                       "https://hooks.slack.com/actions/../x", "https://hooks.slack.com/actions/%2E%2E/x"})
        CHECK_FALSE(response_url_target(hooks, other));

    const hooks_origin test_peer{"http", "127.0.0.1", "8080", "/slack"};
    CHECK(response_url_target(test_peer, "http://127.0.0.1:8080/slack/hooks/1?x=1") == "/slack/hooks/1?x=1");
    CHECK_FALSE(response_url_target(test_peer, "http://127.0.0.1:8080/other/hooks/1"));
    CHECK_FALSE(response_url_target(test_peer, "http://127.0.0.1:8080/slack/../other/hooks/1"));
    CHECK_FALSE(response_url_target(test_peer, "http://127.0.0.1/slack/hooks/1"));
}
