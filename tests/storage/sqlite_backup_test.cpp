// `cxos backup`'s storage side: a consistent copy taken beside a serving store, written whole or
// not at all, and a clear refusal for what it cannot copy.
#include "storage/backup.hpp"
#include "storage/store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>

using namespace cxos;
namespace fs = std::filesystem;

namespace {

struct scratch_dir {
    fs::path path;
    scratch_dir() {
        std::string tmpl = (fs::temp_directory_path() / "cxos-backup-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

signal reported(const std::string& text, std::int64_t item_id) {
    signal s;
    s.source.platform = "slack";
    s.source.user_id = "U1";
    s.description = text;
    s.route = {"billing", "", "no rule matched"};
    s.created_at = 100;
    s.item_id = item_id;
    return s;
}

std::int64_t add_report(storage::store& st, const std::string& text) {
    item it;
    it.key = it.title = text;
    it.owner = "billing";
    it.created_at = it.updated_at = 100;
    st.begin();
    const auto item_id = st.insert_item(it);
    const auto id = st.insert_signal(reported(text, item_id));
    st.commit();
    return id;
}

std::string refusal(const std::string& url, const std::string& destination) {
    try {
        storage::backup_database(url, destination);
    } catch (const storage::store_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a backup beside a serving store copies every committed report and nothing uncommitted",
          "[sqlite][backup]") {
    scratch_dir dir;
    const std::string url = "sqlite://" + dir.file("cxos.db");
    auto serving = storage::open_store(url); // holds the serve lock, as `cxos serve` does
    const auto first = add_report(*serving, "the invoice PDF is blank");
    add_report(*serving, "the refund never arrived");
    serving->begin(); // a commit in flight while the copy is taken
    serving->insert_signal(reported("not committed yet", 1));

    const auto report = storage::backup_database(url, dir.file("copy.db"));
    serving->commit();

    CHECK(report.source == dir.file("cxos.db"));
    CHECK(report.written == dir.file("copy.db"));
    CHECK(report.signals == 2);
    CHECK(report.items == 2);
    CHECK(report.schema_version > 0);
    CHECK(report.bytes == static_cast<std::int64_t>(fs::file_size(report.written)));
    CHECK_FALSE(fs::exists(dir.file("copy.db.tmp")));
    struct stat info {};
    REQUIRE(::stat(report.written.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);

    serving.reset();
    auto restored = storage::open_store("sqlite://" + report.written);
    REQUIRE(restored->find_signal(first));
    CHECK(restored->find_signal(first)->description == "the invoice PDF is blank");
    CHECK_FALSE(restored->find_signal(3));
}

TEST_CASE("a backup into a directory gets a timestamped name and replaces nothing",
          "[sqlite][backup]") {
    scratch_dir dir;
    const std::string url = "sqlite://" + dir.file("cxos.db");
    add_report(*storage::open_store(url), "the invoice PDF is blank");
    fs::create_directory(dir.path / "backups");

    const auto report = storage::backup_database(url, dir.file("backups"));
    const auto name = fs::path(report.written).filename().string();
    CHECK(fs::path(report.written).parent_path() == dir.path / "backups");
    CHECK(name.rfind("cxos-", 0) == 0);
    CHECK(name.size() == std::string("cxos-20261127T093000Z.db").size());
    CHECK(report.signals == 1);
}

TEST_CASE("a backup refuses what it cannot copy and says what to do instead", "[sqlite][backup]") {
    scratch_dir dir;
    const std::string url = "sqlite://" + dir.file("cxos.db");
    storage::open_store(url);

    const auto postgres = refusal("postgresql://cxos:s3cret@db.example/cxos", dir.file("copy.db"));
    CHECK_THAT(postgres, Catch::Contains("pg_dump"));
    CHECK_THAT(postgres, !Catch::Contains("s3cret"));
    CHECK_THAT(refusal("sqlite://:memory:", dir.file("copy.db")),
               Catch::Contains("names no database file"));
    CHECK_THAT(refusal("sqlite://" + dir.file("missing.db"), dir.file("copy.db")),
               Catch::Contains("no SQLite database at"));
    CHECK_THAT(refusal(url, dir.file("nowhere/copy.db")), Catch::Contains("does not exist"));
    CHECK_THAT(refusal(url, dir.file("cxos.db")), Catch::Contains("is the database itself"));
    CHECK_FALSE(fs::exists(dir.file("copy.db")));
}
