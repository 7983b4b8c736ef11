#include "bot/slack/inbox_worker.hpp"

#include "bot/services/council.hpp"
#include "bot/services/intake.hpp"
#include "bot/core/log.hpp"
#include "bot/services/service_deps.hpp"
#include "bot/core/store_call.hpp"
#include "commands/handlers.hpp"
#include "commands/json_text.hpp"
#include "commands/item_views.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace cxos::bot {

namespace asio = boost::asio;

namespace {

constexpr int max_attempts = 8;
constexpr int permalink_attempts = 3;
constexpr millis poll_interval = 2000;

// The flagged message's words as a description, tags parsed like typed ones. A message longer
// than a description may be is shortened here; the permalink keeps the whole of it.
log_command describe(const std::string& text, const journey_config& journey) {
    auto parsed = parse_command("log " + text, journey);
    if (auto* log = std::get_if<log_command>(&parsed)) return *log;
    log_command fallback;
    fallback.description = fit_description(text, "...");
    return fallback;
}

} // namespace

inbox_worker::inbox_worker(asio::any_io_executor ex, storage::commit_queue& queue, slack_sender& slack,
                           outbox_doorbell& outbox, const delivery_holds& holds, const live_config& config,
                           std::function<millis()> clock, grouping_index* grouping)
    : executor_(ex), queue_(queue), slack_(slack), outbox_(outbox), holds_(holds), config_(config),
      clock_(std::move(clock)), grouping_(grouping),
      wake_(ex) {}

void inbox_worker::start() { asio::co_spawn(executor_, loop(), asio::detached); }

void inbox_worker::notify() {
    woken_ = true;
    wake_.cancel();
}

void inbox_worker::stop() {
    stopping_ = true;
    wake_.cancel();
}

asio::awaitable<void> inbox_worker::loop() {
    while (!stopping_) {
        woken_ = false;
        running_ = true;
        std::vector<storage::inbox_row> due;
        try {
            // One instance works the inbox (any may have stored the event): the events of one
            // message are applied in order, each seeing the one before.
            auto read = store_call(queue_, [now = clock_()](storage::store& st) {
                return st.try_lead("inbox") ? st.due_inbox(now, 32) : std::vector<storage::inbox_row>{};
            });
            due = co_await std::move(read);
        } catch (const std::exception& e) {
            log_warn("inbox poll failed", {{"error", e.what()}});
        }
        // One at a time: a second flag on the same message must see the first one's signal.
        for (auto& row : due) {
            try {
                co_await process(row);
            } catch (const std::exception& e) {
                log_error("inbox event failed", {{"error", e.what()}});
            }
        }
        running_ = false;
        found_work_ = !due.empty();
        if (stopping_ || woken_ || due.size() == 32) continue;
        wake_.expires_after(std::chrono::milliseconds(poll_interval));
        co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> inbox_worker::retry_later(storage::inbox_row row, millis now, std::string why) {
    row.attempts += 1;
    row.state = row.attempts >= max_attempts ? "dead" : "pending";
    row.next_attempt_at = now + (1000LL << std::min(row.attempts, 8));
    row.last_error = std::move(why);
    auto save = store_call(queue_, [row](storage::store& st) {
        st.update_inbox(row);
        return true;
    });
    co_await std::move(save);
}

asio::awaitable<void> inbox_worker::process_vote(const storage::inbox_row& row_in) {
    auto row = row_in;
    auto event = nlohmann::json::parse(row.payload, nullptr, false);
    const std::string channel = text_of(event, "channel"), ts = text_of(event, "ts"), user = text_of(event, "user");
    // Rows queued before workspaces were recorded name none: the council's own workspace then.
    const auto config = config_.get();
    const auto& council = config->council;
    const std::string team = text_of(event, "team").empty() ? council.slack_workspace : text_of(event, "team");
    const int value = event.is_object() ? event.value("value", 0) : 0;
    const bool added = event.is_object() && event.value("added", false);
    const millis now = clock_();
    auto member = co_await slack_.is_member(team, council.slack_channel, user);
    if (!member.error.empty() && member.error != "not_a_member") {
        // Slack could not tell us: try again later rather than miscount.
        co_await retry_later(row, now, "cannot read the council channel's members: " + member.error);
        co_return;
    }
    const bool counts = member.error.empty();
    auto apply = store_call(queue_, [=, id = row.id](storage::store& st) {
        queued_channels queued;
        if (auto entry = st.find_council_entry_by_message("slack", channel, ts); entry && counts) {
            vote v{entry->item_id, "slack", user, value, "reaction", now};
            queued = added ? record_vote(st, v, now) : withdraw_vote(st, v, now);
        } else if (entry && added) {
            const auto note = error_note("Not counted", "Only members of the council channel vote; your reaction "
                                                        "was not counted.");
            auto notice = ephemeral_for("slack", channel, user, note, now);
            notice.workspace = team;
            queue_delivery(st, notice, queued);
        }
        storage::inbox_row done{id, "slack", "slack.vote", "", "done", 0, 0, ""};
        st.update_inbox(done);
        return queued;
    });
    auto queued = co_await std::move(apply);
    outbox_.notify(queued);
}

asio::awaitable<void> inbox_worker::process(const storage::inbox_row& row_in) {
    if (row_in.kind == "slack.vote") {
        co_await process_vote(row_in);
        co_return;
    }
    auto row = row_in;
    auto event = nlohmann::json::parse(row.payload, nullptr, false);
    const std::string channel = text_of(event, "channel"), ts = text_of(event, "ts"), user = text_of(event, "user");
    const millis now = clock_();

    // A later flag on a message already logged adds a reporter, not a signal.
    auto join = store_call(queue_, [channel, ts, user, id = row.id, now](storage::store& st) {
        std::optional<std::pair<item, queued_channels>> out;
        auto earlier = st.find_signal_by_message("slack", channel, ts);
        if (!earlier) return out;
        queued_channels queued;
        auto it = st.find_item(earlier->item_id);
        if (st.add_reporter(earlier->id, "slack", user, now) && it) refresh_item_posts(st, *it, now, queued);
        storage::inbox_row done{id, "slack", "slack.reaction", "", "done", 0, 0, ""};
        st.update_inbox(done);
        if (it) out.emplace(*st.find_item(it->id), queued);
        return out;
    });
    auto joined = co_await std::move(join);
    if (joined) {
        outbox_.notify(joined->second);
        co_return;
    }

    const std::string team = text_of(event, "team");
    auto message = co_await slack_.fetch_message(team, channel, ts);
    std::string link;
    if (message) link = co_await slack_.permalink(team, channel, ts);
    // Without its permalink the signal would lose its source for good: try again a few times.
    if (!message || (link.empty() && row.attempts < permalink_attempts)) {
        log_warn("flagged message not readable", {{"channel", channel}, {"attempts", row.attempts + 1}});
        co_await retry_later(row, now, message ? "cannot get the flagged message's permalink"
                                               : "cannot read the flagged message; invite cxos to the channel");
        co_return;
    }
    source_ref from{"slack", team, channel, user, "", ts, message->thread_ts, link};
    const auto config = config_.get();
    auto s = plan_signal(config->journey, describe(message->text, config->journey), from, now);
    auto record = store_call(queue_, [s, id = row.id, config, holds = &holds_, grouping = grouping_,
                                      now](storage::store& st) {
        auto logged = record_signal(st, config->journey, s, now, grouping);
        auto ack = ephemeral_for("slack", s.source.channel_id, s.source.user_id,
                                 log_ack(logged, config->journey, *holds), now);
        ack.workspace = s.source.team_id;
        queue_delivery(st, ack, logged.queued);
        storage::inbox_row done{id, "slack", "slack.reaction", "", "done", 0, 0, ""};
        st.update_inbox(done);
        return logged.queued;
    });
    auto queued = co_await std::move(record);
    outbox_.notify(queued);
}

} // namespace cxos::bot
