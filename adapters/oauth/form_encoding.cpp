#include "adapters/oauth/form_encoding.hpp"

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
    if (!parsed) return std::nullopt;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    form_fields fields;
    fields.reserve(parsed->size());
    for (const auto param : *parsed) {
        const bool added = fields.emplace(param.key.decode(opts), param.has_value ? param.value.decode(opts) : "").second;
        if (!added && repeats == repeated_field::refused) return std::nullopt;
    }
    return fields;
}

std::string percent_encoded(std::string_view value) { return boost::urls::encode(value, boost::urls::unreserved_chars); }

} // namespace cxos::oauth
