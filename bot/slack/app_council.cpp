// The Experience Council from chat: `council preview` / `council run`, the vote buttons and the
// Decide… modal on agenda replies, and vote reactions (queued like flag reactions, then counted).
#include "adapters/slack/interactions.hpp"
#include "commands/json_text.hpp"
#include "bot/app.hpp"
#include "bot/services/council.hpp"
#include "bot/core/log.hpp"
#include "bot/core/store_call.hpp"

namespace cxos::bot {

namespace {

http_response form_errors_response(const form_errors& errors) { return json_answer(slack::render_form_errors(errors)); }

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

boost::asio::awaitable<std::string> app::council_refusal(const std::string& user) {
    const auto& council = s_.config.council;
    if (!council.enabled())
        co_return "The Experience Council is not set up: add `council.slack_channel` to the cxos config.";
    if (council.slack_channel.empty()) co_return "The council meets in Teams: run and vote from its channel there.";
    auto member = co_await s_.slack.is_member(council.slack_channel, user);
    if (member.error == "not_a_member")
        co_return "Only members of the council channel " + channel_mention(council.slack_channel, "in Slack") +
            " vote, decide and run the council.";
    if (!member.error.empty())
        co_return "cxos could not check the council channel's members (" + member.error + "); nothing was changed.";
    co_return std::string();
}

boost::asio::awaitable<command_reply> app::council_reply(const council_command& cmd, const source_ref& from) {
    const auto& council = s_.config.council;
    if (!council.enabled()) {
        co_return command_reply{error_note("No council", "The Experience Council is not set up: add "
                                                         "`council.slack_channel` (and a schedule) to the cxos config."),
                                {}};
    }
    const millis now = s_.clock();
    const auto week = week_of(council.schedule, now);
    if (cmd.verb == council_verb::preview) {
        auto read = store_call(s_.queue, [council = &council, week, now](storage::store& st) {
            return read_agenda(st, *council, week, now);
        });
        auto agenda = co_await std::move(read);
        co_return command_reply{render_council_preview(agenda.summary, agenda.entries), {}};
    }
    std::string refusal;
    if (from.platform == "teams")
        refusal = from.channel_id == council.teams_channel && !council.teams_channel.empty()
                      ? ""
                      : "Only the council's Teams channel can run the council from Teams.";
    else refusal = co_await council_refusal(from.user_id);
    if (!refusal.empty()) {
        co_return command_reply{error_note("Not posted", refusal), {}};
    }
    council_request req{"manual", from.user_id, week, false};
    auto post = store_call(s_.queue, [req, council = &council, now](storage::store& st) {
        return post_council(st, *council, req, now);
    });
    auto posted = co_await std::move(post);
    s_.outbox.notify(posted.queued);
    log_info("council agenda posted", {{"week", week.key}, {"items", posted.items}, {"trigger", "manual"}});
    neutral_message m;
    m.title = "Council agenda posted";
    m.text = "Week " + std::to_string(week.number) + ": " + plural(posted.items, "item") + " in " +
             (council.slack_channel.empty() ? std::string("the council's Teams channel") : "<#" + council.slack_channel + ">") +
             ", one thread reply each.";
    co_return command_reply{m, {}};
}

boost::asio::awaitable<http_response> app::council_click(const slack::block_action& click) {
    const std::int64_t item_id = parse_id(click.value).value_or(0);
    const auto& council = s_.config.council;
    if (click.action_id == council_action_ids::decide) {
        // The modal must open within Slack's 3 seconds: membership is checked on submit.
        auto read = store_call(s_.queue, [item_id](storage::store& st) { return st.find_item_summary(item_id); });
        auto it = co_await std::move(read);
        if (!it) co_return text_response(200, "");
        auto form = decide_form(*it, s_.config.journey, s_.clock());
        auto opened = co_await s_.slack.open_view(click.trigger_id, form);
        if (!opened.error.empty()) {
            const auto why = error_note("Not changed", "cxos could not open the form (" + opened.error + ").");
            co_await tell(click.channel_id, click.by.user_id, why);
        }
        co_return text_response(200, "");
    }
    if (auto refusal = co_await council_refusal(click.by.user_id); !refusal.empty()) {
        const auto why = error_note("Not counted", refusal);
        co_await tell(click.channel_id.empty() ? council.slack_channel : click.channel_id, click.by.user_id, why);
        co_return text_response(200, "");
    }
    vote v{item_id, "slack", click.by.user_id, click.action_id == council_action_ids::prioritise ? 1 : -1, "button",
           s_.clock()};
    auto refreshes = co_await commit_vote(v);
    log_debug("council vote", {{"item", item_id}, {"value", v.value}, {"refreshes", refreshes}});
    co_return text_response(200, "");
}

boost::asio::awaitable<std::size_t> app::commit_vote(const vote& v) {
    auto write = store_call(s_.queue, [v](storage::store& st) { return record_vote(st, v, v.at); });
    auto queued = co_await std::move(write);
    s_.outbox.notify(queued);
    co_return queued.size();
}

boost::asio::awaitable<decision_outcome> app::commit_decision(const decision_request& req, const std::string& actor) {
    auto apply = store_call(s_.queue, [req, actor, journey = &s_.config.journey, now = s_.clock()](storage::store& st) {
        queued_channels queued;
        auto out = record_decision(st, *journey, req, actor, now, queued);
        return std::pair{out, queued};
    });
    auto [outcome, queued] = co_await std::move(apply);
    s_.outbox.notify(queued);
    co_return outcome;
}

boost::asio::awaitable<http_response> app::council_decide(const slack::view_submitted& submitted) {
    const millis now = s_.clock();
    auto read = read_decision(submitted.form, s_.config.journey, now);
    if (auto* errors = std::get_if<form_errors>(&read)) co_return form_errors_response(*errors);
    auto req = std::get<decision_request>(read);
    if (auto refusal = co_await council_refusal(submitted.by.user_id); !refusal.empty())
        co_return form_errors_response({{"decision", refusal}});
    auto outcome = co_await commit_decision(req, submitted.by.user_id);
    if (!outcome.changed) co_return form_errors_response({{"decision", outcome.explanation}});
    co_return text_response(200, ""); // closes the modal
}

boost::asio::awaitable<bool> app::queue_vote_reaction(const slack::reaction_event& r) {
    const auto& council = s_.config.council;
    if (!council.enabled() || r.channel_id != council.slack_channel) co_return false;
    const int value = listed(council.prioritise_reactions, r.reaction) ? 1
                      : listed(council.not_now_reactions, r.reaction)  ? -1
                                                                        : 0;
    if (value == 0) co_return false;
    storage::inbox_row row;
    row.platform = "slack";
    row.kind = "slack.vote";
    row.payload = json_text(nlohmann::json{{"user", r.user_id}, {"channel", r.channel_id}, {"ts", r.message_ts},
                                 {"value", value}, {"added", r.added}});
    const std::string key = "slack:" + (r.event_id.empty() ? r.channel_id + ":" + r.message_ts + ":" + r.user_id + ":" +
                                                                 (r.added ? "+" : "-") + r.reaction
                                                           : r.event_id);
    co_await queue_event(std::move(row), key);
    co_return true;
}

} // namespace cxos::bot
