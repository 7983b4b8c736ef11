#pragma once
// Who acts, where, and whether they belong there: the one question about people that differs by
// platform. Slack asks a channel for its members; Teams shows a channel's cards only to its team,
// so acting in that channel is membership. Services ask through this port and never know which.
#include <boost/asio/awaitable.hpp>

#include <string>

namespace cxos::bot {

struct actor {
    std::string platform; // "slack", "teams", …: the platform the person acted on
    std::string team_id;  // their workspace or tenant
    std::string user_id;
    std::string user_name;
    std::string channel_id; // where they acted; empty when nowhere in particular (a form submitted)
};

struct membership_answer {
    bool member = false;
    std::string error; // why it could not be told (the platform did not answer); nothing was decided
};

class membership {
  public:
    virtual ~membership() = default;
    // Whether `who` belongs to `channel`, a channel of their own platform.
    virtual boost::asio::awaitable<membership_answer> is_member(const actor& who, const std::string& channel) = 0;
};

} // namespace cxos::bot
