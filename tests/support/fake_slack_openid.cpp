#include "tests/support/fake_slack_openid.hpp"

#include "tests/support/test_jwt.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <mutex>

namespace cxos::test {

using nlohmann::json;

namespace {

std::map<std::string, std::string> params_of(const std::string& text) {
    std::map<std::string, std::string> out;
    auto u = boost::urls::parse_uri_reference(text);
    if (u)
        for (auto p : u->params()) out[p.key] = p.value;
    return out;
}

} // namespace

struct fake_slack_openid::impl {
    std::string client_id, client_secret;
    test_signing_key key = test_signing_key::generate("slack-openid-1", {});
    test_signing_key stranger = test_signing_key::generate("slack-openid-9", {});
    std::mutex mutex;
    struct pending {
        fake_slack_person who;
        std::string nonce, redirect_uri;
        id_token_spoil spoil;
    };
    std::map<std::string, pending> codes; // single use
    int next = 0, exchanges = 0;
};

fake_slack_openid::fake_slack_openid(fake_slack& web, std::string client_id, std::string client_secret)
    : web_(web), impl_(std::make_shared<impl>()) {
    impl_->client_id = std::move(client_id);
    impl_->client_secret = std::move(client_secret);
    web_.serve_method("openid/keys", [i = impl_](const loopback_request&) {
        return loopback_response::with_json(200, jwks_of({i->key}));
    });
    web_.serve_method("openid.connect.token", [i = impl_](const loopback_request& req) {
        auto form = params_of("?" + req.body);
        std::lock_guard lock(i->mutex);
        ++i->exchanges;
        auto refuse = [](const char* error) { return loopback_response::with_json(200, {{"ok", false}, {"error", error}}); };
        if (req.method != "POST") return refuse("invalid_request");
        if (form["client_id"] != i->client_id || form["client_secret"] != i->client_secret) return refuse("invalid_client");
        auto it = i->codes.find(form["code"]);
        if (it == i->codes.end()) return refuse("invalid_code");
        const auto p = it->second;
        i->codes.erase(it);
        if (!p.redirect_uri.empty() && form["redirect_uri"] != p.redirect_uri) return refuse("bad_redirect_uri");
        const auto now = unix_now_seconds();
        json claims = {{"iss", "https://slack.com"},
                       {"sub", p.who.user_id},
                       {"aud", p.spoil == id_token_spoil::other_audience ? "another.app" : i->client_id},
                       {"exp", p.spoil == id_token_spoil::expired ? now - 3600 : now + 3600},
                       {"iat", now},
                       {"auth_time", now},
                       {"nonce", p.spoil == id_token_spoil::other_nonce ? "a-nonce-from-another-sign-in" : p.nonce},
                       {"https://slack.com/user_id", p.who.user_id},
                       {"https://slack.com/team_id", p.who.team_id},
                       {"name", p.who.name},
                       {"email", "person@example.com"}};
        const auto& signer = p.spoil == id_token_spoil::unknown_key ? i->stranger : i->key;
        return loopback_response::with_json(
            200, {{"ok", true}, {"access_token", "xoxp-signin-" + p.who.user_id}, {"token_type", "Bearer"},
                  {"id_token", mint_token(signer, claims)}});
    });
}

fake_slack_openid::~fake_slack_openid() = default;

std::string fake_slack_openid::approve(const std::string& link, const fake_slack_person& who, id_token_spoil spoil) {
    REQUIRE_THAT(link, Catch::StartsWith(openid_url() + "/authorize?"));
    auto q = params_of(link.substr(link.find('?')));
    CHECK(q["response_type"] == "code");
    CHECK(q["scope"] == "openid profile email");
    REQUIRE(q["client_id"] == impl_->client_id);
    REQUIRE_FALSE(q["nonce"].empty());
    std::lock_guard lock(impl_->mutex);
    const auto code = "signin-code-" + std::to_string(++impl_->next);
    impl_->codes[code] = impl::pending{who, q["nonce"], q["redirect_uri"], spoil};
    return "code=" + code + "&state=" + boost::urls::encode(q["state"], boost::urls::unreserved_chars);
}

int fake_slack_openid::token_exchanges() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->exchanges;
}

} // namespace cxos::test
