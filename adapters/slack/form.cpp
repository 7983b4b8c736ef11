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

std::string unescape_text(std::string typed) {
    // Most reports have no '&': the text is handed back as it came, not copied.
    if (typed.find('&') == std::string::npos) return typed;
    std::string_view text = typed;
    std::string out;
    out.reserve(text.size());
    // Runs without '&' are copied whole.
    for (auto amp = text.find('&'); amp != std::string_view::npos; amp = text.find('&')) {
        out.append(text.substr(0, amp));
        text.remove_prefix(amp);
        if (text.starts_with("&amp;")) { out.push_back('&'); text.remove_prefix(5); }
        else if (text.starts_with("&lt;")) { out.push_back('<'); text.remove_prefix(4); }
        else if (text.starts_with("&gt;")) { out.push_back('>'); text.remove_prefix(4); }
        else { out.push_back('&'); text.remove_prefix(1); }
    }
    out.append(text);
    return out;
}

} // namespace cxos::slack
