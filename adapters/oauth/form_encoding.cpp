#include "adapters/oauth/form_encoding.hpp"

#include "commands/hex_digit.hpp"

#include <algorithm>
#include <array>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace cxos::oauth {
namespace {

enum class byte_kind : unsigned char { refused, literal, plus, percent, equals, separator };

// What each byte is outside a %XX. The literal ones are RFC 3986's query characters (pchar, '/'
// and '?'), the grammar Boost.URL's parse_query enforced when parse_form was built on it; anything
// else (a space, '"', '#', '<', '[', a control or non-ASCII byte) refuses the body, as it did then.
constexpr auto byte_kinds = [] {
    std::array<byte_kind, 256> kinds{};
    constexpr std::string_view literals = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                          "-._~!$'()*,;:@/?";
    for (const char c : literals) kinds[static_cast<unsigned char>(c)] = byte_kind::literal;
    kinds['+'] = byte_kind::plus;
    kinds['%'] = byte_kind::percent;
    kinds['='] = byte_kind::equals;
    kinds['&'] = byte_kind::separator;
    return kinds;
}();

// A field as it stands in the body. The value is decoded only for the field that is kept; a part
// without '%' or '+' is copied as it is. Trivial, so the array of max_form_fields of them each
// body is split into is not written before it is used.
struct raw_field {
    const char* name_data;
    std::size_t name_size;
    const char* value_data;
    std::size_t value_size;
    bool name_encoded;
    bool value_encoded;

    std::string_view name() const { return {name_data, name_size}; }
    std::string_view value() const { return {value_data, value_size}; }
};
using raw_fields = std::array<raw_field, max_form_fields>;

// The body's fields in its order (an empty body has none, every '&' adds one), in one pass, or
// nothing when a byte may not stand in a form, a '%' lacks its two hex digits, or there are more
// than max_form_fields fields.
std::optional<std::size_t> split_fields(std::string_view body, raw_fields& fields) {
    if (body.empty()) return 0;
    std::size_t count = 0;
    const char* const end = body.data() + body.size();
    const char* start = body.data();
    const char* equals = nullptr;
    bool name_encoded = false, value_encoded = false;
    for (const char* p = body.data();; ++p) {
        // Most bytes stand for themselves: one well-predicted test each.
        while (p != end && byte_kinds[static_cast<unsigned char>(*p)] == byte_kind::literal) ++p;
        if (p == end || *p == '&') {
            if (count == max_form_fields) return std::nullopt;
            auto& field = fields[count++];
            const char* const name_end = equals ? equals : p;
            const char* const value_start = equals ? equals + 1 : p;
            field = {start, static_cast<std::size_t>(name_end - start), value_start,
                     static_cast<std::size_t>(p - value_start), name_encoded, value_encoded};
            if (p == end) return count;
            start = p + 1;
            equals = nullptr;
            name_encoded = value_encoded = false;
            continue;
        }
        switch (byte_kinds[static_cast<unsigned char>(*p)]) {
        case byte_kind::equals:
            if (!equals) equals = p;
            break;
        case byte_kind::percent:
            if (end - p < 3 || hex_digit_value(p[1]) < 0 || hex_digit_value(p[2]) < 0) return std::nullopt;
            p += 2;
            [[fallthrough]];
        case byte_kind::plus: (equals ? value_encoded : name_encoded) = true; break;
        default: return std::nullopt;
        }
    }
}

// '+' is a space, %XX its byte; split_fields has seen every '%' has two hex digits. Writes at
// `out`, which has room for raw.size() bytes (decoding never lengthens), and returns the end.
char* decode_into(std::string_view raw, char* out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%') {
            *out++ = static_cast<char>(hex_digit_value(raw[i + 1]) * 16 + hex_digit_value(raw[i + 2]));
            i += 2;
        } else {
            *out++ = raw[i] == '+' ? ' ' : raw[i];
        }
    }
    return out;
}

std::string decoded(std::string_view raw, bool encoded) {
    if (!encoded) return std::string(raw);
    std::string text(raw.size(), '\0');
    text.resize(static_cast<std::size_t>(decode_into(raw, text.data()) - text.data()));
    return text;
}

} // namespace

std::optional<form_fields> parse_form(std::string_view body, repeated_field repeats) {
    raw_fields raw;
    const auto count = split_fields(body, raw);
    if (!count) return std::nullopt;
    const auto end = raw.begin() + static_cast<std::ptrdiff_t>(*count);
    // Names are compared decoded. Those that need it are decoded into one buffer reserved at the
    // body's size, so no view into it moves; it is allocated only when a name is encoded, which
    // Slack's never are.
    std::string decoded_names;
    for (auto field = raw.begin(); field != end; ++field) {
        if (!field->name_encoded) continue;
        if (decoded_names.capacity() < body.size()) decoded_names.reserve(body.size());
        const auto start = decoded_names.size();
        decoded_names.resize(start + field->name_size);
        const auto* const last = decode_into(field->name(), decoded_names.data() + start);
        decoded_names.resize(static_cast<std::size_t>(last - decoded_names.data()));
        field->name_data = decoded_names.data() + start;
        field->name_size = decoded_names.size() - start;
    }
    // An insertion sort of views, stable so the first of a repeat stays first: no buffer to
    // allocate as std::stable_sort would, and a body's fields are few (at most max_form_fields).
    const auto by_name = [](const raw_field& a, const raw_field& b) { return a.name() < b.name(); };
    for (auto next = raw.begin() + 1; next < end; ++next)
        std::rotate(std::upper_bound(raw.begin(), next, *next, by_name), next, next + 1);
    form_fields::sequence_type pairs;
    pairs.reserve(*count);
    for (auto field = raw.begin(); field != end; ++field) {
        if (field != raw.begin() && field->name() == (field - 1)->name()) {
            if (repeats == repeated_field::refused) return std::nullopt;
            continue;
        }
        pairs.emplace_back(std::string(field->name()), decoded(field->value(), field->value_encoded));
    }
    form_fields fields;
    fields.adopt_sequence(boost::container::ordered_unique_range, std::move(pairs));
    return fields;
}

std::string percent_encoded(std::string_view value) { return boost::urls::encode(value, boost::urls::unreserved_chars); }

} // namespace cxos::oauth
