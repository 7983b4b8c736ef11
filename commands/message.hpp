#pragma once
// A platform-neutral message: each adapter renders it (Block Kit for Slack).
// Text uses the markup both chat platforms share: *bold*, _italic_, `code`.
#include <string>
#include <vector>

namespace cxos {

// A field's value is text, or the id of a user or channel that the adapter turns into a mention.
enum class field_kind { text, user, channel };

struct message_field {
    std::string label;
    std::string value;
    field_kind kind = field_kind::text;
};

struct neutral_message {
    std::string title;
    std::string text;
    std::vector<message_field> fields;
    std::string context; // small print under the message
    bool is_error = false;

    // One line for notifications and screen readers.
    std::string fallback_text() const { return title.empty() ? text : title + ": " + text; }
};

} // namespace cxos
