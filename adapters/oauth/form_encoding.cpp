#include "adapters/oauth/form_encoding.hpp"

#include <algorithm>

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace cxos::oauth {

std::optional<form_fields> parse_form(std::string_view body, repeated_field repeats) {
    // Boost.URL 1.81's parse_query measures its input with strlen() rather than its size (found by
    // fuzzing): on a view that is not NUL-terminated it reads past the end and parses whatever
    // follows. A NUL-terminated copy keeps it to exactly the body.
    const std::string text(body);
    // Parsed once and decoded from the parse: a params_view over the text would parse it again.
    const auto parsed = boost::urls::parse_query(text);
    if (!parsed || parsed->size() > max_form_fields) return std::nullopt;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    // Sorted once, not inserted one by one: each insert into the sorted vector moves the fields
    // after it, quadratic in a body that arrives before its signature is checked.
    form_fields::sequence_type pairs;
    pairs.reserve(parsed->size());
    for (const auto param : *parsed)
        pairs.emplace_back(param.key.decode(opts), param.has_value ? param.value.decode(opts) : std::string());
    const auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    const auto same_name = [](const auto& a, const auto& b) { return a.first == b.first; };
    std::stable_sort(pairs.begin(), pairs.end(), by_name); // a repeat stays after the first
    if (repeats == repeated_field::refused && std::adjacent_find(pairs.begin(), pairs.end(), same_name) != pairs.end())
        return std::nullopt;
    pairs.erase(std::unique(pairs.begin(), pairs.end(), same_name), pairs.end());
    form_fields fields;
    fields.adopt_sequence(boost::container::ordered_unique_range, std::move(pairs));
    return fields;
}

std::string percent_encoded(std::string_view value) { return boost::urls::encode(value, boost::urls::unreserved_chars); }

} // namespace cxos::oauth
