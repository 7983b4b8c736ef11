#include "storage/pg_connection.hpp"

#include <bit>
#include <charconv>
#include <cstring>

#include <endian.h>

namespace cxos::storage {
namespace {

// libpq's type ids of the parameters cxos sends (catalog/pg_type.h, stable across versions).
constexpr unsigned int8_oid = 20, text_oid = 25, float8_oid = 701;

std::string be_bytes(std::uint64_t v) {
    v = htobe64(v);
    std::string out(sizeof v, '\0');
    std::memcpy(out.data(), &v, sizeof v);
    return out;
}

// The length of the valid UTF-8 sequence at the start of `s` (not NUL, not a surrogate, not
// overlong), or 0.
std::size_t utf8_sequence(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c == 0) return 0;
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || s.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i)
        if ((b(i) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0; // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0; // surrogate
    if (c == 0xF0 && b(1) < 0x90) return 0; // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0; // above U+10FFFF
    return n;
}

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    while (!s.empty()) {
        if (auto n = utf8_sequence(s)) {
            out.append(s.substr(0, n));
            s.remove_prefix(n);
        } else {
            out.append("\xEF\xBF\xBD"); // U+FFFD
            s.remove_prefix(1);
        }
    }
    return out;
}

std::string percent_decoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned v = 0;
        if (s[i] == '%' && i + 2 < s.size() && std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr == s.data() + i + 3) {
            out.push_back(static_cast<char>(v));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

// Where the password sits in a connection URI: [begin, end) of each occurrence.
std::vector<std::pair<std::size_t, std::size_t>> password_spans(std::string_view url) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return spans;
    const auto authority = scheme_end + 3;
    const auto authority_end = std::min(url.find_first_of("/?", authority), url.size());
    const auto at = url.rfind('@', authority_end);
    if (at != std::string_view::npos && at >= authority) {
        const auto colon = url.find(':', authority);
        if (colon < at) spans.emplace_back(colon + 1, at);
    }
    for (auto q = url.find('?'); q != std::string_view::npos && q < url.size();) {
        const auto key = q + 1;
        const auto next = std::min(url.find('&', key), url.size());
        if (url.substr(key, 9) == "password=") spans.emplace_back(key + 9, next);
        q = next;
    }
    return spans;
}

void ignore_notice(void*, const char*) {} // NOTICEs are not errors, and stderr carries JSON logs

} // namespace

std::string redacted_url(std::string_view url) {
    std::string out(url);
    auto spans = password_spans(url);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->first, it->second - it->first, "***");
    return out;
}

pg_params& pg_params::bind(int index, std::int64_t v) {
    set(index, int8_oid, be_bytes(static_cast<std::uint64_t>(v)), false);
    return *this;
}

pg_params& pg_params::bind(int index, double v) {
    set(index, float8_oid, be_bytes(std::bit_cast<std::uint64_t>(v)), false);
    return *this;
}

pg_params& pg_params::bind(int index, std::string_view v) {
    set(index, text_oid, valid_utf8(v), false);
    return *this;
}

pg_params& pg_params::bind_null(int index) {
    set(index, 0, {}, true);
    return *this;
}

void pg_params::set(int index, unsigned type, std::string bytes, bool null) {
    const auto i = static_cast<std::size_t>(index - 1);
    if (i >= types_.size()) {
        types_.resize(i + 1, 0);
        bytes_.resize(i + 1);
        null_.resize(i + 1, 1);
        lengths_.resize(i + 1, 0);
        formats_.resize(i + 1, 1);
    }
    types_[i] = type;
    lengths_[i] = static_cast<int>(bytes.size());
    bytes_[i] = std::move(bytes);
    null_[i] = null;
}

const char* const* pg_params::values() const {
    values_.resize(bytes_.size());
    for (std::size_t i = 0; i < bytes_.size(); ++i) values_[i] = null_[i] ? nullptr : bytes_[i].data();
    return values_.data();
}

std::int64_t pg_rows::int64(int col) const {
    if (is_null(col)) return 0;
    const char* v = PQgetvalue(result_.get(), row_, col);
    const auto n = static_cast<std::size_t>(PQgetlength(result_.get(), row_, col));
    if (n == 1 && (*v == 't' || *v == 'f')) return *v == 't';
    std::int64_t out = 0;
    std::from_chars(v, v + n, out);
    return out;
}

double pg_rows::real(int col) const {
    if (is_null(col)) return 0;
    const char* v = PQgetvalue(result_.get(), row_, col);
    double out = 0;
    std::from_chars(v, v + PQgetlength(result_.get(), row_, col), out);
    return out;
}

std::string pg_rows::text(int col) const {
    return std::string(PQgetvalue(result_.get(), row_, col),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
}

std::int64_t pg_rows::affected() const {
    std::int64_t out = 0;
    const char* n = PQcmdTuples(result_.get());
    std::from_chars(n, n + std::strlen(n), out);
    return out;
}

pg_connection::pg_connection(const std::string& url) : safe_url_(redacted_url(url)) {
    for (auto [begin, end] : password_spans(url)) {
        secrets_.push_back(url.substr(begin, end - begin));
        secrets_.push_back(percent_decoded(secrets_.back()));
    }
    // Defaults first, the URL last: whatever the URL says wins (libpq keeps the last value).
    // Keepalives notice a vanished server within a minute instead of the kernel's two hours.
    const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "dbname", nullptr};
    const char* values[] = {"10", "cxos", "UTF8", "30", "10", "3", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_) throw store_error("cannot connect to PostgreSQL at " + safe_url_ + ": out of memory");
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    if (PQstatus(conn_) != CONNECTION_OK) {
        try {
            fail("connection to " + safe_url_, nullptr);
        } catch (...) {
            PQfinish(conn_);
            throw;
        }
    }
}

pg_connection::~pg_connection() { PQfinish(conn_); }

std::string pg_connection::exec(const char* sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_, sql), &PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("statement", r.get());
    return PQcmdStatus(r.get());
}

pg_rows pg_connection::run(const char* sql, const pg_params& params) {
    auto& name = prepared_[sql];
    if (name.empty()) {
        std::string fresh = "cxos_" + std::to_string(prepared_.size());
        std::unique_ptr<PGresult, decltype(&PQclear)> r(
            PQprepare(conn_, fresh.c_str(), sql, params.size(), params.types()), &PQclear);
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            prepared_.erase(sql);
            fail("prepare", r.get());
        }
        name = std::move(fresh);
    }
    PGresult* r = PQexecPrepared(conn_, name.c_str(), params.size(), params.values(), params.lengths(),
                                 params.formats(), 0);
    pg_rows rows(r);
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("statement", r);
    return rows;
}

pg_rows pg_connection::run_text(const std::string& sql, const pg_params& params) {
    PGresult* r = PQexecParams(conn_, sql.c_str(), params.size(), params.types(), params.values(), params.lengths(),
                               params.formats(), 0);
    pg_rows rows(r);
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("statement", r);
    return rows;
}

bool pg_connection::reconnect() {
    prepared_.clear();
    PQreset(conn_);
    return PQstatus(conn_) == CONNECTION_OK;
}

void pg_connection::fail(std::string_view what, const PGresult* result) const {
    std::string message;
    const char* code = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    message = primary ? primary : PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (message.empty()) message = "no answer from the server";
    for (const auto& secret : secrets_) {
        if (secret.empty()) continue;
        for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 3))
            message.replace(at, secret.size(), "***");
    }
    std::string text = "PostgreSQL " + std::string(what) + ": " + message;
    if (code) text += std::string(" (SQLSTATE ") + code + ")";
    throw pg_error(text, code ? code : "");
}

} // namespace cxos::storage
