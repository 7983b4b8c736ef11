#pragma once
// Renders neutral messages as Block Kit, within Block Kit's size limits.
#include "commands/json_writer.hpp"
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

namespace cxos::slack {

// Shortens text to at most `limit` bytes, ending in "...", never splitting a UTF-8 character.
std::string clip(std::string s, std::size_t limit);

// Escapes the three characters Slack's mrkdwn treats as control characters.
std::string escape_mrkdwn(std::string_view text);

// Up to 50 blocks (a longer text is cut and ends in "..."), each within its own limits, as a
// JSON array; render_blocks gives the same as a value, for callers that build on it.
void write_blocks(json_writer& w, const neutral_message& m);
nlohmann::json render_blocks(const neutral_message& m);

// A menu's options as Slack takes them: at most 100, texts clipped to 75 characters; a choice
// whose value is longer than Slack's 150 is left out, since a cut value would name something else.
void write_options(json_writer& w, const std::vector<choice>& choices);
nlohmann::json render_options(const std::vector<choice>& choices);

// The body of a slash command's HTTP answer, visible only to the person who typed it. Every
// report is answered with one, so it is written straight to text, not built as a value first.
std::string ephemeral_body(const neutral_message& m);
// The same note posted to a click's response_url, beside the clicked message.
std::string response_url_body(const neutral_message& m);

// Which Web API method a message goes to and what that method needs besides the message.
struct post_call {
    enum class method { post_message, update, post_ephemeral };
    method to = method::post_message;
    std::string_view channel;
    std::int64_t delivery_id = 0; // rides along as metadata (not on ephemeral notes, which have none)
    std::string_view ts;          // update: the message it edits
    std::string_view user;        // post_ephemeral: the one person who sees it
    std::string_view thread_ts;   // post_message: the thread it replies in, if any
};

// The body of `chat.postMessage`, `chat.update` or `chat.postEphemeral`. The delivery id in the
// metadata lets a post whose answer was lost in a crash be recognised later.
std::string post_body(const neutral_message& m, const post_call& call);

} // namespace cxos::slack
