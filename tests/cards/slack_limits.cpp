#include "tests/cards/slack_limits.hpp"

#include <set>

namespace cxos::cards {
namespace {

using nlohmann::json;
namespace bk = block_kit;

// Collects problems while walking a payload; `path` names where each one is.
class checker {
public:
    std::vector<std::string> problems;

    void fail(const std::string& path, const std::string& what) { problems.push_back(path + ": " + what); }

    void length(const std::string& path, const json& value, const block_kit_limit& limit, bool required = false) {
        if (!value.is_string()) {
            if (required || !value.is_null()) fail(path, std::string(limit.what) + " must be a string");
            return;
        }
        const auto n = slack_length(value.get<std::string>());
        if (n > limit.max)
            fail(path, std::string(limit.what) + " is " + std::to_string(n) + " characters, Slack allows " +
                           std::to_string(limit.max) + " (" + limit.source + ")");
        if (required && n == 0) fail(path, std::string(limit.what) + " must not be empty");
    }

    void count(const std::string& path, const json& array, const block_kit_limit& limit, bool required = true) {
        if (!array.is_array()) {
            if (required) fail(path, std::string(limit.what) + " must be a list");
            return;
        }
        if (array.size() > limit.max)
            fail(path, std::to_string(array.size()) + " " + limit.what + ", Slack allows " + std::to_string(limit.max) +
                           " (" + limit.source + ")");
        if (required && array.empty()) fail(path, std::string(limit.what) + " must not be empty");
    }

    // A text object: `plain_text` where Slack requires it, else plain_text or mrkdwn.
    void text(const std::string& path, const json& t, const block_kit_limit& limit, bool plain_only) {
        if (!t.is_object()) return fail(path, "must be a text object");
        const auto type = t.value("type", "");
        if (type != "plain_text" && (plain_only || type != "mrkdwn"))
            fail(path + ".type", "\"" + type + "\" where Slack takes " + (plain_only ? "plain_text" : "plain_text or mrkdwn"));
        length(path + ".text", t.contains("text") ? t["text"] : json(), limit, true);
    }

    void element(const std::string& path, const json& e) {
        const auto type = e.value("type", "");
        length(path + ".action_id", e.contains("action_id") ? e["action_id"] : json(), bk::action_id, true);
        if (e.contains("placeholder")) text(path + ".placeholder", e["placeholder"], bk::placeholder, true);
        if (type == "button") {
            text(path + ".text", e.contains("text") ? e["text"] : json(), bk::button_text, true);
            if (e.contains("value")) length(path + ".value", e["value"], bk::button_value);
            if (e.contains("url")) length(path + ".url", e["url"], bk::button_url);
            if (e.contains("style") && e["style"] != "primary" && e["style"] != "danger")
                fail(path + ".style", "Slack takes only primary or danger");
        } else if (type == "static_select") {
            options(path, e);
        } else if (type == "plain_text_input" || type == "url_text_input") {
            if (e.contains("max_length")) {
                const auto n = e["max_length"].is_number_integer() ? e["max_length"].get<long long>() : 0;
                if (n < 1 || n > static_cast<long long>(bk::input_max_length.max))
                    fail(path + ".max_length", "must be 1 to 3000 (" + std::string(bk::input_max_length.source) + ")");
                else if (e.contains("initial_value") &&
                         slack_length(e["initial_value"].get<std::string>()) > static_cast<std::size_t>(n))
                    fail(path + ".initial_value", "longer than the input's own max_length");
            }
        } else if (type == "datepicker") {
            const auto date = e.value("initial_date", std::string("2026-01-01"));
            if (date.size() != 10 || date[4] != '-' || date[7] != '-') fail(path + ".initial_date", "must be YYYY-MM-DD");
        } else {
            fail(path, "element type \"" + type + "\" is not checked here: add its limits");
        }
    }

    void options(const std::string& path, const json& e) {
        count(path + ".options", e.contains("options") ? e["options"] : json(), bk::select_options);
        std::set<std::string> values;
        for (std::size_t i = 0; e.contains("options") && i < e["options"].size(); ++i) {
            const auto& o = e["options"][i];
            const auto at = path + ".options[" + std::to_string(i) + "]";
            text(at + ".text", o.contains("text") ? o["text"] : json(), bk::option_text, true);
            length(at + ".value", o.contains("value") ? o["value"] : json(), bk::option_value, true);
            if (o.contains("value") && !values.insert(o["value"].dump()).second) fail(at + ".value", "two options share a value");
        }
        if (e.contains("initial_option") && !(e.contains("options") && std::count(e["options"].begin(), e["options"].end(),
                                                                                   e["initial_option"])))
            fail(path + ".initial_option", "must be one of the options");
    }

    void block(const std::string& path, const json& b, std::set<std::string>& block_ids) {
        const auto type = b.value("type", "");
        if (b.contains("block_id")) {
            length(path + ".block_id", b["block_id"], bk::block_id, true);
            if (b["block_id"].is_string() && !block_ids.insert(b["block_id"].get<std::string>()).second)
                fail(path + ".block_id", "block_id repeats within one message or view");
        }
        if (type == "header") {
            text(path + ".text", b.contains("text") ? b["text"] : json(), bk::header_text, true);
        } else if (type == "section") {
            if (!b.contains("text") && !b.contains("fields")) fail(path, "a section needs text or fields");
            if (b.contains("text")) text(path + ".text", b["text"], bk::section_text, false);
            if (b.contains("fields")) {
                count(path + ".fields", b["fields"], bk::section_fields);
                for (std::size_t i = 0; i < b["fields"].size(); ++i)
                    text(path + ".fields[" + std::to_string(i) + "]", b["fields"][i], bk::field_text, false);
            }
        } else if (type == "context") {
            count(path + ".elements", b.contains("elements") ? b["elements"] : json(), bk::context_elements);
            for (std::size_t i = 0; b.contains("elements") && i < b["elements"].size(); ++i)
                text(path + ".elements[" + std::to_string(i) + "]", b["elements"][i], bk::context_text, false);
        } else if (type == "actions") {
            count(path + ".elements", b.contains("elements") ? b["elements"] : json(), bk::actions_elements);
            std::set<std::string> action_ids;
            for (std::size_t i = 0; b.contains("elements") && i < b["elements"].size(); ++i) {
                const auto& e = b["elements"][i];
                element(path + ".elements[" + std::to_string(i) + "]", e);
                if (!action_ids.insert(e.value("action_id", "")).second)
                    fail(path + ".elements[" + std::to_string(i) + "]", "action_id repeats within the block");
            }
        } else if (type == "input") {
            text(path + ".label", b.contains("label") ? b["label"] : json(), bk::input_label, true);
            if (b.contains("hint")) text(path + ".hint", b["hint"], bk::input_hint, true);
            if (!b.contains("element")) fail(path, "an input block needs an element");
            else element(path + ".element", b["element"]);
        } else {
            fail(path, "block type \"" + type + "\" is not checked here: add its limits");
        }
    }

    void blocks(const json& list, const block_kit_limit& limit) {
        count("blocks", list, limit, false);
        std::set<std::string> block_ids;
        for (std::size_t i = 0; list.is_array() && i < list.size(); ++i)
            block("blocks[" + std::to_string(i) + "]", list[i], block_ids);
    }
};

} // namespace

std::size_t slack_length(const std::string& utf8) {
    std::size_t units = 0;
    for (unsigned char c : utf8) {
        if ((c & 0xC0) == 0x80) continue; // continuation byte
        units += (c >= 0xF0) ? 2 : 1;     // a 4-byte sequence is a surrogate pair in UTF-16
    }
    return units;
}

std::vector<std::string> check_slack_message(const json& body) {
    checker c;
    c.length("text", body.contains("text") ? body["text"] : json(), bk::message_text, true);
    c.blocks(body.contains("blocks") ? body["blocks"] : json(), bk::message_blocks);
    return c.problems;
}

std::vector<std::string> check_slack_view(const json& view) {
    checker c;
    if (view.value("type", "") != "modal") c.fail("type", "a view cxos opens is a modal");
    c.text("title", view.contains("title") ? view["title"] : json(), bk::view_title, true);
    if (view.contains("submit")) c.text("submit", view["submit"], bk::view_submit, true);
    if (view.contains("close")) c.text("close", view["close"], bk::view_close, true);
    if (view.contains("private_metadata")) c.length("private_metadata", view["private_metadata"], bk::private_metadata);
    if (view.contains("callback_id")) c.length("callback_id", view["callback_id"], bk::callback_id);
    c.blocks(view.contains("blocks") ? view["blocks"] : json(), bk::view_blocks);
    bool has_input = false;
    for (const auto& b : view.value("blocks", json::array())) has_input = has_input || b.value("type", "") == "input";
    // "submit is required when an input block is within the blocks array" (modal view object).
    if (has_input && !view.contains("submit")) c.fail("submit", "a modal with inputs needs a submit button");
    return c.problems;
}

std::vector<std::string> check_slack_view_errors(const json& answer) {
    checker c;
    if (answer.value("response_action", "") != "errors") c.fail("response_action", "must be \"errors\"");
    const auto errors = answer.value("errors", json());
    if (!errors.is_object() || errors.empty()) c.fail("errors", "must name at least one block");
    for (const auto& [block, message] : errors.items()) {
        // Slack shows each error under the input block it names; "" names none and is refused.
        c.length("errors", json(block), bk::block_id, true);
        if (!message.is_string() || message.get<std::string>().empty()) c.fail("errors." + block, "needs a message");
    }
    return c.problems;
}

} // namespace cxos::cards
