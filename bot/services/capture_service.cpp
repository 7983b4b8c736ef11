#include "bot/services/capture_service.hpp"

#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "bot/services/regroup.hpp"
#include "commands/handlers.hpp"
#include "commands/json_text.hpp"
#include "commands/message_json.hpp"

namespace cxos::bot {

std::string capture_service::invoked_as(const signal& s, const app_config& config) const {
    return s.source.platform == "teams" ? "@cxos" : config.slack_command;
}

boost::asio::awaitable<neutral_message> capture_service::log(signal s, const std::vector<std::string>& unknown_tags) {
    // The signal, its item and the posts announcing it commit together: once acknowledged, all survive.
    const auto config = d_.config.get();
    const auto invoked = invoked_as(s, *config);
    // The signal moves into the job and the job, run once, moves it into the record: no copy on
    // either thread (the storage thread is the serial stage under load).
    auto commit = store_call(d_.queue, [s = std::move(s), config, grouping = d_.grouping,
                                        now = d_.clock()](storage::store& st) mutable {
        return record_signal(st, config->journey, std::move(s), now, grouping);
    });
    auto logged = co_await std::move(commit);
    d_.outbox.notify(logged.queued);
    if (log_enabled(log_level::debug))
        log_debug("signal logged", {{"signal", logged.sig.id}, {"item", logged.it.id}, {"owner", logged.it.owner},
                                    {"grouping", std::string(to_string(logged.grouping.verdict))}});
    co_return log_ack(logged, config->journey, d_.holds, unknown_tags, invoked);
}

boost::asio::awaitable<std::optional<neutral_message>> capture_service::log_once(const signal& s, const std::string& event_key,
                                                                                 const std::vector<std::string>& unknown_tags,
                                                                                 const std::optional<delivery>& reply) {
    const auto config = d_.config.get();
    auto commit = store_call(d_.queue, [s, event_key, unknown_tags, reply = std::optional<delivery>(reply), config,
                                        holds = &d_.holds, grouping = d_.grouping, invoked = invoked_as(s, *config),
                                        now = d_.clock()](storage::store& st) mutable {
        std::pair<std::optional<neutral_message>, queued_channels> out;
        auto logged = record_signal_once(st, config->journey, std::move(s), event_key, now, grouping);
        if (!logged) return out;
        out.first = log_ack(*logged, config->journey, *holds, unknown_tags, invoked);
        out.second = logged->queued;
        if (reply) {
            reply->payload = json_text(nlohmann::json(*out.first));
            queue_delivery(st, *reply, out.second);
        }
        return out;
    });
    auto [ack, queued] = co_await std::move(commit);
    if (ack) d_.outbox.notify(queued);
    else log_debug("repeated activity ignored", {{"event", event_key}});
    co_return ack;
}

boost::asio::awaitable<capture_service::form_result> capture_service::log_form(const capture_request& req, source_ref reporter,
                                                                               const std::string& fallback_link,
                                                                               const std::string& event_key) {
    const auto config = d_.config.get();
    auto s = plan_signal(config->journey, req.log, reporter, d_.clock());
    s.customer = req.customer;
    s.link = req.link.empty() ? fallback_link : req.link;
    if (event_key.empty()) {
        auto ack = co_await log(s, req.log.unknown_tags);
        co_return form_result{std::move(ack)};
    }
    const std::optional<delivery> no_reply;
    auto ack = co_await log_once(s, event_key, req.log.unknown_tags, no_reply);
    if (!ack) co_return form_result{std::monostate{}};
    co_return form_result{std::move(*ack)};
}

boost::asio::awaitable<std::vector<capture_service::ingested>> capture_service::ingest(const std::vector<signal>& signals) {
    // The lookup and the insert share one commit on the storage thread, so a replay (in this body,
    // or in a concurrent request) finds the first one and never stores a second.
    auto commit = store_call(d_.queue, [signals, config = d_.config.get(), grouping = d_.grouping,
                                        now = d_.clock()](storage::store& st) {
        std::pair<std::vector<ingested>, queued_channels> out;
        for (const auto& s : signals) {
            if (auto earlier = st.find_signal_by_external_id(s.source.platform, s.external_id)) {
                out.first.push_back({*earlier, true});
                continue;
            }
            auto logged = record_signal(st, config->journey, s, now, grouping);
            out.second.insert(out.second.end(), logged.queued.begin(), logged.queued.end());
            out.first.push_back({logged.sig, false});
        }
        return out;
    });
    auto [results, queued] = co_await std::move(commit);
    d_.outbox.notify(queued);
    co_return results;
}

boost::asio::awaitable<capture_service::regrouped> capture_service::regroup(const regroup_choice& choice,
                                                                           const actor& who) {
    auto commit = store_call(d_.queue, [choice, who, config = d_.config.get(), grouping = d_.grouping,
                                        now = d_.clock()](storage::store& st) {
        return apply_regroup(st, config->journey, grouping, choice, who, now);
    });
    auto done = co_await std::move(commit);
    d_.outbox.notify(done.queued);
    co_return regrouped{std::move(done.answer), std::move(done.channel)};
}

boost::asio::awaitable<void> capture_service::say(const delivery& to, const neutral_message& m, const std::string& event_key) {
    delivery row = to;
    row.payload = json_text(nlohmann::json(m));
    auto queue = store_call(d_.queue, [row, event_key, now = d_.clock()](storage::store& st) {
        queued_channels queued;
        if (event_key.empty() || st.remember_event(event_key, now)) queue_delivery(st, row, queued);
        return queued;
    });
    auto queued = co_await std::move(queue);
    d_.outbox.notify(queued);
}

} // namespace cxos::bot
