#include "adapters/slack/blocks.hpp"

#include <catch2/catch.hpp>

using namespace cxos;
using nlohmann::json;

TEST_CASE("a neutral message renders as header, section, fields and context", "[blocks]") {
    neutral_message m;
    m.title = "Friction signal 7";
    m.text = "refund <script> & co";
    m.fields = {{"Reporter", "U123", field_kind::user},
                {"Source channel", "C9", field_kind::channel},
                {"Stage", "renew"}};
    m.context = "Routed by rule `invoices`.";
    auto blocks = slack::render_blocks(m);
    REQUIRE(blocks.size() == 4);
    CHECK(blocks[0] == json::parse(R"({"type":"header","text":{"type":"plain_text","text":"Friction signal 7","emoji":true}})"));
    CHECK(blocks[1]["text"]["type"] == "mrkdwn");
    CHECK(blocks[1]["text"]["text"] == "refund &lt;script&gt; &amp; co");
    CHECK(blocks[2]["fields"][0]["text"] == "*Reporter*\n<@U123>");
    CHECK(blocks[2]["fields"][1]["text"] == "*Source channel*\n<#C9>");
    CHECK(blocks[3]["type"] == "context");
}

TEST_CASE("Block Kit limits are respected", "[blocks]") {
    neutral_message m;
    m.title = std::string(400, 'T');
    m.text = "short";
    for (int i = 0; i < 12; ++i) m.fields.push_back({"f" + std::to_string(i), "v"});
    auto blocks = slack::render_blocks(m);
    CHECK(blocks[0]["text"]["text"].get<std::string>().size() <= 150);
    REQUIRE(blocks.size() == 4); // 12 fields need two sections of at most 10
    CHECK(blocks[2]["fields"].size() == 10);
    CHECK(blocks[3]["fields"].size() == 2);
}

TEST_CASE("long text is split over sections and never loses a character", "[blocks]") {
    neutral_message m;
    // Escaping & and < grows the text past one section; the € must not be split either.
    m.text = std::string(1000, '&') + " " + std::string(1500, 'x') + "€<>end";
    auto blocks = slack::render_blocks(m);
    std::string joined;
    for (auto& b : blocks) {
        auto t = b["text"]["text"].get<std::string>();
        CHECK(t.size() <= 3000);
        joined += t;
    }
    CHECK(blocks.size() == 3);
    CHECK(joined == slack::escape_mrkdwn(m.text));
}

TEST_CASE("a header is clipped at a UTF-8 boundary", "[blocks]") {
    neutral_message m;
    m.title = std::string(146, 'x') + "€€€"; // the cut lands inside the first €
    auto text = slack::render_blocks(m)[0]["text"]["text"].get<std::string>();
    CHECK(text == std::string(146, 'x') + "...");
}

TEST_CASE("ephemeral answers and posts carry fallback text", "[blocks]") {
    neutral_message m;
    m.title = "Logged signal 1";
    m.text = "→ #billing";
    auto eph = slack::render_ephemeral(m);
    CHECK(eph["response_type"] == "ephemeral");
    CHECK(eph["text"] == "Logged signal 1: → #billing");
    auto post = slack::render_post(m, "C0BILLING", 55);
    CHECK(post["channel"] == "C0BILLING");
    CHECK(post["metadata"]["event_type"] == "cxos_delivery");
    CHECK(post["metadata"]["event_payload"]["delivery_id"] == 55);
}
