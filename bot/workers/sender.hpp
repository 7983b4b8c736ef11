#pragma once
// One chat platform as the outbox sees it. The wiring registers one sender per configured
// platform; each owns how it posts, its pace, what a row needs before it can go (prepared on the
// storage thread), and its policy for a post left in doubt. The outbox knows no platform.
#include "commands/domain.hpp"
#include "commands/message.hpp"
#include "storage/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace cxos::bot {

// What became of one attempt.
struct send_outcome {
    enum class kind {
        sent,         // `ref` names what was posted
        rate_limited, // wait `retry_after_seconds` before this channel again
        retry,        // failed for now: back off and try again
        dead,         // no retry can fix it for this row (the channel is gone, the bot is not in it)
        unauthorized, // the platform refused cxos's credentials: nothing was posted, for any row
    };
    kind outcome = kind::retry;
    std::string ref;   // the platform's reference of the message (Slack's ts, Teams' "conversation|activity")
    std::string error; // the platform's error, never a secret
    std::int64_t retry_after_seconds = 0; // rate_limited: what the platform asked; 0 when it did not say
    bool maybe_posted = false; // the attempt may have taken effect: ask before posting again

    // How long a rate-limited channel waits: what the platform asked, from a second to an hour
    // whatever it asked (a wild Retry-After can neither overflow nor park a channel for years);
    // when it did not say, `backoff`, as after a failure (Microsoft asks for exponential backoff).
    millis pause(millis backoff) const;
};

// Whether a post left in doubt reached the platform.
struct posted_check {
    enum class kind {
        found,         // it did: `ref` names it
        not_found,     // it did not (or the platform cannot tell: then posting again is the policy)
        unknown,       // cannot tell now: ask again later rather than risk a duplicate
        unauthorized,  // the platform refused cxos's credentials: wait for a working token
    };
    kind outcome = kind::not_found;
    std::string ref;
    std::string error;
};

// A due row with everything needed to send it, read in the same store call that claimed it.
struct outbox_row {
    delivery d;
    neutral_message message;
    std::string parent_ref; // item_update: the message it edits
    std::shared_ptr<const void> context; // what the row's sender prepared for it
};

// What a row needs before it can be sent, decided on the storage thread.
struct send_preparation {
    std::shared_ptr<const void> context;
    millis wait_ms = 0;      // > 0: not yet (retried then), saying `reason`
    std::string dead_reason; // not empty: it can never be sent
    std::string reason;
};

class platform_sender {
  public:
    virtual ~platform_sender() = default;
    virtual std::string_view platform() const = 0;
    // Posts per second and burst, per channel (or conversation).
    virtual double rate() const = 0;
    virtual double burst() const = 0;
    // On the storage thread, in the poll's transaction.
    virtual send_preparation prepare(storage::store&, const delivery&) const { return {}; }
    virtual boost::asio::awaitable<send_outcome> deliver(const outbox_row& row) = 0;
    // A post left in doubt by a crash, a lost answer or a 5xx: did it arrive?
    virtual boost::asio::awaitable<posted_check> find_posted(const delivery& d) = 0;
    // Whether the platform accepts cxos's credentials now: empty when it does, else its error;
    // `refused` tells a refused credential from a platform that did not answer.
    struct credential_check {
        bool refused = false;
        std::string error;
    };
    virtual boost::asio::awaitable<credential_check> check_credentials() = 0;
};

} // namespace cxos::bot
