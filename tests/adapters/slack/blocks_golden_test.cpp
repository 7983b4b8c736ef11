// The Block Kit writer against the reference rendering it replaced (blocks_oracle.cpp), byte for
// byte over many generated messages: every escape Slack's mrkdwn and JSON need, channel mentions,
// broken UTF-8, texts long enough to be chunked, clipped and cut at 50 blocks, many fields and
// actions. A faster writer is only worth having with exactly the bytes of the simple one.
#include "tests/adapters/slack/blocks_oracle.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <sstream>

using namespace cxos;

namespace {

// splitmix64: the same sequence on every machine and library, so a failure names a message
// that can be made again.
class generator {
  public:
    explicit generator(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    bool one_in(std::size_t n) { return below(n) == 0; }

    std::string id() {
        static const char* const ids[] = {"U123", "C9", "UABC0", "C0BILLING", "19:x@thread.tacv2", "", "u1", "29:teams"};
        return ids[below(std::size(ids))];
    }

    // Text made of what needs care next to plain words: a token at a time, up to `tokens` of them.
    std::string text(std::size_t tokens) {
        static const char* const pieces[] = {
            "invoice", " ", "the ", "\n", "&", "<", ">", "&amp;", "\"", "\\", "\t", "\x01", "\x7f", "\x1f",
            "\x1e", "é", "€", "😀", "“quoted”", "→", "*bold*", "`code`", "_it_", "\x80", "\xE2", "\xE2\x82",
            "\xF0\x9F", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "x", "0123456789", "ab  cd"};
        std::string out;
        const std::size_t n = below(tokens + 1);
        for (std::size_t i = 0; i < n; ++i) {
            const auto pick = below(std::size(pieces) + 4);
            if (pick < std::size(pieces)) out += pieces[pick];
            else if (pick == std::size(pieces)) out += channel_mention(id(), text(3));
            else if (pick == std::size(pieces) + 1 && one_in(8)) out += std::string(below(3100), one_in(2) ? 'x' : '&');
            else out += static_cast<char>('a' + below(26));
        }
        return out;
    }

    // Mostly short, sometimes long enough for every limit.
    std::string sized_text() { return one_in(10) ? text(4000) : one_in(4) ? text(300) : text(12); }

    std::vector<choice> choices(std::size_t most) {
        std::vector<choice> out(below(most + 1));
        for (auto& c : out) {
            c.value = one_in(10) ? std::string(140 + below(20), 'v') : text(6);
            c.label = one_in(10) ? text(120) : text(6);
        }
        return out;
    }

    neutral_message message() {
        neutral_message m;
        const bool crowded = one_in(40); // enough fields to leave the text no room or one block
        m.title = one_in(4) ? "" : one_in(8) ? text(200) : text(8);
        m.is_error = one_in(5);
        m.text = crowded ? text(5000) : sized_text();
        if (one_in(6) && !m.title.empty()) m.text = m.title + text(10);
        m.fields.resize(crowded ? 465 + below(30) : one_in(3) ? below(25) : below(4));
        for (auto& f : m.fields) {
            f.label = one_in(20) ? text(1500) : text(5);
            f.kind = static_cast<field_kind>(below(4));
            if (f.kind == field_kind::text) f.value = one_in(20) ? text(2000) : text(10);
            else if (f.kind == field_kind::users)
                for (std::size_t i = below(5); i > 0; --i) f.value += id() + (one_in(3) ? "  " : " ");
            else f.value = id();
        }
        m.context = one_in(3) ? "" : one_in(10) ? text(3000) : text(20);
        m.actions.resize(one_in(10) ? below(60) : below(4));
        for (auto& a : m.actions) {
            a.id = text(4);
            a.label = one_in(10) ? text(100) : text(5);
            a.value = one_in(20) ? std::string(1990 + below(30), 'v') : text(5);
            a.style = static_cast<action_style>(below(3));
            if (one_in(3)) a.choices = choices(one_in(5) ? 120 : 5);
        }
        return m;
    }

    slack::post_call call(std::string& storage) {
        storage = text(5);
        slack::post_call c;
        c.to = static_cast<slack::post_call::method>(below(3));
        c.channel = storage;
        c.delivery_id = static_cast<std::int64_t>(next() >> 1) * (one_in(2) ? -1 : 1);
        const std::string_view own = storage;
        c.ts = one_in(2) ? "1700.1" : own;
        c.user = one_in(2) ? "" : own;
        c.thread_ts = one_in(2) ? "" : "1600.2";
        return c;
    }

  private:
    std::uint64_t state_;
};

// "" when equal, else where the two first part and a little of each from there.
std::string difference(const std::string& written, const std::string& expected) {
    if (written == expected) return {};
    std::size_t at = 0;
    while (at < written.size() && at < expected.size() && written[at] == expected[at]) ++at;
    std::ostringstream out;
    out << "first difference at byte " << at << " of " << expected.size() << ": written `"
        << written.substr(at > 40 ? at - 40 : 0, 120) << "`, expected `" << expected.substr(at > 40 ? at - 40 : 0, 120)
        << "`";
    return out.str();
}

std::string written_blocks(const neutral_message& m) {
    json_writer w;
    slack::write_blocks(w, m);
    return w.take();
}

std::string written_options(const std::vector<choice>& choices) {
    json_writer w;
    slack::write_options(w, choices);
    return w.take();
}

} // namespace

TEST_CASE("every generated message is written byte for byte as the reference rendering writes it", "[blocks]") {
    generator gen(20261128);
    for (int n = 0; n < 3000; ++n) {
        const auto m = gen.message();
        std::string call_text;
        const auto call = gen.call(call_text);
        const auto choices = gen.choices(8);
        INFO("message " << n);
        std::string problem = difference(slack::ephemeral_body(m), slack::oracle::ephemeral_body(m));
        if (problem.empty()) problem = difference(slack::post_body(m, call), slack::oracle::post_body(m, call));
        if (problem.empty()) problem = difference(written_blocks(m), slack::oracle::blocks(m));
        if (problem.empty()) problem = difference(written_options(choices), slack::oracle::options(choices));
        if (problem.empty()) problem = difference(slack::escape_mrkdwn(m.text), slack::oracle::escape_mrkdwn(m.text));
        INFO(problem);
        REQUIRE(problem.empty());
    }
}

TEST_CASE("a report's ack with a channel link, quotes and escapes is written exactly", "[blocks]") {
    neutral_message m;
    m.title = "Logged: item 1";
    m.text = "“the invoice <b> & \"total\" is\tblank”\n→ " + channel_mention("C0BILLING", "#billing") + " via " +
             channel_mention("19:x@thread.tacv2", "a <Teams> channel") + ".";
    m.fields = {{"Stage", "renew"}, {"Owner", "U0OWNER", field_kind::user}, {"Seen by", "U1 19:x  U2", field_kind::users}};
    m.context = "Signal 7 · `/friction status 1` follows the item; ünïcode 😀 \x01.";
    const std::string expected =
        R"json({"response_type":"ephemeral","text":"Logged: item 1: “the invoice &lt;b&gt; &amp; \"total\" is\tblank”\n→ <#C0BILLING> via a &lt;Teams&gt; channel.","blocks":[{"type":"header","text":{"type":"plain_text","text":"Logged: item 1","emoji":true})json"
        R"json(},{"type":"section","text":{"type":"mrkdwn","text":"“the invoice &lt;b&gt; &amp; \"total\" is\tblank”\n→ <#C0BILLING> via a &lt;Teams&gt; channel."})json"
        R"json(},{"type":"section","fields":[{"type":"mrkdwn","text":"*Stage*\nrenew")json"
        R"json(},{"type":"mrkdwn","text":"*Owner*\n<@U0OWNER>")json"
        R"json(},{"type":"mrkdwn","text":"*Seen by*\n<@U1>, someone in Teams, <@U2>"}])json"
        R"json(},{"type":"context","elements":[{"type":"mrkdwn","text":"Signal 7 · `/friction status 1` follows the item; ünïcode 😀 \u0001."}]}]})json";
    CHECK(slack::ephemeral_body(m) == expected);
}
