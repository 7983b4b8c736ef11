#include "bot/services/command_service.hpp"

#include "bot/core/store_call.hpp"
#include "commands/grouping_feedback.hpp"
#include "commands/handlers.hpp"
#include "commands/item_views.hpp"
#include "commands/routing_suggestions.hpp"

namespace cxos::bot {

actor actor_of(const source_ref& from) {
    return actor{from.platform, from.team_id, from.user_id, from.user_name, from.channel_id};
}

boost::asio::awaitable<kpi_figures> read_kpis(const service_deps& d, kpi_filter f, bool with_signals) {
    // The figures are computed on the storage thread: the rows cross to the io thread only when asked.
    auto read = store_call(d.queue, [f, with_signals, config = d.config.get(), now = d.clock()](storage::store& st) {
        kpi_figures out;
        out.signals = st.kpi_signals();
        const auto items = st.kpi_items();
        out.report = compute_kpis(items, out.signals, f, config->journey.stages, config->economics, now);
        out.outcomes = compute_outcomes(items, out.signals, f, config->items, config->economics, now);
        if (!with_signals) out.signals.clear();
        return out;
    });
    auto figures = co_await std::move(read);
    co_return figures;
}

item_outcome outcome_of_item(storage::store& st, const item& it, const app_config& config, millis now) {
    item_history h{it, st.signals_of_item(it.id), st.audit_of_item(it.id), st.votes_of_item(it.id),
                   st.loop_notices_of_item(it.id)};
    return outcome_of(h, config.items, config.economics, now);
}

neutral_message command_service::dashboard_link() const {
    neutral_message m;
    m.title = "Dashboard";
    if (!dashboard_on_) {
        m.text = "The dashboard is off: whoever runs cxos turns it on by setting CXOS_DASHBOARD_TOKEN.";
    } else if (const auto config = d_.config.get(); config->public_url.empty()) {
        m.text = "The dashboard is on at `/dashboard` of this cxos server; set `public_url` in the config "
                 "so this answer can give the full link.";
    } else {
        m.text = config->public_url + "/dashboard"; // the title already says what it is
        m.context = "Ask whoever runs cxos for the access token.";
    }
    return m;
}

command command_service::command_of_choice(std::string_view action_id, const std::string& value) const {
    // "Log it as friction" logs the text as typed, with no second question; "Run …" runs the suggestion.
    const auto config = d_.config.get();
    auto cmd = action_id == confirm_actions::log ? parse_report(value, config->journey)
                                                 : parse_command(value, config->journey);
    if (std::holds_alternative<confirm_command>(cmd)) cmd = parse_report(value, config->journey);
    return cmd;
}

boost::asio::awaitable<bool> command_service::choose_once(const std::string& prompt,
                                                         const std::function<boost::asio::awaitable<bool>()>& choose) {
    if (!prompt.empty()) {
        auto remember = store_call(d_.queue, [prompt, now = d_.clock()](storage::store& st) {
            return st.remember_event(prompt, now);
        });
        if (!co_await std::move(remember)) co_return false;
    }
    std::exception_ptr failed;
    bool done = false;
    try {
        done = co_await choose();
    } catch (...) {
        failed = std::current_exception();
    }
    if ((failed || !done) && !prompt.empty()) {
        auto forget = store_call(d_.queue, [prompt](storage::store& st) {
            st.forget_event(prompt);
            return true;
        });
        co_await std::move(forget);
    }
    if (failed) std::rethrow_exception(failed);
    co_return true;
}

neutral_message command_service::choice_already_made() {
    neutral_message m;
    m.text = "Already answered: this prompt's first choice is the one cxos acts on.";
    return m;
}

boost::asio::awaitable<command_reply> command_service::confirm(std::string_view action_id, const std::string& value,
                                                               const source_ref& from, std::string_view invoked_as,
                                                               membership& members) {
    // GCC 12 may destroy a temporary inside a co_await expression twice: arguments are named.
    const auto cmd = command_of_choice(action_id, value);
    auto reply = co_await run(cmd, from, invoked_as, members);
    co_return reply;
}

boost::asio::awaitable<capture_service::regrouped> command_service::choose_grouping(std::string_view action_id,
                                                                                    const std::string& value,
                                                                                    const source_ref& from) {
    auto choice = regroup_choice_of(action_id, value);
    if (!choice) co_return capture_service::regrouped{error_note("Not changed", "cxos did not recognise that button."), ""};
    const auto who = actor_of(from);
    auto done = co_await capture_.regroup(*choice, who);
    co_return done;
}

boost::asio::awaitable<neutral_message> command_service::stats_reply(const stats_command& stats) {
    // Grouping's figures and the routing suggestions come from their own rows, beside the KPIs.
    constexpr millis weeks_shown = 8LL * 7 * 24 * 3600 * 1000;
    const auto config = d_.config.get();
    if (stats.topic == "grouping") {
        auto read = store_call(d_.queue, [since = d_.clock() - weeks_shown](storage::store& st) {
            return grouping_weeks(st.grouping_events(since), since);
        });
        auto weeks = co_await std::move(read);
        co_return render_grouping_stats(weeks, config->grouping.thresholds);
    }
    kpi_filter f;
    f.owner = stats.owner;
    f.stage = stats.stage;
    auto read = read_kpis(d_, f);
    auto figures = co_await std::move(read);
    const auto& report = figures.report;
    if (stats.topic == "routing") {
        auto advice = store_call(d_.queue, [config](storage::store& st) {
            return suggest_routing_rules(st.reroutes(), config->journey, config->grouping.language,
                                         config->routing_suggest_after_reroutes);
        });
        auto suggestions = co_await std::move(advice);
        auto m = render_routing_stats(report.routing);
        add_rule_suggestions(m, suggestions);
        co_return m;
    }
    if (stats.topic == "loops") co_return render_closed_loop_stats(report.loops);
    if (stats.topic == "health") co_return render_health(figures.outcomes.health);
    auto scope = !f.owner.empty() ? f.owner : f.stage.empty() ? std::string() : "stage " + f.stage;
    auto message = render_kpi_stats(report, config->economics, scope);
    if (report.signals > 0) add_outcome_fields(message, figures.outcomes.fixes, config->economics);
    co_return message;
}

boost::asio::awaitable<command_reply> command_service::run(const command& cmd, const source_ref& from,
                                                           std::string_view invoked_as, membership& members) {
    const auto config = d_.config.get();
    const auto& journey = config->journey;
    if (std::holds_alternative<help_command>(cmd)) co_return command_reply{render_help(journey, invoked_as), {}};
    if (std::holds_alternative<capture_form_command>(cmd))
        co_return command_reply{{}, capture_form(journey, capture_context{from.channel_id, "", "", "", ""})};
    if (auto* bad = std::get_if<invalid_command>(&cmd)) co_return command_reply{render_invalid(*bad), {}};
    if (auto* confirm = std::get_if<confirm_command>(&cmd)) co_return command_reply{render_confirm(*confirm, invoked_as), {}};
    if (auto* status = std::get_if<status_command>(&cmd)) {
        // An item is visible from a workspace that reported it, nowhere else.
        auto lookup = store_call(d_.queue, [id = status->item_id, from, config, now = d_.clock()](storage::store& st) {
            std::optional<item_status_view> out;
            auto it = st.find_item(id);
            // A merged item's reports moved to the item it duplicates: that one decides.
            const auto reported = it ? it->status == item_status::duplicate ? it->duplicate_of : id : 0;
            auto first = reported ? st.first_signal_from(reported, from.platform, from.team_id) : std::nullopt;
            if (!first) return out;
            out.emplace();
            out->it = *it;
            out->first_signal = reported == id ? *first : 0;
            for (auto post : {it->routed_delivery_id, it->mirror_delivery_id})
                if (auto d = post ? st.find_delivery(post) : std::nullopt) out->posts.push_back(*d);
            // Its golden thread: what happened, whether the fix held, what it cost and saved.
            const auto outcome = outcome_of_item(st, *it, *config, now);
            if (outcome.fix) out->fix = describe_fix(*outcome.fix, config->economics);
            out->cost = describe_cost(outcome, config->economics);
            out->thread = render_thread(outcome.thread, 20);
            return out;
        });
        auto found = co_await std::move(lookup);
        co_return command_reply{render_status(found, status->item_id, journey), {}};
    }
    if (auto* plus = std::get_if<plus_one_command>(&cmd)) {
        auto count = store_call(d_.queue, [id = plus->item_id, from, now = d_.clock()](storage::store& st) {
            std::pair<std::optional<item>, std::optional<intake_result>> out;
            out.second = record_plus_one(st, id, from, now);
            out.first = out.second ? std::optional<item>(out.second->it) : st.find_item(id);
            return out;
        });
        auto [it, counted] = co_await std::move(count);
        if (counted) d_.outbox.notify(counted->queued);
        co_return command_reply{render_plus_one_ack(it, plus->item_id, counted.has_value()), {}};
    }
    if (auto* stats = std::get_if<stats_command>(&cmd)) {
        auto answer = co_await stats_reply(*stats);
        co_return command_reply{std::move(answer), {}};
    }
    if (auto* regroup = std::get_if<regroup_command>(&cmd)) {
        const auto choice = regroup_choice_of(*regroup);
        const auto who = actor_of(from);
        auto done = co_await capture_.regroup(choice, who);
        co_return command_reply{std::move(done.answer), {}};
    }
    if (std::holds_alternative<dashboard_command>(cmd)) co_return command_reply{dashboard_link(), {}};
    if (auto* council = std::get_if<council_command>(&cmd)) {
        if (!config->council.enabled())
            co_return command_reply{error_note("No council", "The Experience Council is not set up: add "
                                                             "`council.slack_channel` (and a schedule) to the cxos config."),
                                    {}};
        if (council->verb == council_verb::preview) {
            auto preview = co_await council_.preview();
            co_return command_reply{std::move(preview), {}};
        }
        const auto who = actor_of(from);
        auto posted = co_await council_.run(who, members);
        co_return command_reply{std::move(posted), {}};
    }
    const auto& log = std::get<log_command>(cmd);
    auto s = plan_signal(journey, log, from, d_.clock());
    auto logging = capture_.log(std::move(s), log.unknown_tags);
    auto ack = co_await std::move(logging);
    co_return command_reply{std::move(ack), {}};
}

} // namespace cxos::bot
