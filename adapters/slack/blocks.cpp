#include "adapters/slack/blocks.hpp"

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

nlohmann::json mrkdwn(std::string text) {
    return {{"type", "mrkdwn"}, {"text", std::move(text)}};
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

nlohmann::json plain_text(std::string text, std::size_t limit) {
    return {{"type", "plain_text"}, {"text", clip(std::move(text), limit)}, {"emoji", true}};
}

// A button, or a static_select menu when the action offers choices.
nlohmann::json action_element(const message_action& a) {
    if (a.choices.empty()) {
        nlohmann::json button = {{"type", "button"},
                                 {"action_id", a.id},
                                 {"text", plain_text(a.label, button_text_limit)},
                                 {"value", clip(a.value, button_value_limit)}};
        if (a.style == action_style::primary) button["style"] = "primary";
        if (a.style == action_style::danger) button["style"] = "danger";
        return button;
    }
    return {{"type", "static_select"},
            {"action_id", a.id},
            {"placeholder", plain_text(a.label, placeholder_limit)},
            {"options", render_options(a.choices)}};
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
    auto escape = [&out](std::string_view run) {
        for (char c : run) {
            switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out.push_back(c);
            }
        }
    };
    // A channel cxos names is a link when it is a Slack channel; anything else shows its label.
    for_each_run(text, escape, [&](std::string_view channel, std::string_view label) {
        if (is_slack_id(std::string(channel))) out += "<#" + std::string(channel) + ">";
        else escape(label);
    });
    return out;
}

nlohmann::json render_options(const std::vector<choice>& choices) {
    auto options = nlohmann::json::array();
    for (const auto& c : choices) {
        if (options.size() == max_options) break;
        if (c.value.size() > option_value_limit) continue;
        options.push_back({{"text", plain_text(c.label, option_text_limit)}, {"value", c.value}});
    }
    return options;
}

nlohmann::json render_blocks(const neutral_message& m) {
    auto blocks = nlohmann::json::array();
    if (!m.title.empty()) {
        std::string title = m.is_error ? ":warning: " : "";
        title += m.title;
        blocks.push_back({{"type", "header"},
                          {"text", {{"type", "plain_text"}, {"text", clip(title, header_limit)},
                                    {"emoji", true}}}});
    }
    auto chunks = section_chunks(m.text);
    const std::size_t other_blocks = blocks.size() + (m.fields.size() + max_fields - 1) / max_fields +
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
    for (auto& chunk : chunks)
        blocks.push_back({{"type", "section"}, {"text", mrkdwn(std::move(chunk))}});
    if (!m.fields.empty()) {
        auto fields = nlohmann::json::array();
        for (const auto& f : m.fields) {
            if (fields.size() == max_fields) {
                blocks.push_back({{"type", "section"}, {"fields", fields}});
                fields = nlohmann::json::array();
            }
            std::string text = "*";
            text += escape_mrkdwn(f.label);
            text += "*\n";
            text += field_value(f);
            fields.push_back(mrkdwn(clip(std::move(text), field_limit)));
        }
        blocks.push_back({{"type", "section"}, {"fields", fields}});
    }
    if (!m.context.empty())
        blocks.push_back({{"type", "context"},
                          {"elements", {mrkdwn(clip(escape_mrkdwn(m.context), section_limit))}}});
    // Block ids must be unique within a message: the first actions block is "actions", any
    // further one (past 25 elements) "actions-2", "actions-3", ...
    for (std::size_t first = 0; first < m.actions.size(); first += max_elements) {
        auto elements = nlohmann::json::array();
        for (std::size_t i = first; i < m.actions.size() && i < first + max_elements; ++i)
            elements.push_back(action_element(m.actions[i]));
        std::string block_id = "actions";
        if (first > 0) block_id += "-" + std::to_string(first / max_elements + 1);
        blocks.push_back({{"type", "actions"}, {"block_id", block_id}, {"elements", elements}});
    }
    return blocks;
}

nlohmann::json render_ephemeral(const neutral_message& m) {
    return {{"response_type", "ephemeral"},
            {"text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)},
            {"blocks", render_blocks(m)}};
}

nlohmann::json render_post(const neutral_message& m, std::string_view channel,
                           std::int64_t delivery_id) {
    return {{"channel", channel},
            {"text", clip(escape_mrkdwn(m.fallback_text()), fallback_limit)},
            {"blocks", render_blocks(m)},
            {"unfurl_links", false},
            {"unfurl_media", false},
            {"metadata",
             {{"event_type", "cxos_delivery"}, {"event_payload", {{"delivery_id", delivery_id}}}}}};
}

} // namespace cxos::slack
