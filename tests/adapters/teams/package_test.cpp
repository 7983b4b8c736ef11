#include "adapters/teams/package.hpp"

#include <catch2/catch.hpp>

using namespace cxos::teams;

namespace {

std::uint32_t read32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}

} // namespace

TEST_CASE("the manifest gets this bot's id and host, and refuses values Teams would reject", "[teams_package]") {
    std::string error;
    const std::string tpl = R"({"id":"{{MICROSOFT_APP_ID}}","botId":"{{MICROSOFT_APP_ID}}","validDomains":["{{HOST}}"]})";
    auto filled = fill_manifest(tpl, "0b6c6f0e-1234-4abc-9def-00112233aabb", "cx.example.com", error);
    CHECK(filled == R"({"id":"0b6c6f0e-1234-4abc-9def-00112233aabb","botId":"0b6c6f0e-1234-4abc-9def-00112233aabb","validDomains":["cx.example.com"]})");
    CHECK(fill_manifest(tpl, "not-a-guid", "cx.example.com", error).empty());
    CHECK(error.find("GUID") != std::string::npos);
    CHECK(fill_manifest(tpl, "0b6c6f0e-1234-4abc-9def-00112233aabb", "https://cx.example.com/", error).empty());
    CHECK(error.find("host") != std::string::npos);
}

TEST_CASE("the package is a zip whose entries carry their names, sizes and CRCs", "[teams_package]") {
    CHECK(crc32_of("123456789") == 0xCBF43926u); // the CRC-32 check value
    auto zip = stored_zip({{"manifest.json", "{}"}, {"color.png", std::string("\x89PNG", 4)}});
    CHECK(read32(zip, 0) == 0x04034b50u);
    CHECK(zip.substr(30, 13) == "manifest.json");
    CHECK(read32(zip, 14) == crc32_of("{}"));
    const auto end = zip.size() - 22;
    CHECK(read32(zip, end) == 0x06054b50u);
    CHECK(static_cast<unsigned char>(zip[end + 10]) == 2); // two entries
    const auto central = read32(zip, end + 16);
    CHECK(read32(zip, central) == 0x02014b50u);
    CHECK(zip.find("color.png", central) != std::string::npos);
}
