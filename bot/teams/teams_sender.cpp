#include "bot/teams/teams_sender.hpp"

#include "adapters/teams/cards.hpp"
#include "adapters/teams/webhook.hpp"

namespace cxos::bot {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Plain notes read better as a text message; anything with fields or buttons is a card.
nlohmann::json activity_for(const neutral_message& m) {
    if (m.actions.empty() && m.fields.empty()) return teams::render_reply_activity(m);
    return teams::render_card_activity(m);
}

send_outcome outcome_of(const teams::connector_result& r, std::string ref) {
    send_outcome out;
    out.error = r.error;
    out.retry_after_seconds = r.retry_after_seconds;
    switch (r.outcome) {
    case teams::connector_outcome::sent:
        out.outcome = send_outcome::kind::sent;
        out.ref = std::move(ref);
        break;
    case teams::connector_outcome::rate_limited: out.outcome = send_outcome::kind::rate_limited; break;
    case teams::connector_outcome::dead: out.outcome = send_outcome::kind::dead; break;
    default: out.outcome = send_outcome::kind::retry; break; // Teams has no history to check: post again
    }
    return out;
}

} // namespace

asio::awaitable<teams::connector_result> teams_sender::post(const delivery& d, const nlohmann::json& activity,
                                                           const storage::teams_route& route, std::string& conversation) {
    const bool threaded = !d.thread_ts.empty();
    if (threaded) {
        // A parent's platform_ref names its thread; a captured message's id is the thread root.
        auto [conv, root] = teams::split_activity_ref(d.thread_ts);
        conversation = conv.empty() ? teams::thread_conversation(d.channel, root) : conv;
    } else if (teams::is_channel_conversation(d.channel) && !(route.conversation == d.channel && route.team_id.empty())) {
        // (An older group chat's id looks like a channel's; its route, learnt outside a team, tells.)
        conversation = d.channel;
        auto body = teams::new_thread_request(d.channel, route.tenant_id, activity);
        const std::string path = teams::conversations_path("");
        auto started = co_await connector_.call(http::verb::post, route.service_url, path, body, d.channel);
        if (started.outcome == teams::connector_outcome::sent) {
            if (started.activity_id.empty()) started.activity_id = teams::thread_root_of(started.id);
            conversation = started.id.empty() ? teams::thread_conversation(d.channel, started.activity_id) : started.id;
            started.id = started.activity_id;
        }
        co_return started;
    } else if (teams::is_chat_conversation(d.channel)) {
        conversation = d.channel;
    } else {
        const std::string& user = d.kind == delivery_kind::ephemeral ? d.user : d.channel;
        auto body = teams::direct_chat_request(teams::bot_member_id(connector_.app_id()), user, route.tenant_id);
        const std::string path = teams::conversations_path("");
        auto chat = co_await connector_.call(http::verb::post, route.service_url, path, body, user);
        if (chat.outcome != teams::connector_outcome::sent) co_return chat;
        conversation = chat.id;
    }
    const std::string path = teams::activities_path("", conversation);
    auto posted = co_await connector_.call(http::verb::post, route.service_url, path, activity, conversation);
    co_return posted;
}

send_preparation teams_sender::prepare(storage::store& st, const delivery& d) const {
    send_preparation out;
    auto route = st.teams_route_for(d.channel);
    if (!route) {
        out.wait_ms = 60'000;
        out.reason = "no serviceUrl known for " + d.channel + " yet: add cxos to that team";
        return out;
    }
    out.context = std::make_shared<const storage::teams_route>(std::move(*route));
    return out;
}

asio::awaitable<send_outcome> teams_sender::deliver(const outbox_row& row) {
    const delivery& d = row.d;
    const auto& route = *std::static_pointer_cast<const storage::teams_route>(row.context);
    connector_.trust_remembered(route.service_url);
    if (d.kind == delivery_kind::reaction) {
        // Bots cannot react to messages in Teams; the closed-loop notice in the thread says it all.
        co_return outcome_of({teams::connector_outcome::sent, "", "", "", 0}, "");
    }
    if (d.kind == delivery_kind::item_update) {
        auto [conversation, activity_id] = teams::split_activity_ref(row.parent_ref);
        auto activity = teams::render_card_activity(row.message);
        activity["id"] = activity_id;
        const std::string path = teams::activity_path("", conversation, activity_id);
        auto replaced = co_await connector_.call(http::verb::put, route.service_url, path, activity, conversation);
        co_return outcome_of(replaced, row.parent_ref);
    }
    std::string conversation;
    auto activity = activity_for(row.message);
    auto posted = co_await post(d, activity, route, conversation);
    co_return outcome_of(posted, teams::activity_ref(conversation, posted.id));
}

} // namespace cxos::bot
