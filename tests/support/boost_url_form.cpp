#include "tests/support/boost_url_form.hpp"

#include <algorithm>
#include <string>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>

namespace cxos::testing {

std::optional<oauth::form_fields> parse_form_with_boost_url(std::string_view body, oauth::repeated_field repeats) {
    // Boost.URL 1.81's parse_query measures its input with strlen() rather than its size: a
    // NUL-terminated copy keeps it to exactly the body.
    const std::string text(body);
    const auto parsed = boost::urls::parse_query(text);
    if (!parsed || parsed->size() > oauth::max_form_fields) return std::nullopt;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    oauth::form_fields::sequence_type pairs;
    for (const auto param : *parsed)
        pairs.emplace_back(param.key.decode(opts), param.has_value ? param.value.decode(opts) : std::string());
    const auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    const auto same_name = [](const auto& a, const auto& b) { return a.first == b.first; };
    std::stable_sort(pairs.begin(), pairs.end(), by_name);
    if (repeats == oauth::repeated_field::refused && std::adjacent_find(pairs.begin(), pairs.end(), same_name) != pairs.end())
        return std::nullopt;
    pairs.erase(std::unique(pairs.begin(), pairs.end(), same_name), pairs.end());
    oauth::form_fields fields;
    fields.adopt_sequence(boost::container::ordered_unique_range, std::move(pairs));
    return fields;
}

} // namespace cxos::testing
