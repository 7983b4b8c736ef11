#pragma once
// The Experience Council, for every platform: who counts as a member (the people of the council's
// channel on their platform, asked through the membership port), running and previewing the
// agenda, votes and decisions.
#include "bot/services/council.hpp"
#include "bot/services/membership.hpp"
#include "bot/services/refusal.hpp"
#include "bot/services/service_deps.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace cxos::bot {

class council_service {
  public:
    explicit council_service(service_deps deps) : d_(std::move(deps)) {}

    // Why `who` may not vote, decide or run the council; nothing for a member.
    boost::asio::awaitable<refusal_if_any> check(const actor& who, membership& members);
    // This week's agenda as it would be posted now, only for the asker.
    boost::asio::awaitable<neutral_message> preview();
    // Posts this week's agenda now, if `who` is a member.
    boost::asio::awaitable<neutral_message> run(const actor& who, membership& members);
    // A vote from a button (or a reaction the inbox confirmed), refreshing every card of the item;
    // why not, when `who` is no member.
    boost::asio::awaitable<refusal_if_any> vote(const actor& who, std::int64_t item_id, bool up, membership& members);
    // The Decide… form of an item; nothing when there is no such item.
    boost::asio::awaitable<std::optional<neutral_form>> decide_form_for(std::int64_t item_id);
    // A submitted Decide… form: nothing when decided, else the errors to show on the form.
    boost::asio::awaitable<std::optional<form_errors>> decide(const form_submission& form, const actor& who,
                                                              membership& members);

  private:
    service_deps d_;
};

} // namespace cxos::bot
