// The fake Bot Framework's Entra side of the dashboard's Sign in with Microsoft: the authorize
// page's approval, the authorization_code grant answering an id_token signed by the login key,
// and the Bot Connector's roster lookup that tells cxos who is in a channel.
#include "tests/support/fake_bot_framework.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <catch2/catch.hpp>

namespace cxos::test {

std::string fake_bot_framework::approve_signin(const std::string& link, const std::string& oid, const std::string& tid,
                                               const std::string& name) {
    auto u = boost::urls::parse_uri(link);
    REQUIRE(u);
    std::map<std::string, std::string> q;
    for (auto p : u->params()) q[p.key] = p.value;
    CHECK(q["response_type"] == "code");
    CHECK(q["scope"] == "openid profile email");
    REQUIRE(q["client_id"] == registration_.app_id);
    std::lock_guard lock(mutex_);
    const std::string code = "0.AQ-signin-" + std::to_string(signin_codes_.size() + 1);
    signin_codes_[code] = signin_code{oid, tid, name, q["nonce"], q["redirect_uri"]};
    return "code=" + code + "&state=" + boost::urls::encode(q["state"], boost::urls::unreserved_chars) +
           "&session_state=00000000-0000-0000-0000-000000000001";
}

void fake_bot_framework::set_roster(const std::string& channel, std::vector<std::string> oids, const std::string& region) {
    std::lock_guard lock(mutex_);
    rosters_[{region, channel}] = std::move(oids);
}

loopback_response fake_bot_framework::signin_token(const std::string& tenant, std::map<std::string, std::string>& form) {
    if (form["client_id"] != registration_.app_id || form["client_secret"] != registration_.app_password)
        return loopback_response::with_json(401, {{"error", "invalid_client"}, {"error_description", "AADSTS7000215"}});
    auto it = signin_codes_.find(form["code"]);
    if (it == signin_codes_.end())
        return loopback_response::with_json(400, {{"error", "invalid_grant"}, {"error_description", "AADSTS70008"}});
    const auto c = it->second;
    signin_codes_.erase(it);
    if (!c.redirect_uri.empty() && form["redirect_uri"] != c.redirect_uri)
        return loopback_response::with_json(400, {{"error", "invalid_grant"}, {"error_description", "AADSTS50011"}});
    (void)tenant;
    const auto now = unix_now_seconds();
    const nlohmann::json claims = {{"iss", "https://login.microsoftonline.com/" + c.tid + "/v2.0"},
                                   {"aud", registration_.app_id},
                                   {"exp", now + 3600},
                                   {"iat", now},
                                   {"nbf", now},
                                   {"nonce", c.nonce},
                                   {"tid", c.tid},
                                   {"oid", c.oid},
                                   {"name", c.name},
                                   {"preferred_username", "person@example.com"}};
    const auto key = std::find_if(keys_.begin(), keys_.end(), [&](const test_signing_key& k) { return k.kid == signing_kid_; });
    return loopback_response::with_json(200, {{"token_type", "Bearer"}, {"expires_in", 3599},
                                              {"access_token", "fake-signin-access"}, {"id_token", mint_token(*key, claims)}});
}

loopback_response fake_bot_framework::roster_member(const std::string& region, const std::string& channel,
                                                     const std::string& member) {
    auto it = rosters_.find({region, channel});
    if (it != rosters_.end() && std::find(it->second.begin(), it->second.end(), member) != it->second.end())
        return loopback_response::with_json(200, {{"id", "29:" + member}, {"objectId", member}, {"name", "member"}});
    return loopback_response::with_json(404, {{"error", {{"code", "MemberNotFound"}, {"message", "The member was not found."}}}});
}

} // namespace cxos::test
