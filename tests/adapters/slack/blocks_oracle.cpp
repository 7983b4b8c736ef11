#include "tests/adapters/slack/blocks_oracle.hpp"

#include "commands/json_text.hpp"

#include <algorithm>
#include <vector>

namespace cxos::slack::oracle {
namespace {

constexpr std::size_t header_limit = 150, section_limit = 3000, field_limit = 2000,
                      max_fields = 10, fallback_limit = 3000, max_message_blocks = 50;
constexpr std::size_t max_elements = 25, button_text_limit = 75, button_value_limit = 2000,
                      option_text_limit = 75, option_value_limit = 150, max_options = 100,
                      placeholder_limit = 150;

// Commas and colons as json_writer places them; every string goes through json_text().
class writer {
  public:
    writer& begin_object() { return open('{'); }
    writer& end_object() { return close('}'); }
    writer& begin_array() { return open('['); }
    writer& end_array() { return close(']'); }
    writer& key(const std::string& name) {
        separate();
        out += json_text(nlohmann::json(name)) + ":";
        after_value = false;
        return *this;
    }
    writer& value(const std::string& text) {
        separate();
        out += json_text(nlohmann::json(text));
        after_value = true;
        return *this;
    }
    writer& literal(const std::string& text) {
        separate();
        out += text;
        after_value = true;
        return *this;
    }
    writer& member(const std::string& name, const std::string& text) { return key(name).value(text); }

    std::string out;

  private:
    writer& open(char bracket) {
        separate();
        out += bracket;
        after_value = false;
        return *this;
    }
    writer& close(char bracket) {
        out += bracket;
        after_value = true;
        return *this;
    }
    void separate() {
        if (after_value) out += ',';
    }
    bool after_value = false;
};

std::string clip(std::string s, std::size_t limit) {
    if (s.size() <= limit) return s;
    std::size_t cut = limit - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    return s + "...";
}

bool is_slack_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::vector<std::string> section_chunks(std::string_view text) {
    std::vector<std::string> chunks;
    while (!text.empty()) {
        std::size_t used = 0, fit = 0, last_break = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            std::size_t w = (c == '&') ? 5 : (c == '<' || c == '>') ? 4 : 1;
            if (used + w > section_limit) break;
            used += w;
            bool next_starts_char = i + 1 >= text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80;
            if (next_starts_char) {
                fit = i + 1;
                if (c == ' ' || c == '\n') last_break = fit;
            }
        }
        std::size_t cut = (fit < text.size() && last_break > fit / 2) ? last_break : fit;
        chunks.push_back(escape_mrkdwn(text.substr(0, cut)));
        text.remove_prefix(cut);
    }
    return chunks;
}

void write_mrkdwn(writer& w, const std::string& text) {
    w.begin_object().member("type", "mrkdwn").member("text", text).end_object();
}

std::string mention(const std::string& id) { return is_slack_id(id) ? "<@" + id + ">" : "someone in Teams"; }

std::string field_value(const message_field& f) {
    switch (f.kind) {
    case field_kind::user: return mention(f.value);
    case field_kind::channel: return is_slack_id(f.value) ? "<#" + f.value + ">" : "a Teams channel";
    case field_kind::users: {
        std::string out;
        std::size_t from = 0;
        while (from < f.value.size()) {
            auto end = std::min(f.value.find(' ', from), f.value.size());
            if (end > from) out += (out.empty() ? "" : ", ") + mention(f.value.substr(from, end - from));
            from = end + 1;
        }
        return out.empty() ? "nobody" : out;
    }
    case field_kind::text: break;
    }
    return escape_mrkdwn(f.value);
}

void write_plain_text(writer& w, std::string text, std::size_t limit) {
    w.begin_object().member("type", "plain_text").member("text", clip(std::move(text), limit));
    w.key("emoji").literal("true").end_object();
}

void write_options(writer& w, const std::vector<choice>& choices) {
    w.begin_array();
    std::size_t written = 0;
    for (const auto& c : choices) {
        if (written == max_options) break;
        if (c.value.size() > option_value_limit) continue;
        w.begin_object().key("text");
        write_plain_text(w, c.label, option_text_limit);
        w.member("value", c.value).end_object();
        ++written;
    }
    w.end_array();
}

void write_action_element(writer& w, const message_action& a) {
    w.begin_object();
    if (a.choices.empty()) {
        w.member("type", "button").member("action_id", a.id).key("text");
        write_plain_text(w, a.label, button_text_limit);
        w.member("value", clip(a.value, button_value_limit));
        if (a.style == action_style::primary) w.member("style", "primary");
        if (a.style == action_style::danger) w.member("style", "danger");
    } else {
        w.member("type", "static_select").member("action_id", a.id).key("placeholder");
        write_plain_text(w, a.label, placeholder_limit);
        w.key("options");
        write_options(w, a.choices);
    }
    w.end_object();
}

void write_blocks(writer& w, const neutral_message& m) {
    w.begin_array();
    if (!m.title.empty()) {
        std::string title = m.is_error ? ":warning: " : "";
        title += m.title;
        w.begin_object().member("type", "header").key("text");
        write_plain_text(w, std::move(title), header_limit);
        w.end_object();
    }
    auto chunks = section_chunks(m.text);
    const std::size_t other_blocks = (m.title.empty() ? 0 : 1) + (m.fields.size() + max_fields - 1) / max_fields +
                                     (m.context.empty() ? 0 : 1) + (m.actions.size() + max_elements - 1) / max_elements;
    const std::size_t room = max_message_blocks > other_blocks ? max_message_blocks - other_blocks : 0;
    if (chunks.size() > room) {
        chunks.resize(room);
        if (!chunks.empty()) {
            auto& last = chunks.back();
            last = clip(std::move(last), section_limit - 3);
            if (!last.ends_with("...")) last += "...";
        }
    }
    for (const auto& chunk : chunks) {
        w.begin_object().member("type", "section").key("text");
        write_mrkdwn(w, chunk);
        w.end_object();
    }
    for (std::size_t first = 0; first < m.fields.size(); first += max_fields) {
        w.begin_object().member("type", "section").key("fields").begin_array();
        for (std::size_t i = first; i < m.fields.size() && i < first + max_fields; ++i) {
            const auto& f = m.fields[i];
            std::string text = "*";
            text += escape_mrkdwn(f.label);
            text += "*\n";
            text += field_value(f);
            write_mrkdwn(w, clip(std::move(text), field_limit));
        }
        w.end_array().end_object();
    }
    if (!m.context.empty()) {
        w.begin_object().member("type", "context").key("elements").begin_array();
        write_mrkdwn(w, clip(escape_mrkdwn(m.context), section_limit));
        w.end_array().end_object();
    }
    for (std::size_t first = 0; first < m.actions.size(); first += max_elements) {
        std::string block_id = "actions";
        if (first > 0) {
            block_id += '-';
            block_id += std::to_string(first / max_elements + 1);
        }
        w.begin_object().member("type", "actions").member("block_id", block_id).key("elements").begin_array();
        for (std::size_t i = first; i < m.actions.size() && i < first + max_elements; ++i)
            write_action_element(w, m.actions[i]);
        w.end_array().end_object();
    }
    w.end_array();
}

} // namespace

std::string escape_mrkdwn(std::string_view text) {
    std::string out;
    for_each_run(
        text,
        [&](std::string_view run) {
            for (char c : run) out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
        },
        [&](std::string_view channel, std::string_view label) {
            if (is_slack_id(std::string(channel))) out += "<#" + std::string(channel) + ">";
            else out += escape_mrkdwn(label);
        });
    return out;
}

std::string blocks(const neutral_message& m) {
    writer w;
    write_blocks(w, m);
    return w.out;
}

std::string options(const std::vector<choice>& choices) {
    writer w;
    write_options(w, choices);
    return w.out;
}

std::string ephemeral_body(const neutral_message& m) {
    writer w;
    w.begin_object().member("response_type", "ephemeral");
    w.member("text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)).key("blocks");
    write_blocks(w, m);
    return w.end_object().out;
}

std::string post_body(const neutral_message& m, const post_call& call) {
    using method = post_call::method;
    writer w;
    w.begin_object().member("channel", std::string(call.channel));
    w.member("text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)).key("blocks");
    write_blocks(w, m);
    if (call.to != method::update) w.key("unfurl_links").literal("false").key("unfurl_media").literal("false");
    if (call.to != method::post_ephemeral) {
        w.key("metadata").begin_object().member("event_type", "cxos_delivery");
        w.key("event_payload").begin_object().key("delivery_id").literal(std::to_string(call.delivery_id)).end_object();
        w.end_object();
    }
    if (call.to == method::update) w.member("ts", std::string(call.ts));
    if (call.to == method::post_ephemeral) w.member("user", std::string(call.user));
    if (call.to == method::post_message && !call.thread_ts.empty()) w.member("thread_ts", std::string(call.thread_ts));
    return w.end_object().out;
}

} // namespace cxos::slack::oracle
