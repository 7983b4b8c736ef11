// OAuth 2.0's authorization code on the wire, as "Add to Slack" and the dashboard's sign-in (with
// Slack or Microsoft) both use it: the redirect a browser brings back and the token requests.
#include "adapters/oauth/authorization_code.hpp"
#include "adapters/oauth/form_encoding.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cxos::oauth;

namespace {

bool refused(std::string_view query) { return std::holds_alternative<std::string>(decode_authorization_redirect(query)); }

} // namespace

TEST_CASE("a redirect carries a code or an error, and a state of cxos's shape", "[oauth]") {
    auto slack = decode_authorization_redirect("code=1234.5678.abcd&state=q83vEjRW_-");
    REQUIRE(std::holds_alternative<authorization_redirect>(slack));
    CHECK(std::get<authorization_redirect>(slack).code == "1234.5678.abcd");
    CHECK(std::get<authorization_redirect>(slack).state == "q83vEjRW_-");
    auto microsoft = decode_authorization_redirect("code=1.AQ-abc_DEF~x&state=AbC-_09");
    REQUIRE(std::holds_alternative<authorization_redirect>(microsoft));
    CHECK(std::get<authorization_redirect>(microsoft).code == "1.AQ-abc_DEF~x");
    auto cancelled = decode_authorization_redirect("error=access_denied&state=AbC&error_description=The+user+said+no");
    REQUIRE(std::holds_alternative<authorization_redirect>(cancelled));
    CHECK(std::get<authorization_redirect>(cancelled).error == "access_denied");
    CHECK(std::get<authorization_redirect>(cancelled).code.empty());
}

TEST_CASE("a redirect that is not a provider's is refused with a reason", "[oauth]") {
    CHECK(std::get<std::string>(decode_authorization_redirect("code=1234")) == "there is no state");
    CHECK(std::get<std::string>(decode_authorization_redirect("state=abc")) == "it must carry either a code or an error");
    CHECK(std::get<std::string>(decode_authorization_redirect("code=ab&state=%3Cscript")) == "the state is not one cxos makes");
    CHECK(std::get<std::string>(decode_authorization_redirect("code=a%22b&state=abc")) == "the code is not of a provider's shape");
    CHECK(refused("code=ab&error=x&state=abc"));            // both
    CHECK(refused("code=abc&state=a%20b"));                 // a space in the state
    CHECK(refused("code=a%3Cb&state=abc"));                 // markup in the code
    CHECK(refused("error=Access+Denied&state=abc"));        // not an error word
    CHECK(refused("code=a&state=abc&state=def"));           // which state?
    CHECK(refused("code=a&code=b&state=abc"));              // which code?
    CHECK(refused("code=a&state=%FF"));                     // not UTF-8
    CHECK(refused("code=a%ZZ&state=b"));                    // a broken escape
    CHECK(refused("code=a&state=" + std::string(129, 'A'))); // longer than any state cxos makes
    CHECK(refused("code=" + std::string(4097, 'a') + "&state=abc"));
    CHECK_FALSE(refused("code=" + std::string(4096, 'a') + "&state=abc"));
}

TEST_CASE("the token request bodies are the bytes the providers read", "[oauth]") {
    // Microsoft refuses a body without grant_type; Slack's oauth.v2.access and openid.connect.token
    // take the same fields. Only unreserved characters travel unescaped.
    CHECK(authorization_code_body("123.456", "s3cret/+=", "1234.5678.abcd", "https://cxos.example.com/slack/oauth_redirect") ==
          "grant_type=authorization_code&client_id=123.456&client_secret=s3cret%2F%2B%3D&code=1234.5678.abcd"
          "&redirect_uri=https%3A%2F%2Fcxos.example.com%2Fslack%2Foauth_redirect");
    CHECK(authorization_code_body("app-guid", "p w", "1.AQ~x", "") ==
          "grant_type=authorization_code&client_id=app-guid&client_secret=p%20w&code=1.AQ~x");
    CHECK(refresh_token_body("123.456", "s3cret", "xoxe-1-abc") ==
          "grant_type=refresh_token&client_id=123.456&client_secret=s3cret&refresh_token=xoxe-1-abc");
}

TEST_CASE("form decoding keeps the first of a repeated field unless repeats are refused", "[oauth]") {
    auto first = parse_form("a=1&b=x+y%21&a=2");
    REQUIRE(first);
    CHECK(first->at("a") == "1");
    CHECK(first->at("b") == "x y!");
    CHECK_FALSE(parse_form("a=1&a=2", repeated_field::refused));
    CHECK_FALSE(parse_form("a=%G1"));
}

TEST_CASE("a form names at most max_form_fields fields, in any order", "[oauth]") {
    // Fields in descending order, the worst case for a decoder that inserts each in sorted place.
    auto form_of = [](std::size_t n) {
        std::string body;
        for (std::size_t i = n; i > 0; --i) body += (body.empty() ? "" : "&") + ("f" + std::to_string(1000 + i)) + "=v" + std::to_string(i);
        return body;
    };
    auto full = parse_form(form_of(max_form_fields));
    REQUIRE(full);
    CHECK(full->size() == max_form_fields);
    CHECK(full->at("f1001") == "v1");
    CHECK(full->at("f1100") == "v100");
    CHECK(std::is_sorted(full->begin(), full->end(), [](const auto& a, const auto& b) { return a.first < b.first; }));
    CHECK_FALSE(parse_form(form_of(max_form_fields + 1)));
    CHECK_FALSE(parse_form(std::string(max_form_fields * 2, '&'))); // empty fields count too
    // The first of a repeat still wins wherever the repeat stands, and refusing still refuses.
    auto repeated = parse_form("z=1&a=first&m=2&a=second&a=third");
    REQUIRE(repeated);
    CHECK(repeated->at("a") == "first");
    CHECK(repeated->size() == 3);
    CHECK_FALSE(parse_form("z=1&a=first&m=2&a=second", repeated_field::refused));
}
