#include "bot/services/council_service.hpp"

#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"
#include "commands/item_views.hpp"

namespace cxos::bot {

boost::asio::awaitable<refusal_if_any> council_service::check(const actor& who, membership& members) {
    const auto config = d_.config.get(); // held across the membership check: `channel` points into it
    const auto& council = config->council;
    if (!council.enabled())
        co_return refusal{refusal_reason::council_off, "The Experience Council is not set up: add "
                                                       "`council.slack_channel` or `council.teams_channel` to the "
                                                       "cxos config."};
    const std::string& channel = council.channel_on(who.platform);
    if (channel.empty())
        co_return refusal{refusal_reason::wrong_channel,
                          "The council meets elsewhere: vote, decide and run it from its channel there."};
    auto member = co_await members.is_member(who, channel);
    if (!member.error.empty())
        co_return refusal{refusal_reason::membership_unknown, "cxos could not check the council channel's members (" +
                                                                  member.error + "); nothing was changed."};
    if (!member.member)
        co_return refusal{refusal_reason::not_member,
                          "Only members of the council channel " + channel_mention(channel, "(the council's channel)") +
                              " vote, decide and run the council, and only in the council's channel."};
    co_return std::nullopt;
}

boost::asio::awaitable<neutral_message> council_service::preview() {
    const auto config = d_.config.get();
    const millis now = d_.clock();
    auto read = store_call(d_.queue, [config, week = week_of(config->council.schedule, now), now](storage::store& st) {
        return read_agenda(st, config->council, week, now);
    });
    auto agenda = co_await std::move(read);
    co_return render_council_preview(agenda.summary, agenda.entries);
}

boost::asio::awaitable<neutral_message> council_service::run(const actor& who, membership& members) {
    const auto config = d_.config.get();
    const auto& council = config->council;
    if (auto why = co_await check(who, members)) co_return error_note("Not posted", why->text);
    const millis now = d_.clock();
    const auto week = week_of(council.schedule, now);
    council_request req{"manual", who.user_id, week, false};
    auto post = store_call(d_.queue, [req, config, now](storage::store& st) {
        return post_council(st, config->council, req, now);
    });
    auto posted = co_await std::move(post);
    d_.outbox.notify(posted.queued);
    log_info("council agenda posted", {{"week", week.key}, {"items", posted.items}, {"trigger", "manual"}});
    const std::string& where = council.slack_channel.empty() ? council.teams_channel : council.slack_channel;
    neutral_message m;
    m.title = "Council agenda posted";
    m.text = "Week " + std::to_string(week.number) + ": " + plural(posted.items, "item") + " in " +
             channel_mention(where, "the council's channel") + ", one thread reply each.";
    co_return m;
}

boost::asio::awaitable<refusal_if_any> council_service::vote(const actor& who, std::int64_t item_id, bool up,
                                                             membership& members) {
    if (auto why = co_await check(who, members)) co_return why;
    cxos::vote v{item_id, who.platform, who.user_id, up ? 1 : -1, "button", d_.clock()};
    auto write = store_call(d_.queue, [v](storage::store& st) { return record_vote(st, v, v.at); });
    auto queued = co_await std::move(write);
    d_.outbox.notify(queued); // every copy of the item's card shows the new tally
    log_debug("council vote", {{"item", item_id}, {"value", v.value}, {"refreshes", queued.size()}});
    co_return std::nullopt;
}

boost::asio::awaitable<std::optional<neutral_form>> council_service::decide_form_for(std::int64_t item_id) {
    auto read = store_call(d_.queue, [item_id](storage::store& st) { return st.find_item_summary(item_id); });
    auto it = co_await std::move(read);
    if (!it) co_return std::nullopt;
    const auto config = d_.config.get();
    co_return decide_form(*it, config->journey, d_.clock());
}

boost::asio::awaitable<std::optional<form_errors>> council_service::decide(const form_submission& form, const actor& who,
                                                                           membership& members) {
    const millis now = d_.clock();
    const auto config = d_.config.get();
    auto read = read_decision(form, config->journey, now);
    if (auto* errors = std::get_if<form_errors>(&read)) co_return *errors;
    if (auto why = co_await check(who, members)) co_return form_errors{{"decision", why->text}};
    auto apply = store_call(d_.queue, [req = std::get<decision_request>(read), actor = who.user_id,
                                       config, now](storage::store& st) {
        queued_channels queued;
        auto out = record_decision(st, config->journey, req, actor, now, queued);
        return std::pair{out, queued};
    });
    auto [outcome, queued] = co_await std::move(apply);
    d_.outbox.notify(queued);
    if (!outcome.changed) co_return form_errors{{"decision", outcome.explanation}};
    co_return std::nullopt;
}

} // namespace cxos::bot
