#pragma once
// application/x-www-form-urlencoded, the one decoder and encoder cxos has for it: Slack's request
// bodies, the query strings OAuth redirects bring back, and the token requests cxos sends.
#include <boost/container/flat_map.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cxos::oauth {

// Sorted in one allocation rather than a node per field: every slash command is decoded through
// here. Looked up by any string type.
using form_fields = boost::container::flat_map<std::string, std::string, std::less<>>;

// What a field named twice means. Slack's signed bodies keep the first, so a repeat cannot
// override a verified one; an OAuth redirect is refused, as a repeat could mean two things.
enum class repeated_field { first_wins, refused };

// More fields than any form cxos is sent (a slash command has ~15, an OAuth redirect a few): a
// body past it is refused before its fields are decoded, and its signature is not checked yet.
inline constexpr std::size_t max_form_fields = 100;

// Nothing when the text is not valid form encoding ('+' is a space), names more than
// max_form_fields fields, or names a field twice under repeated_field::refused.
std::optional<form_fields> parse_form(std::string_view body, repeated_field repeats = repeated_field::first_wins);

// A value percent-encoded for a form body or a query: everything but RFC 3986's unreserved
// characters, a space as %20.
std::string percent_encoded(std::string_view value);

} // namespace cxos::oauth
