#include "bot/services/triage_service.hpp"

#include "bot/core/store_call.hpp"
#include "bot/services/routing_advice.hpp"
#include "commands/item_views.hpp"

namespace cxos::bot {

boost::asio::awaitable<triage_check> triage_service::check(std::int64_t item_id, const actor& who, membership& members,
                                                           bool check_membership) {
    triage_check out;
    auto read = store_call(d_.queue, [item_id](storage::store& st) { return st.find_item_summary(item_id); });
    out.it = co_await std::move(read);
    const std::string ref = "item " + std::to_string(item_id);
    if (!out.it) {
        out.refused = refusal{refusal_reason::no_such_item, "There is no " + ref + "."};
        co_return out;
    }
    const auto config = d_.config.get(); // held across the membership check: `o` points into it
    const owner* o = config->journey.find_owner(out.it->owner);
    if (!o) {
        out.refused = refusal{refusal_reason::owner_unknown, "The owner of " + ref + " is no longer in the config."};
        co_return out;
    }
    const std::string& owner_channel = o->channel_on(who.platform);
    if (owner_channel.empty() || (!who.channel_id.empty() && who.channel_id != owner_channel)) {
        out.refused = refusal{refusal_reason::wrong_channel,
                              "The " + out.it->owner + " team owns " + ref + "; act on it in their channel."};
        co_return out;
    }
    if (!check_membership) co_return out;
    auto member = co_await members.is_member(who, owner_channel);
    if (!member.error.empty())
        out.refused = refusal{refusal_reason::membership_unknown, "cxos could not check the " + out.it->owner +
                                                                      " channel's members (" + member.error +
                                                                      "); nothing was changed."};
    else if (!member.member)
        out.refused = refusal{refusal_reason::not_member,
                              "Only members of the " + out.it->owner + " team's channel can triage " + ref + "."};
    co_return out;
}

boost::asio::awaitable<triage_outcome> triage_service::apply(std::int64_t item_id, const triage_action& a) {
    auto commit = store_call(d_.queue, [item_id, a, config = d_.config.get(), grouping = d_.grouping,
                                        now = d_.clock()](storage::store& st) {
        queued_channels queued;
        auto out = record_triage(st, config->journey, item_id, a, now, queued, grouping);
        if (out.changed && a.verb == triage_verb::reroute)
            suggest_routing_rules_to_lead(st, *config, now, queued);
        return std::pair{out, queued};
    });
    auto [outcome, queued] = co_await std::move(commit);
    d_.outbox.notify(queued);
    co_return outcome;
}

boost::asio::awaitable<triage_click_result> triage_service::click(triage_verb verb, const std::string& value,
                                                                  const actor& who, membership& members) {
    triage_click_result out;
    const std::int64_t item_id = item_id_of(value);
    const bool form = opens_form(verb);
    auto check = co_await this->check(item_id, who, members, !form);
    if (check.refused) {
        out.refused = check.refused;
        co_return out;
    }
    if (form) {
        out.form = triage_form(verb, *check.it);
        co_return out;
    }
    triage_action a{verb, who.user_id, "", 0, "", "", check.it->owner};
    if (verb == triage_verb::reroute) a.to_owner = reroute_target(value);
    out.outcome = co_await apply(item_id, a);
    co_return out;
}

boost::asio::awaitable<std::optional<form_errors>> triage_service::submit(const form_submission& form, const actor& who,
                                                                          membership& members) {
    auto read = read_triage(form);
    if (auto* errors = std::get_if<form_errors>(&read)) co_return *errors;
    auto& req = std::get<triage_request>(read);
    auto check = co_await this->check(req.item_id, who, members, true);
    if (check.refused) co_return form_errors{{"", check.refused->text}};
    auto a = req.action;
    a.actor = who.user_id;
    a.checked_owner = check.it->owner;
    auto outcome = co_await apply(req.item_id, a);
    if (outcome.changed) co_return std::nullopt;
    co_return form_errors{{"", outcome.explanation}};
}

} // namespace cxos::bot
