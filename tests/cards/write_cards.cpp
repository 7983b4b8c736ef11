// write_cards DIR: writes every card, view and message cxos can produce as JSON, one file each,
// into DIR/teams and DIR/slack, and DIR/index.json listing them by kind. The Adaptive Cards
// check (validate_teams_cards.test.js) reads them; people can paste them into a card designer
// or Block Kit Builder.
#include "tests/cards/rendered_payloads.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

const char* kind_name(cxos::cards::payload_kind k) {
    using cxos::cards::payload_kind;
    switch (k) {
    case payload_kind::slack_message: return "slack_message";
    case payload_kind::slack_view: return "slack_view";
    case payload_kind::slack_view_errors: return "slack_view_errors";
    case payload_kind::teams_card: return "teams_card";
    case payload_kind::teams_text: return "teams_text";
    }
    return "unknown";
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: write_cards DIR\n";
        return 2;
    }
    namespace fs = std::filesystem;
    const fs::path root = argv[1];
    nlohmann::json index = nlohmann::json::object();
    auto write_all = [&](const char* platform, const std::vector<cxos::cards::payload>& payloads) {
        fs::remove_all(root / platform); // no stale file from a renamed entry may be checked
        fs::create_directories(root / platform);
        for (const auto& p : payloads) {
            const auto file = std::string(platform) + "/" + p.name + ".json";
            std::ofstream(root / file) << p.body.dump(2, ' ', false, nlohmann::json::error_handler_t::strict) << '\n';
            index[kind_name(p.kind)].push_back(file);
        }
    };
    try {
        write_all("teams", cxos::cards::teams_payloads());
        write_all("slack", cxos::cards::slack_payloads());
    } catch (const std::exception& e) {
        // A renderer that throws on some content is a finding too: say which.
        std::cerr << "write_cards: " << e.what() << '\n';
        return 1;
    }
    std::ofstream(root / "index.json") << index.dump(2) << '\n';
    for (const auto& [kind, files] : index.items()) std::cout << files.size() << " " << kind << "\n";
    std::cout << "index: " << (root / "index.json").string() << '\n';
    return 0;
}
