#include "adapters/slack/form.hpp"

#include <algorithm>
#include <cctype>

namespace cxos::slack {

std::string media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    auto type = content_type.substr(0, semi);
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    std::string out(type);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string unescape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&') {
            auto rest = text.substr(i);
            if (rest.rfind("&amp;", 0) == 0) { out.push_back('&'); i += 4; continue; }
            if (rest.rfind("&lt;", 0) == 0) { out.push_back('<'); i += 3; continue; }
            if (rest.rfind("&gt;", 0) == 0) { out.push_back('>'); i += 3; continue; }
        }
        out.push_back(text[i]);
    }
    return out;
}

} // namespace cxos::slack
