#pragma once
// Slack's side of "Sign in with Slack" (OpenID Connect) on a fake_slack: what the authorize page
// does when a person approves (a single-use code bound to the link's nonce and redirect URI),
// `openid.connect.token` on the fake's Web API (client credentials, code and redirect URI
// checked; an id_token signed RS256 by a key generated in-process) and the JWKS the id_token
// verifies against. (cxos verifies the id_token and needs no openid.connect.userInfo.)
#include "tests/support/fake_slack.hpp"

#include <memory>
#include <string>

namespace cxos::test {

struct fake_slack_person {
    std::string team_id, user_id, name;
};

// How the id_token is spoiled, for the refusals cxos must make.
enum class id_token_spoil { none, other_nonce, other_audience, expired, unknown_key };

class fake_slack_openid {
  public:
    fake_slack_openid(fake_slack& web, std::string client_id, std::string client_secret);
    ~fake_slack_openid();

    // config's dashboard.slack_openid_url: {this}/authorize is only compared, {this}/keys served.
    std::string openid_url() const { return web_.api_url() + "/openid"; }
    // A person approves the sign-in `link` (where cxos's start page sent the browser): checks it
    // asks this app for openid with a code, and returns the callback's query ("code=…&state=…").
    std::string approve(const std::string& link, const fake_slack_person& who,
                        id_token_spoil spoil = id_token_spoil::none);
    int token_exchanges() const; // openid.connect.token calls, answered or refused

  private:
    struct impl;
    fake_slack& web_;
    std::shared_ptr<impl> impl_;
};

} // namespace cxos::test
