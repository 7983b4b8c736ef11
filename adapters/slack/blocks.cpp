#include "adapters/slack/blocks.hpp"

#include "commands/json_writer.hpp"

#include <algorithm>

#include <vector>

namespace cxos::slack {
namespace {

// Block Kit limits: header 150 chars, section text 3000, field 2000, 10 fields, context 3000,
// 50 blocks in a message.
constexpr std::size_t header_limit = 150, section_limit = 3000, field_limit = 2000,
                      max_fields = 10, fallback_limit = 3000, max_message_blocks = 50;
// Actions blocks: 25 elements; button text 75, value 2000; option text 75, value 150, 100
// options; placeholder 150.
constexpr std::size_t max_elements = 25, button_text_limit = 75, button_value_limit = 2000,
                      option_text_limit = 75, option_value_limit = 150, max_options = 100,
                      placeholder_limit = 150;


// Splits raw text into pieces whose escaped form fits one section, at UTF-8 boundaries and
// preferably at a line break or space: a long description is shown whole, never clipped.
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

void write_mrkdwn(json_writer& w, std::string_view text) {
    w.begin_object().member("type", "mrkdwn").member("text", text).end_object();
}

// Slack ids are upper-case letters and digits; anyone else (a Teams reporter or owner) cannot be
// mentioned in Slack and is named by platform instead of as a broken mention.
bool is_slack_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
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

void write_plain_text(json_writer& w, std::string text, std::size_t limit) {
    w.begin_object().member("type", "plain_text").member("text", clip(std::move(text), limit));
    w.key("emoji").boolean(true).end_object();
}

// A button, or a static_select menu when the action offers choices.
void write_action_element(json_writer& w, const message_action& a) {
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

} // namespace

std::string clip(std::string s, std::size_t limit) {
    if (s.size() <= limit) return s;
    std::size_t cut = limit - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    return s + "...";
}

std::string escape_mrkdwn(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    // One pass over the bytes: find_first_of("&<>") searched the three-letter set once per byte.
    auto escape = [&out](std::string_view run) {
        std::size_t from = 0;
        for (std::size_t at = 0; at < run.size(); ++at) {
            const char c = run[at];
            if (c != '&' && c != '<' && c != '>') continue;
            out.append(run.data() + from, at - from);
            out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
            from = at + 1;
        }
        out.append(run.data() + from, run.size() - from);
    };
    // A channel cxos names is a link when it is a Slack channel; anything else shows its label.
    for_each_run(text, escape, [&](std::string_view channel, std::string_view label) {
        if (is_slack_id(std::string(channel))) out += "<#" + std::string(channel) + ">";
        else escape(label);
    });
    return out;
}

void write_options(json_writer& w, const std::vector<choice>& choices) {
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

nlohmann::json render_options(const std::vector<choice>& choices) {
    json_writer w;
    write_options(w, choices);
    return nlohmann::json::parse(w.take());
}

void write_blocks(json_writer& w, const neutral_message& m) {
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
    // Text past what 50 blocks hold is cut, and says so, rather than the whole post refused.
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
    // Block ids must be unique within a message: the first actions block is "actions", any
    // further one (past 25 elements) "actions-2", "actions-3", ...
    for (std::size_t first = 0; first < m.actions.size(); first += max_elements) {
        std::string block_id = "actions";
        if (first > 0) block_id += "-" + std::to_string(first / max_elements + 1);
        w.begin_object().member("type", "actions").member("block_id", block_id).key("elements").begin_array();
        for (std::size_t i = first; i < m.actions.size() && i < first + max_elements; ++i)
            write_action_element(w, m.actions[i]);
        w.end_array().end_object();
    }
    w.end_array();
}

nlohmann::json render_blocks(const neutral_message& m) {
    json_writer w;
    write_blocks(w, m);
    return nlohmann::json::parse(w.take());
}

std::string ephemeral_body(const neutral_message& m) {
    json_writer w(2048);
    w.begin_object().member("response_type", "ephemeral");
    w.member("text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)).key("blocks");
    write_blocks(w, m);
    return w.end_object().take();
}

std::string post_body(const neutral_message& m, const post_call& call) {
    using method = post_call::method;
    json_writer w(2048);
    w.begin_object().member("channel", call.channel);
    w.member("text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)).key("blocks");
    write_blocks(w, m);
    // An edit keeps the unfurl settings of the message it edits.
    if (call.to != method::update) w.key("unfurl_links").boolean(false).key("unfurl_media").boolean(false);
    if (call.to != method::post_ephemeral) {
        w.key("metadata").begin_object().member("event_type", "cxos_delivery");
        w.key("event_payload").begin_object().key("delivery_id").number(call.delivery_id).end_object();
        w.end_object();
    }
    if (call.to == method::update) w.member("ts", call.ts);
    if (call.to == method::post_ephemeral) w.member("user", call.user);
    if (call.to == method::post_message && !call.thread_ts.empty()) w.member("thread_ts", call.thread_ts);
    return w.end_object().take();
}

} // namespace cxos::slack
