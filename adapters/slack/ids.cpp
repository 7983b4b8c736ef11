#include "adapters/slack/ids.hpp"

#include <algorithm>

namespace cxos::slack {
namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

bool is_id(std::string_view id, std::string_view prefixes) {
    if (id.size() < 2 || id.size() > max_id_length || prefixes.find(id.front()) == std::string_view::npos)
        return false;
    return std::all_of(id.begin() + 1, id.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool is_ts(std::string_view ts) {
    const auto dot = ts.find('.');
    return ts.size() <= max_id_length && dot != std::string_view::npos && is_digits(ts.substr(0, dot)) &&
           is_digits(ts.substr(dot + 1));
}

field_check& field_check::fail(std::string_view field, std::string_view what) {
    if (defect_.empty()) defect_ = "`" + std::string(field) + "` " + std::string(what);
    return *this;
}

field_check& field_check::id(std::string_view field, std::string_view value, std::string_view prefixes) {
    if (value.empty() || is_id(value, prefixes)) return *this;
    std::string shape = "is not a Slack id (one of ";
    for (char p : prefixes) shape += std::string(1, p) + "…, ";
    shape.resize(shape.size() - 2);
    return fail(field, shape + " in uppercase letters and digits, at most " + std::to_string(max_id_length) +
                           " characters)");
}

field_check& field_check::ts(std::string_view field, std::string_view value) {
    if (value.empty() || is_ts(value)) return *this;
    return fail(field, "is not a Slack message timestamp (digits.digits)");
}

field_check& field_check::token(std::string_view field, std::string_view value) {
    const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_';
    });
    if (plain && value.size() <= max_token_bytes) return *this;
    return fail(field, "is not a Slack token (at most " + std::to_string(max_token_bytes) +
                           " letters, digits, '.', '-' and '_')");
}

field_check& field_check::text(std::string_view field, std::string_view value, std::size_t max_bytes) {
    if (value.size() <= max_bytes) return *this;
    return fail(field, "is longer than Slack's " + std::to_string(max_bytes) + " characters");
}

} // namespace cxos::slack
