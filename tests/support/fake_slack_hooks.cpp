// The fake's response_urls: what Slack does with a note an app posts to a click's response_url.
#include "tests/support/fake_slack.hpp"

namespace cxos::test {

void fake_slack::refuse_ephemerals_in(const std::string& channel) {
    std::lock_guard lock(mutex_);
    ephemerals_refused_.insert(channel);
}

std::string fake_slack::response_url(const std::string& channel, const std::string& user) {
    std::lock_guard lock(mutex_);
    const std::string path = "/hooks/actions/T0TEAM/" + std::to_string(++hook_ids_) + "/secret";
    hooks_[path] = hook{channel, user};
    return hooks_url() + path;
}

void fake_slack::expire_response_url(const std::string& url) {
    std::lock_guard lock(mutex_);
    const auto path = url.substr(hooks_url().size());
    if (auto it = hooks_.find(path); it != hooks_.end()) it->second.expired = true;
}

void fake_slack::fail_response_url(const std::string& url) {
    std::lock_guard lock(mutex_);
    const auto path = url.substr(hooks_url().size());
    if (auto it = hooks_.find(path); it != hooks_.end()) it->second.failing = true;
}

std::string fake_slack::response_hook(const std::string& path, const std::string& body, unsigned& status) {
    auto it = hooks_.find(path);
    if (it == hooks_.end() || it->second.expired) {
        status = 404;
        return R"({"ok":false,"error":"expired_url"})";
    }
    if (it->second.failing) {
        status = 503;
        return "service_unavailable";
    }
    if (it->second.uses >= 5) {
        status = 404;
        return "used_url"; // older hooks answer with the bare code
    }
    auto note = nlohmann::json::parse(body, nullptr, false);
    if (!note.is_object() || (!note.contains("text") && !note.contains("blocks"))) {
        status = 400;
        return "invalid_payload";
    }
    if (note.value("replace_original", true)) { // cxos never replaces the message clicked on
        status = 400;
        return "cxos_must_not_replace_original";
    }
    ++it->second.uses;
    note["channel"] = it->second.channel;
    note["user"] = it->second.user;
    note["via"] = "response_url";
    state_.ephemerals.push_back(std::move(note));
    return R"({"ok":true})";
}

} // namespace cxos::test
