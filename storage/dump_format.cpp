// The dump's lines (dump.hpp): written from rows, read back with every shape check an import
// relies on, since a dump is a file from outside that may be truncated, edited or not a dump.
#include "storage/dump.hpp"

#include "storage/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <limits>

namespace cxos::storage {
namespace {

using nlohmann::json;

// Text that is not UTF-8 (SQLite stores any bytes) is written with U+FFFD in its place, as
// PostgreSQL itself stores it (pg_params::bind): a dump is always valid JSON.
std::string line_of(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json to_json(const dump_value& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

// A row's lines are the most a dump holds: a cap keeps a corrupt file from taking all memory.
constexpr std::size_t longest_line = 64u << 20;

} // namespace

void dump_writer::header(const dump_header& h) {
    out_ << line_of({{"cxos_dump", h.format}, {"schema_version", h.schema_version}, {"source", h.source},
                     {"tables", h.tables}})
         << '\n';
}

void dump_writer::begin_table(const std::string& name, const std::vector<std::string>& columns) {
    table_ = name;
    table_rows_ = 0;
    out_ << line_of({{"table", name}, {"columns", columns}}) << '\n';
}

void dump_writer::row(const dump_row& values) {
    json line = json::array();
    for (const auto& v : values) line.push_back(to_json(v));
    out_ << line_of(line) << '\n';
    ++table_rows_;
    ++total_rows_;
}

void dump_writer::end_table() { out_ << line_of({{"end", table_}, {"rows", table_rows_}}) << '\n'; }

void dump_writer::finish() {
    out_ << line_of({{"end_of_dump", true}, {"rows", total_rows_}}) << '\n';
    out_.flush();
    if (!out_) throw store_error("could not write the dump (disk full?)");
}

bool dump_reader::read_line(std::string& out) {
    out.clear();
    char c;
    while (in_.get(c)) {
        if (c == '\n') break;
        if (out.size() >= longest_line) fail("a line longer than " + std::to_string(longest_line) + " bytes");
        out.push_back(c);
    }
    if (out.empty() && !in_) return false;
    ++line_;
    return true;
}

void dump_reader::fail(const std::string& why) const {
    throw store_error(line_ == 0 ? "dump: " + why : "dump line " + std::to_string(line_) + ": " + why);
}

namespace {

json parsed(const std::string& text, const std::function<void(const std::string&)>& fail) {
    // nlohmann's message quotes the bytes it stopped at, which may not be text: only the place.
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        fail("not JSON (a syntax error at byte " + std::to_string(e.byte) + " of the line)");
    } catch (const json::exception&) {
        fail("not JSON");
    }
    return {};
}

std::vector<std::string> names(const json& j, const char* what, const std::function<void(const std::string&)>& fail) {
    if (!j.is_array()) fail(std::string(what) + " is not a list");
    std::vector<std::string> out;
    for (const auto& n : j) {
        if (!n.is_string() || n.get_ref<const std::string&>().empty()) fail(std::string(what) + " holds a non-name");
        out.push_back(n.get<std::string>());
    }
    return out;
}

} // namespace

const dump_header& dump_reader::header() {
    if (header_) return *header_;
    const auto failing = [this](const std::string& why) { fail(why); };
    if (!read_line(text_)) fail("the file is empty: not a cxos dump");
    const json j = parsed(text_, failing);
    if (!j.is_object() || !j.contains("cxos_dump")) fail("not a cxos dump (no cxos_dump header)");
    const auto& format = j["cxos_dump"];
    if (!format.is_number_integer() || format.get<std::int64_t>() != dump_format_version)
        fail("dump format " + format.dump() + " is not one this cxos reads (" + std::to_string(dump_format_version) +
             "): import with the cxos version that exported it");
    dump_header h;
    if (!j.contains("schema_version") || !j["schema_version"].is_number_integer())
        fail("the header has no schema_version");
    h.schema_version = j["schema_version"].get<std::int64_t>();
    if (j.contains("source") && j["source"].is_string()) h.source = j["source"].get<std::string>();
    if (!j.contains("tables")) fail("the header lists no tables");
    h.tables = names(j["tables"], "the header's tables", failing);
    header_ = std::move(h);
    return *header_;
}

std::optional<dump_reader::table_start> dump_reader::next_table() {
    const auto& h = header();
    const auto failing = [this](const std::string& why) { fail(why); };
    if (finished_) return std::nullopt;
    if (in_table_) fail("the next table starts before the end of table " + h.tables[next_table_ - 1]);
    if (!read_line(text_)) fail("the dump ends early: it is cut short (no end_of_dump line)");
    const json j = parsed(text_, failing);
    if (!j.is_object()) fail("expected a table or the end of the dump");
    if (j.contains("end_of_dump")) {
        if (next_table_ != h.tables.size())
            fail("the dump ends before table " + h.tables[next_table_]);
        if (!j.contains("rows") || !j["rows"].is_number_integer() || j["rows"].get<std::int64_t>() != total_rows_)
            fail("the dump's row count is not the number of rows in it");
        if (read_line(text_)) fail("something follows the end of the dump");
        finished_ = true;
        return std::nullopt;
    }
    if (!j.contains("table") || !j["table"].is_string()) fail("expected a table or the end of the dump");
    table_start t{j["table"].get<std::string>(), {}};
    if (next_table_ >= h.tables.size() || t.name != h.tables[next_table_])
        fail("table " + t.name + " is not the next one the header lists");
    if (!j.contains("columns")) fail("table " + t.name + " names no columns");
    t.columns = names(j["columns"], "the columns", failing);
    if (t.columns.empty()) fail("table " + t.name + " names no columns");
    ++next_table_;
    columns_ = t.columns.size();
    table_rows_ = 0;
    in_table_ = true;
    return t;
}

bool dump_reader::next_row(dump_row& out) {
    const auto failing = [this](const std::string& why) { fail(why); };
    if (!in_table_) fail("a row outside a table");
    const std::string& table = header_->tables[next_table_ - 1];
    if (!read_line(text_)) fail("the dump ends inside table " + table + ": it is cut short");
    const json j = parsed(text_, failing);
    if (j.is_object()) {
        if (!j.contains("end") || j["end"] != table) fail("expected a row or the end of table " + table);
        if (!j.contains("rows") || !j["rows"].is_number_integer() || j["rows"].get<std::int64_t>() != table_rows_)
            fail("table " + table + " announces a row count that is not the number of its rows");
        in_table_ = false;
        return false;
    }
    if (!j.is_array() || j.size() != columns_)
        fail("a row of " + table + " is not a list of its " + std::to_string(columns_) + " values");
    out.clear();
    for (const auto& v : j) {
        if (v.is_null())
            out.emplace_back(std::monostate{});
        else if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                fail("a number of " + table + " is past 64 bits");
            out.emplace_back(v.get<std::int64_t>());
        } else if (v.is_number_float())
            out.emplace_back(v.get<double>());
        else if (v.is_string())
            out.emplace_back(v.get<std::string>());
        else
            fail("a value of " + table + " is neither a number, text nor null");
    }
    ++table_rows_;
    ++total_rows_;
    return true;
}

} // namespace cxos::storage
