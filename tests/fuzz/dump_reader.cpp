// A dump file as `cxos import` reads it: whatever the reader accepts whole, written again, reads
// back as the same tables and rows (so an import loads exactly what the file says).
#include "storage/dump.hpp"
#include "storage/store.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <sstream>

namespace {

struct read_dump {
    cxos::storage::dump_header header;
    std::vector<std::pair<std::string, std::vector<std::string>>> tables;
    std::vector<std::vector<cxos::storage::dump_row>> rows;
};

read_dump read_all(std::istream& in) {
    cxos::storage::dump_reader reader(in);
    read_dump out;
    out.header = reader.header();
    while (auto t = reader.next_table()) {
        out.tables.emplace_back(t->name, t->columns);
        auto& rows = out.rows.emplace_back();
        cxos::storage::dump_row row;
        while (reader.next_row(row)) rows.push_back(row);
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cxos;
    std::stringstream in{std::string(fuzz::as_text(data, size))};
    read_dump first;
    try {
        first = read_all(in);
    } catch (const storage::store_error& e) {
        fuzz::require_utf8({e.what()}, "a refusal is UTF-8 text");
        return 0;
    }
    std::stringstream again;
    storage::dump_writer writer(again);
    writer.header(first.header);
    for (std::size_t i = 0; i < first.tables.size(); ++i) {
        writer.begin_table(first.tables[i].first, first.tables[i].second);
        for (const auto& row : first.rows[i]) writer.row(row);
        writer.end_table();
    }
    writer.finish();
    const auto second = read_all(again);
    fuzz::require(second.header.schema_version == first.header.schema_version &&
                      second.header.tables == first.header.tables,
                  "a dump's header survives being written again");
    fuzz::require(second.tables == first.tables, "a dump's tables and columns survive being written again");
    fuzz::require(second.rows == first.rows, "a dump's rows survive being written again");
    return 0;
}
