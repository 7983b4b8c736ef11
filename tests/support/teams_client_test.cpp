// The Teams-side client builds activities in the shapes Teams sends and delivers them as the Bot
// Connector does; tokens the fake mints for them verify against the activity's own fields.
#include "adapters/teams/bot_framework_jwt.hpp"
#include "tests/support/fake_bot_framework.hpp"
#include "tests/support/loopback_http_server.hpp"
#include "tests/support/teams_client.hpp"

#include <catch2/catch.hpp>

using namespace cxos::test;
using nlohmann::json;

namespace {

teams_context context_for(const fake_bot_framework& bf) {
    teams_context ctx;
    ctx.service_url = bf.service_url();
    ctx.app_id = bf.registration().app_id;
    return ctx;
}

// What cxos checks an activity's token against: its own serviceUrl and channelId.
cxos::jwt::jwt_failure verify_for(const fake_bot_framework& bf, const json& activity, const std::string& token) {
    std::vector<cxos::jwt::signing_key> keys;
    for (const auto& k : bf.published_keys()) keys.push_back(k.public_key());
    const cxos::teams::bot_framework_expectations expect{.audience = bf.registration().app_id,
                                                         .channel_id = activity["channelId"],
                                                         .service_url = activity["serviceUrl"],
                                                         .now_seconds = unix_now_seconds()};
    return cxos::teams::verify_bot_framework_token("Bearer " + token, keys, expect).failure;
}

} // namespace

TEST_CASE("teams client: a channel mention is shaped as Teams sends it", "[teams_client]") {
    fake_bot_framework bf;
    const auto ctx = context_for(bf);
    const auto a = channel_mention(ctx, "1700000000100", "log export fails");
    CHECK(a["type"] == "message");
    CHECK(a["text"] == "<at>cxos</at> log export fails");
    CHECK(a["channelId"] == "msteams");
    CHECK(a["serviceUrl"] == bf.service_url());
    CHECK(a["recipient"]["id"] == bf.bot_id());
    CHECK(a["conversation"]["id"] == ctx.channel_id + ";messageid=1700000000100");
    CHECK(a["conversation"]["conversationType"] == "channel");
    CHECK(a["conversation"]["tenantId"] == bf.registration().tenant);
    CHECK(a["channelData"]["channel"]["id"] == ctx.channel_id);
    CHECK(a["channelData"]["team"]["id"] == ctx.team_id);
    CHECK(a["from"]["id"].get<std::string>().rfind("29:", 0) == 0);
    const auto mention = a["entities"].back();
    CHECK(mention["type"] == "mention");
    CHECK(mention["mentioned"]["id"] == bf.bot_id());
    CHECK(mention["text"] == "<at>cxos</at>");
    const auto reply = channel_mention(ctx, "1700000000200", "log more", "1700000000100");
    CHECK(reply["conversation"]["id"] == ctx.channel_id + ";messageid=1700000000100");
    CHECK(reply["replyToId"] == "1700000000100");
    CHECK(verify_for(bf, a, bf.inbound_token()) == cxos::jwt::jwt_failure::none);
}

TEST_CASE("teams client: install, message extension and card activities", "[teams_client]") {
    fake_bot_framework bf;
    const auto ctx = context_for(bf);
    const auto added = bot_added_to_team(ctx, "f:install-1");
    CHECK(added["type"] == "conversationUpdate");
    CHECK(added["membersAdded"][0]["id"] == bf.bot_id());
    CHECK(added["channelData"]["eventType"] == "teamMemberAdded");
    CHECK(added["channelData"]["team"]["id"] == ctx.team_id);

    const teams_source_message source{"1700000000300", "<p>Customer cannot export invoices</p>", teams_user{}, ""};
    const auto fetch = fetch_task_invoke(ctx, "f:fetch-1", "logFriction", source);
    CHECK(fetch["type"] == "invoke");
    CHECK(fetch["name"] == "composeExtension/fetchTask");
    CHECK(fetch["value"]["commandId"] == "logFriction");
    CHECK(fetch["value"]["commandContext"] == "message");
    CHECK(fetch["value"]["messagePayload"]["body"]["content"] == source.html_content);
    CHECK(fetch["value"]["messagePayload"]["from"]["user"]["id"] == source.author.aad_object_id);
    CHECK(fetch["value"]["messagePayload"]["linkToMessage"].get<std::string>().find("/1700000000300?") !=
          std::string::npos);
    const auto submit = submit_action_invoke(ctx, "f:submit-1", "logFriction", source, {{"journey", "billing"}});
    CHECK(submit["name"] == "composeExtension/submitAction");
    CHECK(submit["value"]["data"]["journey"] == "billing");

    const auto thread = thread_conversation_id(ctx.channel_id, "1700000000400");
    const auto execute = card_execute_invoke(ctx, "f:exec-1", thread, "1700000000401", "prioritise", {{"item", 7}});
    CHECK(execute["name"] == "adaptiveCard/action");
    CHECK(execute["value"]["action"]["type"] == "Action.Execute");
    CHECK(execute["value"]["action"]["verb"] == "prioritise");
    CHECK(execute["value"]["action"]["data"]["item"] == 7);
    CHECK(execute["value"]["trigger"] == "manual");
    CHECK(execute["replyToId"] == "1700000000401");
    const auto fallback = card_submit_message(ctx, "1700000000402", thread, "1700000000401", {{"verb", "prioritise"}});
    CHECK(fallback["type"] == "message");
    CHECK(fallback["value"]["verb"] == "prioritise");
    CHECK_FALSE(fallback.contains("text"));
}

TEST_CASE("teams client: activities are posted to api messages with the bearer token", "[teams_client]") {
    std::vector<loopback_request> received;
    std::mutex mutex;
    loopback_http_server cxos_stand_in([&](const loopback_request& r) {
        std::lock_guard lock(mutex);
        received.push_back(r);
        return loopback_response::with_body(200, "{}");
    });
    fake_bot_framework bf;
    const auto activity = channel_mention(context_for(bf), "1700000000500", "log it");
    CHECK(send_activity(cxos_stand_in.port(), activity, "tok-123").status == 200);
    CHECK(send_activity(cxos_stand_in.port(), activity, "").status == 200);
    CHECK(send_activity_with_authorization(cxos_stand_in.port(), activity, "Basic abc").status == 200);
    std::lock_guard lock(mutex);
    REQUIRE(received.size() == 3);
    CHECK(received[0].method == "POST");
    CHECK(received[0].target == "/api/messages");
    CHECK(received[0].header("authorization") == "Bearer tok-123");
    CHECK(received[0].header("content-type").rfind("application/json", 0) == 0);
    CHECK(json::parse(received[0].body) == activity);
    CHECK_FALSE(received[1].headers.count("authorization"));
    CHECK(received[2].header("authorization") == "Basic abc");
}
