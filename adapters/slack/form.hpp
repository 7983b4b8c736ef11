#pragma once
// Decoding of the HTTP shapes Slack sends: media types and form-encoded bodies.
#include "adapters/oauth/form_encoding.hpp"

#include <string>
#include <string_view>

namespace cxos::slack {

// `application/x-www-form-urlencoded; charset=utf-8` -> `application/x-www-form-urlencoded`.
std::string media_type(std::string_view content_type);

// Slack's bodies are form encoding, decoded by the one decoder cxos has (the first of a repeated
// field wins).
using oauth::form_fields;
using oauth::parse_form;

// Slack escapes &, < and > in user text; turn them back into what the user typed.
std::string unescape_text(std::string text);

} // namespace cxos::slack
