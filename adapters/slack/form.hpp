#pragma once
// Decoding of the HTTP shapes Slack sends: media types and form-encoded bodies.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cxos::slack {

// `application/x-www-form-urlencoded; charset=utf-8` -> `application/x-www-form-urlencoded`.
std::string media_type(std::string_view content_type);

using form_fields = std::map<std::string, std::string>;

// Nothing when the body is not a valid form encoding.
std::optional<form_fields> parse_form(std::string_view body);

// Slack escapes &, < and > in user text; turn them back into what the user typed.
std::string unescape_text(std::string_view text);

} // namespace cxos::slack
