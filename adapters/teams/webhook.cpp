#include "adapters/teams/webhook.hpp"

#include "adapters/teams/cards.hpp"
#include "adapters/teams/ids.hpp"
#include "adapters/teams/json_fields.hpp"
#include "commands/utf8.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <stdexcept>

namespace cxos::teams {

namespace {

using nlohmann::json;

// The HTML elements Teams puts into a message's text (formatting, mentions, lists, links, code,
// quotes, tables). Anything else between '<' and '>' is what someone typed ("qty <5 or >9",
// "use <tenant-id> here") and stays text: Teams does not always escape it.
bool is_teams_tag_name(std::string_view name) {
    static constexpr std::string_view known[] = {
        "a",  "at", "attachment", "b",  "blockquote", "br",    "code",  "codeblock", "del",   "div",  "em",
        "emoji", "font", "h1", "h2", "h3", "h4", "h5", "h6",  "hr",    "i",     "img",   "ins",    "li", "ol",
        "p",  "pre", "s", "span", "ss", "strike", "strong", "sub", "sup", "systemtag", "table", "tbody", "td",
        "th", "thead", "tr", "u", "ul"};
    const auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
    return std::any_of(std::begin(known), std::end(known), [&](std::string_view k) {
        return name.size() == k.size() && std::equal(name.begin(), name.end(), k.begin(), same);
    });
}

// The length of the tag starting at html[i] (a '<'), or 0 when it is not a tag but text.
std::size_t tag_length(std::string_view html, std::size_t i) {
    std::size_t name_start = i + 1;
    if (name_start < html.size() && html[name_start] == '/') ++name_start;
    std::size_t name_end = name_start;
    while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end]))) ++name_end;
    if (name_end == name_start || name_end == html.size()) return 0;
    const char after = html[name_end];
    if (after != '>' && after != '/' && !std::isspace(static_cast<unsigned char>(after))) return 0;
    if (!is_teams_tag_name(html.substr(name_start, name_end - name_start))) return 0;
    // The tag ends at the first '>' outside a quoted attribute (href="…?a>b").
    char quote = 0;
    for (auto end = name_end; end < html.size(); ++end) {
        const char c = html[end];
        if (quote) quote = c == quote ? 0 : quote;
        else if (c == '"' || c == '\'') quote = c;
        else if (c == '>') return end - i + 1;
    }
    return 0;
}

// Teams sends message text as HTML: tags go, the common entities become characters.
std::string plain_text(std::string_view html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html[i] == '<') {
            if (const auto length = tag_length(html, i)) {
                std::string tag(html.substr(i + 1, length - 2));
                for (auto& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (tag == "br" || tag == "br/" || tag == "br /" || tag == "/p" || tag == "/div") out += '\n';
                i += length;
                continue;
            }
        }
        if (html[i] == '&') {
            static const std::pair<std::string_view, std::string_view> entities[] = {
                {"&nbsp;", " "}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}};
            bool replaced = false;
            for (auto [name, value] : entities) {
                if (html.substr(i, name.size()) == name) {
                    out += value;
                    i += name.size();
                    replaced = true;
                    break;
                }
            }
            if (replaced) continue;
        }
        out += html[i++];
    }
    auto first = out.find_first_not_of(" \t\r\n");
    auto last = out.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

} // namespace

std::optional<std::vector<unsigned char>> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    for (char c : text)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t size = static_cast<std::size_t>(n);
    if (text.back() == '=') --size; // EVP_DecodeBlock counts padding as zero bytes
    if (text.size() > 1 && text[text.size() - 2] == '=') --size;
    out.resize(size);
    return out;
}

std::string base64_encode(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

outgoing_webhook_verifier::outgoing_webhook_verifier(std::string_view security_token_base64) {
    auto key = base64_decode(security_token_base64);
    if (!key || key->empty()) throw std::invalid_argument("the Teams outgoing-webhook security token is not base64");
    key_ = std::move(*key);
}

std::string outgoing_webhook_verifier::sign(std::string_view raw_body) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(raw_body.data()),
         raw_body.size(), mac, &len);
    return "HMAC " + base64_encode(mac, len);
}

bool outgoing_webhook_verifier::verify(std::string_view authorization_header, std::string_view raw_body) const {
    const std::string expected = sign(raw_body);
    return authorization_header.size() == expected.size() &&
           CRYPTO_memcmp(authorization_header.data(), expected.data(), expected.size()) == 0;
}

std::string strip_bot_mention(const std::string& text, const json& entities, const std::string& recipient_id) {
    std::string out = text;
    if (entities.is_array()) {
        for (const auto& e : entities) {
            if (text_of(e, "type") != "mention") continue;
            const std::string mention = text_of(e, "text");
            const std::string id = text_of(object_of(e, "mentioned"), "id");
            if (mention.empty()) continue;
            auto at = out.find(mention);
            if (at == std::string::npos) continue;
            const bool ours = recipient_id.empty() ? out.find_first_not_of(" \t") == at : id == recipient_id;
            if (!ours) continue;
            out.erase(at, mention.size());
            break;
        }
    }
    return plain_text(out);
}

std::optional<message_activity> decode_message_activity(const json& activity) {
    if (text_of(activity, "type") != "message") return std::nullopt;
    const auto& from = object_of(activity, "from");
    const auto& conversation = object_of(activity, "conversation");
    const auto& channel_data = object_of(activity, "channelData");
    message_activity m;
    m.id = text_of(activity, "id");
    m.from_id = text_of(from, "aadObjectId").empty() ? text_of(from, "id") : text_of(from, "aadObjectId");
    m.from_name = utf8_prefix(text_of(from, "name"), max_name_bytes);
    m.conversation_id = text_of(conversation, "id");
    m.tenant_id = text_of(conversation, "tenantId");
    if (m.tenant_id.empty()) m.tenant_id = text_of(object_of(channel_data, "tenant"), "id");
    m.team_id = text_of(object_of(channel_data, "team"), "id");
    m.channel_id = text_of(object_of(channel_data, "channel"), "id");
    if (m.channel_id.empty()) m.channel_id = text_of(channel_data, "teamsChannelId");
    m.service_url = text_of(activity, "serviceUrl");
    if (m.from_id.empty() || m.conversation_id.empty()) return std::nullopt;
    for (const std::string* id : {&m.id, &m.from_id, &m.conversation_id, &m.tenant_id, &m.team_id, &m.channel_id})
        if (!is_absent_or_id(*id)) return std::nullopt;
    if (!is_absent_or_id(m.service_url, max_url_bytes)) return std::nullopt;
    const auto entities = activity.is_object() && activity.contains("entities") ? activity["entities"] : json::array();
    m.text = strip_bot_mention(text_of(activity, "text"), entities, text_of(object_of(activity, "recipient"), "id"));
    return m;
}

std::string render_markdown(const neutral_message& m) {
    std::string out;
    if (!m.title.empty()) out += (m.is_error ? "⚠️ **" : "**") + teams_unlinked(m.title) + "**";
    if (!m.text.empty()) out += (out.empty() ? "" : "\n\n") + teams_markdown(m.text);
    for (const auto& f : m.fields) {
        if (f.value.empty()) continue;
        out += (out.empty() ? "" : "\n\n") + ("**" + f.label + ":** ") + (f.kind == field_kind::text ? teams_markdown(f.value) : f.value);
    }
    if (!m.context.empty()) out += (out.empty() ? "" : "\n\n") + ("_" + teams_unlinked(m.context) + "_");
    // Inline code in neutral text already uses backticks, which Teams markdown shares.
    return out;
}

json render_reply_activity(const neutral_message& m) {
    return {{"type", "message"}, {"textFormat", "markdown"}, {"text", trimmed(render_markdown(m), max_card_bytes)}};
}

} // namespace cxos::teams
