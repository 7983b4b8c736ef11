#include "bot/slack/slack_outbox_sender.hpp"

#include "bot/core/log.hpp"

namespace cxos::bot {

boost::asio::awaitable<send_outcome> slack_outbox_sender::deliver(const outbox_row& row) {
    auto sent = co_await slack_.deliver(row.d, row.message, row.parent_ref);
    const auto& p = sent.post;
    send_outcome out;
    out.ref = p.ts;
    out.error = p.error;
    out.retry_after_seconds = p.retry_after_seconds;
    out.maybe_posted = p.maybe_posted;
    switch (p.outcome) {
    case slack::post_outcome::sent: out.outcome = send_outcome::kind::sent; break;
    case slack::post_outcome::rate_limited: out.outcome = send_outcome::kind::rate_limited; break;
    case slack::post_outcome::retry: out.outcome = send_outcome::kind::retry; break;
    case slack::post_outcome::dead: out.outcome = send_outcome::kind::dead; break;
    case slack::post_outcome::unauthorized: out.outcome = send_outcome::kind::unauthorized; break;
    }
    co_return out;
}

boost::asio::awaitable<posted_check> slack_outbox_sender::find_posted(const delivery& d) {
    auto found = co_await slack_.find_posted(d);
    posted_check out;
    out.ref = found.ts;
    out.error = found.error;
    if (found.outcome == slack::lookup_outcome::found) out.outcome = posted_check::kind::found;
    else if (found.outcome == slack::lookup_outcome::not_found) out.outcome = posted_check::kind::not_found;
    else if (slack::is_credential_error(found.error)) out.outcome = posted_check::kind::unauthorized;
    else if (!found.permanent) out.outcome = posted_check::kind::unknown;
    else {
        // Reading is impossible for good (a missing scope, a window too busy to read to its end):
        // posting again is the lesser evil.
        const char* hint = found.window_unread
                               ? "the channel was too busy around the attempt to find the post: it may show twice"
                               : "grant channels:history, groups:history and channels:join (im:write and "
                                 "im:history for notices to a person)";
        log_warn("cannot read the channel to confirm an in-doubt delivery; posting again",
                 {{"delivery", d.id}, {"channel", d.channel}, {"error", found.error}, {"hint", hint}});
        out.outcome = posted_check::kind::not_found;
    }
    co_return out;
}

boost::asio::awaitable<platform_sender::credential_check> slack_outbox_sender::check_credentials() {
    auto answer = co_await slack_.check_token();
    co_return credential_check{slack::is_credential_error(answer.error), answer.error};
}

} // namespace cxos::bot
