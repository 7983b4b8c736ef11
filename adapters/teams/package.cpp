#include "adapters/teams/package.hpp"

#include <array>
#include <cctype>
#include <regex>

namespace cxos::teams {

namespace {

void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}

void put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

} // namespace

std::uint32_t crc32_of(const std::string& bytes) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char b : bytes) crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

std::string fill_manifest(const std::string& manifest_template, const std::string& app_id, const std::string& host,
                          std::string& error) {
    static const std::regex guid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    static const std::regex hostname("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    if (!std::regex_match(app_id, guid)) {
        error = "the app id must be the bot's Microsoft App ID, a GUID such as 00000000-0000-0000-0000-000000000000";
        return {};
    }
    if (!std::regex_match(host, hostname)) {
        error = "the host must be this server's public host name without https:// or a path, e.g. cx.example.com";
        return {};
    }
    std::string out = manifest_template;
    replace_all(out, "{{MICROSOFT_APP_ID}}", app_id);
    replace_all(out, "{{HOST}}", host);
    return out;
}

std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out, central;
    // 1 Jan 2026, 00:00 in DOS format: a fixed time keeps packages byte-identical across runs.
    const std::uint16_t dos_time = 0, dos_date = static_cast<std::uint16_t>(((2026 - 1980) << 9) | (1 << 5) | 1);
    for (const auto& [name, bytes] : files) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto crc = crc32_of(bytes);
        const auto size = static_cast<std::uint32_t>(bytes.size());
        put32(out, 0x04034b50);
        put16(out, 20); put16(out, 0); put16(out, 0); put16(out, dos_time); put16(out, dos_date);
        put32(out, crc); put32(out, size); put32(out, size);
        put16(out, static_cast<std::uint16_t>(name.size())); put16(out, 0);
        out += name;
        out += bytes;
        put32(central, 0x02014b50);
        put16(central, 20); put16(central, 20); put16(central, 0); put16(central, 0);
        put16(central, dos_time); put16(central, dos_date);
        put32(central, crc); put32(central, size); put32(central, size);
        put16(central, static_cast<std::uint16_t>(name.size()));
        put16(central, 0); put16(central, 0); put16(central, 0); put16(central, 0);
        put32(central, 0); put32(central, offset);
        central += name;
    }
    const auto central_offset = static_cast<std::uint32_t>(out.size());
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0); put16(out, 0);
    put16(out, static_cast<std::uint16_t>(files.size())); put16(out, static_cast<std::uint16_t>(files.size()));
    put32(out, static_cast<std::uint32_t>(central.size())); put32(out, central_offset);
    put16(out, 0);
    return out;
}

} // namespace cxos::teams
