#pragma once
// parse_form as it was before cxos decoded forms itself: Boost.URL's parse_query and its
// decoding. Kept only in the tests and the slack_form fuzz target, as the oracle the product's
// decoder must agree with on every body, accepted or refused.
#include "adapters/oauth/form_encoding.hpp"

#include <optional>
#include <string_view>

namespace cxos::testing {

std::optional<oauth::form_fields> parse_form_with_boost_url(std::string_view body, oauth::repeated_field repeats);

} // namespace cxos::testing
