#pragma once
// Platform-neutral messages and forms: each adapter renders them (Block Kit for Slack) and turns
// what users do with them back into the neutral events below.
// Text uses the markup both chat platforms share: *bold*, _italic_, `code`.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxos {

// A field's value is text, or the id of a user or channel that the adapter turns into a mention;
// `users` is several user ids separated by spaces ("" renders as "nobody").
enum class field_kind { text, user, channel, users };

// A channel named inside text: Slack shows a link for a Slack channel id, other platforms show
// `label`. The markers are control characters, which chat clients do not let people type, so
// typed text never forms one; only cxos builds them, from ids in its config.
inline constexpr char mention_open = '\x1e';
inline constexpr char mention_split = '\x1f';
inline std::string channel_mention(std::string_view channel_id, std::string_view label) {
    std::string out;
    out.reserve(channel_id.size() + label.size() + 3);
    out += mention_open;
    out += channel_id;
    out += mention_split;
    out += label;
    out += mention_open;
    return out;
}

// Walks `text`: `on_text(run)` for plain runs, `on_channel(id, label)` for each channel mention.
template <class OnText, class OnChannel>
void for_each_run(std::string_view text, OnText on_text, OnChannel on_channel) {
    while (!text.empty()) {
        const auto open = text.find(mention_open);
        const auto split = open == std::string_view::npos ? open : text.find(mention_split, open + 1);
        const auto close = split == std::string_view::npos ? split : text.find(mention_open, split + 1);
        if (close == std::string_view::npos) {
            on_text(text);
            return;
        }
        if (open > 0) on_text(text.substr(0, open));
        on_channel(text.substr(open + 1, split - open - 1), text.substr(split + 1, close - split - 1));
        text.remove_prefix(close + 1);
    }
}

// The text with each channel mention replaced by its label: for places that cannot link.
inline std::string plain_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_run(text, [&](std::string_view run) { out += run; },
                 [&](std::string_view, std::string_view label) { out += label; });
    return out;
}

struct message_field {
    std::string label;
    std::string value;
    field_kind kind = field_kind::text;
};

struct choice {
    std::string value;
    std::string label;
};

enum class action_style { normal, primary, danger };

// A button, or a menu when `choices` is not empty. `id` says what the action is ("triage.ack");
// `value` says what it acts on ("12"); for a menu the chosen choice's value arrives instead.
struct message_action {
    std::string id;
    std::string label;
    std::string value;
    action_style style = action_style::normal;
    std::vector<choice> choices;
    // The action asks for more (a note, a date): platforms that open forms from a click in a
    // different way (Teams task modules) need to know before the click.
    bool opens_form = false;
};

struct neutral_message {
    std::string title;
    std::string text;
    std::vector<message_field> fields;
    std::string context; // small print under the message
    std::vector<message_action> actions;
    bool is_error = false;

    // One line for notifications and screen readers: "Title: text", but never "Title: Title: …"
    // when the text already begins with its title.
    std::string fallback_text() const {
        const auto [first, second] = fallback_parts();
        std::string out(first);
        if (!second.empty()) (out += ": ") += second;
        return out;
    }
    // The texts fallback_text() joins with ": " (the second empty when it is one text alone), for a
    // writer that escapes each in place instead of a joined copy.
    std::pair<std::string_view, std::string_view> fallback_parts() const {
        if (title.empty() || text.starts_with(title)) return {text.empty() ? title : text, {}};
        if (text.empty()) return {title, {}};
        return {title, text};
    }
};

// `date` values are "YYYY-MM-DD".
// A short answer that something was refused or could not be done.
inline neutral_message error_note(std::string title, std::string text) {
    neutral_message m;
    m.title = std::move(title);
    m.text = std::move(text);
    m.is_error = true;
    return m;
}

enum class input_kind { text, multiline, select, url, date };

struct form_input {
    std::string id; // key of the value in a submission
    std::string label;
    input_kind kind = input_kind::text;
    bool optional = false;
    std::string initial; // text, or the value of the initially selected choice
    std::string placeholder;
    std::string hint;
    std::vector<choice> choices; // for select
    std::size_t max_length = 0;  // 0: the platform's own limit
};

// The most state a form may carry: Slack's private_metadata, the smallest carrier, holds 3000.
inline constexpr std::size_t max_form_state_bytes = 3000;

// A dialog (a Slack modal). `id` names the form; `state` is opaque context the platform carries
// back unchanged on submission (never secret, never trusted for authorisation), at most
// max_form_state_bytes.
struct neutral_form {
    std::string id;
    std::string title;       // short: Slack allows 24 characters
    std::string submit_label;
    std::string intro;       // optional text above the inputs
    std::vector<form_input> inputs;
    std::string state;
};

// What a user submitted; values are keyed by input id, absent when left empty.
struct form_submission {
    std::string form_id;
    std::string state;
    std::map<std::string, std::string> values;
};

// Validation errors by input id, shown next to each input.
using form_errors = std::map<std::string, std::string>;

} // namespace cxos
