#pragma once
// Slack's Block Kit rendering as it stood before it was made faster (commit b46b9aa), kept only as
// the reference the faster writer must match byte for byte: simple code that builds each text as
// a string, mrkdwn-escapes it, clips it and then JSON-escapes it through json_text().
#include "adapters/slack/blocks.hpp"

#include <string>

namespace cxos::slack::oracle {

std::string escape_mrkdwn(std::string_view text);
std::string blocks(const neutral_message& m);                 // write_blocks' text
std::string options(const std::vector<choice>& choices);       // write_options' text
std::string ephemeral_body(const neutral_message& m);
std::string post_body(const neutral_message& m, const post_call& call);

} // namespace cxos::slack::oracle
