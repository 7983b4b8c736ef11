// The dump's reader takes back what the writer wrote, and refuses a file that is not a whole dump.
#include "storage/dump.hpp"
#include "storage/store.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace cxos::storage;

namespace {

std::string written(const std::vector<dump_row>& rows) {
    std::stringstream out;
    dump_writer w(out);
    w.header({dump_format_version, 10, "sqlite", {"settings"}});
    w.begin_table("settings", {"key", "value"});
    for (const auto& r : rows) w.row(r);
    w.end_table();
    w.finish();
    return out.str();
}

std::vector<dump_row> read_back(const std::string& text) {
    std::stringstream in(text);
    dump_reader r(in);
    std::vector<dump_row> rows;
    while (auto t = r.next_table()) {
        dump_row row;
        while (r.next_row(row)) rows.push_back(row);
    }
    return rows;
}

} // namespace

TEST_CASE("a dump reads back the values it was written with", "[dump]") {
    const std::vector<dump_row> rows = {
        {std::string("a \"quoted\"\nline ✓"), std::int64_t{-9223372036854775807 - 1}},
        {std::monostate{}, 0.1},
        {std::int64_t{9223372036854775807}, 1.0},
    };
    CHECK(read_back(written(rows)) == rows);
}

TEST_CASE("a dump that is cut, edited or not a dump is refused with its line", "[dump]") {
    const auto whole = written({{std::string("k"), std::string("v")}});
    const auto refused = [](const std::string& text, const std::string& why) {
        INFO(text);
        CHECK_THROWS_WITH(read_back(text), Catch::Contains(why));
    };
    refused("", "empty");
    refused("PRAGMA foreign_keys=OFF;\n", "not JSON");
    refused("{\"cxos_dump\":2,\"schema_version\":10,\"tables\":[]}\n", "format 2");
    refused(whole.substr(0, whole.rfind("{\"end_of_dump\"")), "cut short");
    refused(whole.substr(0, whole.find("[\"k\"")), "cut short");
    refused(whole + "[1]\n", "follows the end");
    // The whole dump with one piece of it changed.
    const auto edited = [&](const std::string& from, const std::string& to) {
        auto out = whole;
        return out.replace(out.find(from), from.size(), to);
    };
    refused(edited("[\"k\",\"v\"]", "[\"k\",\"v\",3]"), "line 3: a row of settings is not a list of its 2 values");
    refused(edited("\"rows\":1}", "\"rows\":2}"), "row count");
    refused(edited("[\"k\",\"v\"]", "[\"k\",[\"v\"]]"), "neither a number, text nor null");
    refused(edited("\"table\":\"settings\"", "\"table\":\"signals\""), "not the next one");
}
