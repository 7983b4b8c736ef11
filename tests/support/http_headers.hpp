#pragma once
// HTTP header names are case-insensitive; tests look them up in lower case.
#include <cctype>
#include <map>
#include <string>

namespace cxos::test {

// Every field of a Boost.Beast header (request or response), names lower-cased.
template <class Fields>
std::map<std::string, std::string> lower_case_headers(const Fields& fields) {
    std::map<std::string, std::string> out;
    for (const auto& field : fields) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[name] = std::string(field.value());
    }
    return out;
}

} // namespace cxos::test
