#include "adapters/slack/blocks.hpp"

#include "commands/byte_scan.hpp"
#include "commands/json_writer.hpp"

#include <algorithm>
#include <limits>
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
constexpr std::size_t no_limit = std::numeric_limits<std::size_t>::max();

// Slack ids are upper-case letters and digits; anyone else (a Teams reporter or owner) cannot be
// mentioned in Slack and is named by platform instead of as a broken mention.
bool is_slack_id(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

// '&', '<' and '>', which mrkdwn escapes. (Objects, not functions, so that the scan is compiled
// around them.)
constexpr auto is_mrkdwn_special = [](unsigned char c) { return c == '&' || c == '<' || c == '>'; };
constexpr auto mrkdwn_flags = [](std::uint64_t word) {
    return bytes::equal_to(word, '&') | bytes::equal_to(word, '<') | bytes::equal_to(word, '>');
};

// Escaped mrkdwn gathered in a string: for text that has to be clipped before it is written.
struct mrkdwn_buffer {
    bool append(std::string_view escaped) {
        out += escaped;
        return true;
    }
    std::string out;
};

// Escaped mrkdwn written straight into the JSON string being written, with no copy of it first.
// It gives up (append is false) once past `limit`, since only a buffer can be clipped, or where
// two parts would meet between non-ASCII bytes, which JSON escaping must see in one piece.
class mrkdwn_stream {
  public:
    mrkdwn_stream(json_writer& w, std::size_t limit) : w_(w), limit_(limit) {}
    bool append(std::string_view escaped) {
        if (escaped.empty()) return true;
        size_ += escaped.size();
        if (size_ > limit_ || (ends_non_ascii_ && is_non_ascii(escaped.front()))) return false;
        ends_non_ascii_ = is_non_ascii(escaped.back());
        w_.string_part(escaped);
        return true;
    }

  private:
    static bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
    json_writer& w_;
    std::size_t limit_, size_ = 0;
    bool ends_non_ascii_ = false;
};

// `text` with the three characters Slack's mrkdwn treats as control characters escaped.
template <class Out>
bool append_escaped(Out& out, std::string_view text) {
    std::size_t from = 0;
    for (auto at = bytes::find_first(text, 0, mrkdwn_flags, is_mrkdwn_special); at < text.size();
         at = bytes::find_first(text, from, mrkdwn_flags, is_mrkdwn_special)) {
        const char c = text[at];
        if (!out.append(text.substr(from, at - from)) || !out.append(c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;"))
            return false;
        from = at + 1;
    }
    return out.append(text.substr(from));
}

// A channel cxos names is a link when it is a Slack channel; anything else shows its label.
template <class Out>
bool append_mrkdwn(Out& out, std::string_view text) {
    bool ok = true;
    for_each_run(
        text, [&](std::string_view run) { ok = ok && append_escaped(out, run); },
        [&](std::string_view channel, std::string_view label) {
            if (!ok) return;
            if (is_slack_id(channel)) ok = out.append("<#") && out.append(channel) && out.append(">");
            else ok = append_escaped(out, label);
        });
    return ok;
}

template <class Out>
bool append_user(Out& out, std::string_view id) {
    return is_slack_id(id) ? out.append("<@") && out.append(id) && out.append(">") : out.append("someone in Teams");
}

template <class Out>
bool append_field_value(Out& out, const message_field& f) {
    switch (f.kind) {
    case field_kind::user: return append_user(out, f.value);
    case field_kind::channel:
        return is_slack_id(f.value) ? out.append("<#") && out.append(f.value) && out.append(">") : out.append("a Teams channel");
    case field_kind::users: {
        const std::string_view ids = f.value;
        bool any = false;
        for (std::size_t from = 0; from < ids.size();) {
            const auto end = std::min(ids.find(' ', from), ids.size());
            if (end > from) {
                if ((any && !out.append(", ")) || !append_user(out, ids.substr(from, end - from))) return false;
                any = true;
            }
            from = end + 1;
        }
        return any || out.append("nobody");
    }
    case field_kind::text: break;
    }
    return append_mrkdwn(out, f.value);
}

// The mrkdwn that `compose(out)` appends, as a JSON string clipped to `limit`: streamed when it
// fits, otherwise gathered, clipped and written.
template <class Compose>
void write_mrkdwn_string(json_writer& w, std::size_t limit, Compose compose) {
    const auto start = w.where();
    w.begin_string();
    mrkdwn_stream stream(w, limit);
    if (compose(stream)) {
        w.end_string();
        return;
    }
    w.rewind(start);
    mrkdwn_buffer buffer;
    compose(buffer);
    w.value(clip(std::move(buffer.out), limit));
}

template <class Compose>
void write_mrkdwn(json_writer& w, std::size_t limit, Compose compose) {
    w.begin_object().member("type", "mrkdwn").key("text");
    write_mrkdwn_string(w, limit, compose);
    w.end_object();
}

// Whether section_chunks would keep the text in one section: its length once '&', '<' and '>'
// are escaped fits.
bool fits_one_section(std::string_view text) {
    if (text.size() * 5 <= section_limit) return true; // even were every byte a '&'
    std::size_t width = text.size();
    for (const char c : text) width += c == '&' ? 4 : (c == '<' || c == '>') ? 3 : 0;
    return width <= section_limit;
}

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

void write_section(json_writer& w, std::string_view escaped) {
    w.begin_object().member("type", "section").key("text");
    w.begin_object().member("type", "mrkdwn").member("text", escaped).end_object();
    w.end_object();
}

// The text as sections, in the `room` blocks left for it: cut, and saying so, past what they hold.
void write_text_sections(json_writer& w, std::string_view text, std::size_t room) {
    if (text.empty() || room == 0) return;
    if (fits_one_section(text)) { // one section, the text as it is (most messages)
        w.begin_object().member("type", "section").key("text");
        write_mrkdwn(w, no_limit, [&](auto& out) { return append_mrkdwn(out, text); });
        w.end_object();
        return;
    }
    auto chunks = section_chunks(text);
    if (chunks.size() > room) {
        chunks.resize(room);
        auto& last = chunks.back();
        last = clip(std::move(last), section_limit - 3);
        if (!last.ends_with("...")) last += "...";
    }
    for (const auto& chunk : chunks) write_section(w, chunk);
}

// `prefix` then `text`, clipped to `limit`, as a plain_text object.
void write_plain_text(json_writer& w, std::string_view text, std::size_t limit, std::string_view prefix = {}) {
    w.begin_object().member("type", "plain_text").key("text");
    if (prefix.size() + text.size() <= limit) {
        w.begin_string().string_part(prefix).string_part(text).end_string();
    } else {
        std::string whole(prefix);
        whole += text;
        w.value(clip(std::move(whole), limit));
    }
    w.key("emoji").boolean(true).end_object();
}

// A button, or a static_select menu when the action offers choices.
void write_action_element(json_writer& w, const message_action& a) {
    w.begin_object();
    if (a.choices.empty()) {
        w.member("type", "button").member("action_id", a.id).key("text");
        write_plain_text(w, a.label, button_text_limit);
        w.key("value");
        if (a.value.size() <= button_value_limit) w.value(a.value);
        else w.value(clip(a.value, button_value_limit));
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

// The one line notifications show, escaped as mrkdwn and clipped; the title and the text are
// escaped apart unless a channel link could begin in one and end in the other.
void write_fallback_text(json_writer& w, const neutral_message& m) {
    const auto parts = m.fallback_parts();
    // Named, not bound: the fuzz build's clang (before 16) cannot capture a structured binding.
    const std::string_view first = parts.first, second = parts.second;
    w.key("text");
    if (first.find(mention_open) != std::string_view::npos && !second.empty())
        write_mrkdwn_string(w, fallback_limit, [&](auto& out) { return append_mrkdwn(out, m.fallback_text()); });
    else
        write_mrkdwn_string(w, fallback_limit, [&](auto& out) {
            return append_mrkdwn(out, first) && (second.empty() || (out.append(": ") && append_mrkdwn(out, second)));
        });
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
    mrkdwn_buffer buffer;
    buffer.out.reserve(text.size());
    append_mrkdwn(buffer, text);
    return std::move(buffer.out);
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
        w.begin_object().member("type", "header").key("text");
        write_plain_text(w, m.title, header_limit, m.is_error ? ":warning: " : "");
        w.end_object();
    }
    const std::size_t other_blocks = (m.title.empty() ? 0 : 1) + (m.fields.size() + max_fields - 1) / max_fields +
                                     (m.context.empty() ? 0 : 1) + (m.actions.size() + max_elements - 1) / max_elements;
    // Text past what 50 blocks hold is cut, and says so, rather than the whole post refused.
    write_text_sections(w, m.text, max_message_blocks > other_blocks ? max_message_blocks - other_blocks : 0);
    for (std::size_t first = 0; first < m.fields.size(); first += max_fields) {
        w.begin_object().member("type", "section").key("fields").begin_array();
        for (std::size_t i = first; i < m.fields.size() && i < first + max_fields; ++i) {
            const auto& f = m.fields[i];
            write_mrkdwn(w, field_limit, [&](auto& out) {
                return out.append("*") && append_mrkdwn(out, f.label) && out.append("*\n") && append_field_value(out, f);
            });
        }
        w.end_array().end_object();
    }
    if (!m.context.empty()) {
        w.begin_object().member("type", "context").key("elements").begin_array();
        write_mrkdwn(w, section_limit, [&](auto& out) { return append_mrkdwn(out, m.context); });
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
    write_fallback_text(w, m);
    w.key("blocks");
    write_blocks(w, m);
    return w.end_object().take();
}

std::string response_url_body(const neutral_message& m) {
    json_writer w(2048);
    // A new note beside the clicked message, never in its place: the buttons stay for the others.
    w.begin_object().member("response_type", "ephemeral").key("replace_original").boolean(false);
    write_fallback_text(w, m);
    w.key("blocks");
    write_blocks(w, m);
    return w.end_object().take();
}

std::string post_body(const neutral_message& m, const post_call& call) {
    using method = post_call::method;
    json_writer w(2048);
    w.begin_object().member("channel", call.channel);
    write_fallback_text(w, m);
    w.key("blocks");
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
