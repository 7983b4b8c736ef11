// What a signed Slack request may carry: valid UTF-8 in every field, ids of Slack's shape. Anything
// else is refused with a reason (the endpoint's 400) before it can be stored or put into a form.
#include "adapters/slack/ids.hpp"
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/interactions.hpp"
#include "commands/forms.hpp"
#include "commands/utf8.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using namespace cxos::slack;
using nlohmann::json;

namespace {

constexpr std::string_view form_media = "application/x-www-form-urlencoded";
const std::string command_body = "command=%2Ffriction&text=log+it&team_id=T0TEAM&channel_id=C0SUPPORT"
                                 "&user_id=U0AGENT&user_name=ana&trigger_id=13345224609.738474920.8088930838d88f";

std::string refusal(const inbound& in) {
    const auto* bad = std::get_if<malformed_request>(&in);
    return bad ? bad->message : std::string();
}

std::string with(std::string body, const std::string& field, const std::string& value) {
    auto at = body.find(field + "=");
    auto end = body.find('&', at);
    return body.replace(at, end == std::string::npos ? std::string::npos : end - at, field + "=" + value);
}

std::string form_encoded(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c)) out += static_cast<char>(c);
        else out += std::string("%") + hex[c >> 4] + hex[c & 15];
    }
    return out;
}

json message_shortcut_payload() {
    return {{"type", "message_action"},
            {"callback_id", "log_friction"},
            {"trigger_id", "13345224609.738474920.8088930838d88f"},
            {"team", {{"id", "T0TEAM"}}},
            {"user", {{"id", "U0AGENT"}, {"name", "ana"}}},
            {"channel", {{"id", "C0SUPPORT"}}},
            {"message", {{"ts", "1700000000.000100"}, {"text", "the refund failed"}, {"user", "U0CUSTOMER"}}}};
}

json reaction(const std::string& channel) {
    return {{"type", "event_callback"},
            {"event_id", "Ev0PV52K21"},
            {"team_id", "T0TEAM"},
            {"event",
             {{"type", "reaction_added"},
              {"user", "U0AGENT"},
              {"reaction", "triangular_flag_on_post"},
              {"item", {{"type", "message"}, {"channel", channel}, {"ts", "1700000000.000100"}}},
              {"item_user", "U0CUSTOMER"}}}};
}

} // namespace

TEST_CASE("a well-formed slash command still decodes", "[slack_boundary]") {
    auto in = decode(form_media, command_body);
    REQUIRE(std::holds_alternative<slash_command>(in));
    CHECK(std::get<slash_command>(in).channel_id == "C0SUPPORT");
}

TEST_CASE("a slash command with bytes that are not UTF-8 in any field is refused, naming the field",
          "[slack_boundary]") {
    // text=x%FF was stored, and every later render of its item threw.
    for (std::string field : {"text", "user_id", "channel_id", "team_id", "user_name", "command", "response_url"}) {
        const auto body = field == "response_url" ? command_body + "&response_url=x%FF" : with(command_body, field, "x%FF");
        const auto why = refusal(decode(form_media, body));
        INFO(field);
        CHECK_THAT(why, Catch::Contains("`" + field + "`") && Catch::Contains("not valid UTF-8"));
    }
    // Overlong forms and surrogates are not UTF-8 either.
    CHECK_THAT(refusal(decode(form_media, with(command_body, "text", "%C0%AF"))), Catch::Contains("UTF-8"));
    CHECK_THAT(refusal(decode(form_media, with(command_body, "text", "%ED%A0%80"))), Catch::Contains("UTF-8"));
    CHECK_THAT(refusal(decode(form_media, command_body + "&%FF=1")), Catch::Contains("field name is not valid UTF-8"));
    // The reason itself is text that renders.
    CHECK(is_valid_utf8(refusal(decode(form_media, command_body + "&%FF=1"))));
}

TEST_CASE("ids that are not Slack's shape are refused, names are clipped", "[slack_boundary]") {
    // A 3,000-character channel_id made the capture form's state too long for Slack: a 500.
    CHECK_THAT(refusal(decode(form_media, with(command_body, "channel_id", "C" + std::string(2999, 'A')))),
               Catch::Contains("`channel_id` is not a Slack id"));
    CHECK_THAT(refusal(decode(form_media, with(command_body, "channel_id", "general"))), Catch::Contains("channel_id"));
    CHECK_THAT(refusal(decode(form_media, with(command_body, "user_id", "C0SUPPORT"))), Catch::Contains("user_id"));
    CHECK_THAT(refusal(decode(form_media, with(command_body, "team_id", "T0+TEAM"))), Catch::Contains("team_id"));
    CHECK_THAT(refusal(decode(form_media, with(command_body, "trigger_id", "a%22b"))), Catch::Contains("trigger_id"));
    CHECK(refusal(decode(form_media, with(command_body, "channel_id", "C" + std::string(31, '9')))).empty());
    CHECK_FALSE(refusal(decode(form_media, with(command_body, "channel_id", "C" + std::string(32, '9')))).empty());
    CHECK(is_id("E0ORG", team_prefixes));
    CHECK(is_id("G0PRIVATE", channel_prefixes));
    CHECK(is_id("D0DM", channel_prefixes));
    CHECK(is_id("W0GRID", user_prefixes));
    CHECK(is_id("B0BOT", user_prefixes));

    auto in = decode(form_media, with(command_body, "user_name", form_encoded(std::string(300, 'a') + "\xC3\xA9")));
    REQUIRE(std::holds_alternative<slash_command>(in));
    const auto& name = std::get<slash_command>(in).user_name;
    CHECK(name.size() <= max_name_bytes);
    CHECK(is_valid_utf8(name));
}

TEST_CASE("an interactivity payload with ill-formed text or ids is refused with the reason", "[slack_boundary]") {
    // nlohmann's parser refuses bytes that are not UTF-8 inside JSON strings, escaped surrogates too.
    CHECK_THAT(refusal(decode(form_media, "payload=" + form_encoded("{\"type\":\"block_actions\",\"x\":\"\xFF\"}"))),
               Catch::Contains("not valid UTF-8"));
    CHECK_FALSE(refusal(decode(form_media, "payload=" + form_encoded(R"({"type":"view_closed","x":"\ud800"})"))).empty());

    auto p = message_shortcut_payload();
    CHECK(std::holds_alternative<interaction>(decode(form_media, "payload=" + form_encoded(p.dump()))));
    p["channel"]["id"] = "C" + std::string(3000, 'A');
    CHECK_THAT(refusal(decode(form_media, "payload=" + form_encoded(p.dump()))), Catch::Contains("`channel.id`"));
    CHECK_FALSE(decode_interaction(p)); // the bot's own decode refuses it too

    p = message_shortcut_payload();
    p["message"]["ts"] = "yesterday";
    CHECK_THAT(interaction_defect(p), Catch::Contains("`message.ts`"));
    p = message_shortcut_payload();
    p["user"]["name"] = std::string(1000, 'n');
    auto shortcut = decode_interaction(p);
    REQUIRE(shortcut);
    CHECK(std::get<message_shortcut>(*shortcut).by.user_name.size() == max_name_bytes);

    json view = {{"type", "view_submission"}, {"user", {{"id", "U0AGENT"}}},
                 {"view", {{"callback_id", "capture"}, {"private_metadata", std::string(3001, 'm')}}}};
    CHECK_THAT(interaction_defect(view), Catch::Contains("private_metadata"));
}

TEST_CASE("an Events API reaction with ill-formed ids is refused, raw bytes do not parse", "[slack_boundary]") {
    CHECK(std::holds_alternative<event_callback>(decode("application/json", reaction("C0SUPPORT").dump())));
    CHECK(decode_reaction(reaction("C0SUPPORT")));
    const auto long_channel = reaction("C" + std::string(3000, 'A'));
    CHECK_THAT(refusal(decode("application/json", long_channel.dump())), Catch::Contains("`event.item.channel`"));
    CHECK_FALSE(decode_reaction(long_channel));
    CHECK_THAT(refusal(decode("application/json", "{\"type\":\"event_callback\",\"team_id\":\"T\xFF\"}")),
               Catch::Contains("not valid UTF-8"));
}

TEST_CASE("the capture form's state fits Slack's private_metadata whatever it captured", "[slack_boundary]") {
    journey_config journey;
    journey.stages = {"onboard"};
    // The longest ids the adapter lets through, and a permalink no form could carry.
    const std::string id = "C" + std::string(31, 'A'), ts = std::string(20, '1') + "." + std::string(11, '2');
    capture_context from{id, ts, ts, "https://acme.slack.com/archives/" + std::string(5000, 'p'), std::string(10000, 't')};
    auto form = capture_form(journey, from);
    CHECK(form.state.size() <= max_form_state_bytes);
    CHECK_THAT(form.state, Catch::Contains(id) && !Catch::Contains("permalink"));
    json view;
    REQUIRE_NOTHROW(view = render_form(form));
    CHECK(view["private_metadata"].get<std::string>().size() <= max_metadata_bytes);

    // Even ids no adapter would accept leave a form that renders, without its source.
    from.channel_id = std::string(5000, 'C');
    REQUIRE_NOTHROW(render_form(capture_form(journey, from)));

    // A normal permalink stays in the state.
    from = {id, ts, "", "https://acme.slack.com/archives/C0/p1", ""};
    CHECK_THAT(capture_form(journey, from).state, Catch::Contains("p1"));
}
