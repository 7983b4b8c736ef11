#pragma once
// Slack's published Block Kit limits as a table, each row naming where Slack states it, and a
// checker that lists every place a message or view breaks one. Slack refuses such a payload
// (`invalid_blocks`), so a post is lost or a modal does not open.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cxos::cards {

struct block_kit_limit {
    const char* what;
    std::size_t max; // characters (counted as UTF-16 code units, the stricter reading) or items
    const char* source;
};

namespace block_kit {
// docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message, and 100 blocks
// in modals or home tabs"; docs.slack.dev/reference/views/modal-views: "Max of 100 blocks".
inline constexpr block_kit_limit message_blocks{"blocks in a message", 50, "docs.slack.dev/reference/block-kit/blocks"};
inline constexpr block_kit_limit view_blocks{"blocks in a modal", 100, "docs.slack.dev/reference/views/modal-views"};
// chat.postMessage: Slack truncates `text` past 40,000 characters (api.slack.com/changelog/2018-04-truncating-really-long-messages).
inline constexpr block_kit_limit message_text{"message text", 40'000, "docs.slack.dev/reference/methods/chat.postMessage"};
// Modal view object fields (docs.slack.dev/reference/views/modal-views).
inline constexpr block_kit_limit view_title{"modal title", 24, "docs.slack.dev/reference/views/modal-views"};
inline constexpr block_kit_limit view_submit{"modal submit", 24, "docs.slack.dev/reference/views/modal-views"};
inline constexpr block_kit_limit view_close{"modal close", 24, "docs.slack.dev/reference/views/modal-views"};
inline constexpr block_kit_limit private_metadata{"private_metadata", 3'000, "docs.slack.dev/reference/views/modal-views"};
inline constexpr block_kit_limit callback_id{"callback_id", 255, "docs.slack.dev/reference/views/modal-views"};
// Every block: "block_id … Maximum length for this field is 255 characters".
inline constexpr block_kit_limit block_id{"block_id", 255, "docs.slack.dev/reference/block-kit/blocks/section-block"};
inline constexpr block_kit_limit header_text{"header text", 150, "docs.slack.dev/reference/block-kit/blocks/header-block"};
// Section: text 1 to 3000 characters; at most 10 fields of at most 2000 characters each.
inline constexpr block_kit_limit section_text{"section text", 3'000, "docs.slack.dev/reference/block-kit/blocks/section-block"};
inline constexpr block_kit_limit section_fields{"section fields", 10, "docs.slack.dev/reference/block-kit/blocks/section-block"};
inline constexpr block_kit_limit field_text{"section field text", 2'000, "docs.slack.dev/reference/block-kit/blocks/section-block"};
// Context: at most 10 elements; a text object holds at most 3000 characters.
inline constexpr block_kit_limit context_elements{"context elements", 10, "docs.slack.dev/reference/block-kit/blocks/context-block"};
inline constexpr block_kit_limit context_text{"context text", 3'000, "docs.slack.dev/reference/block-kit/composition-objects/text-object"};
// Actions: at most 25 elements (raised from 5; slackapi/python-slack-sdk#1253).
inline constexpr block_kit_limit actions_elements{"actions elements", 25, "docs.slack.dev/reference/block-kit/blocks/actions-block"};
// Button: text 75, value 2000, url 3000; every interactive element's action_id 255.
inline constexpr block_kit_limit button_text{"button text", 75, "docs.slack.dev/reference/block-kit/block-elements/button-element"};
inline constexpr block_kit_limit button_value{"button value", 2'000, "docs.slack.dev/reference/block-kit/block-elements/button-element"};
inline constexpr block_kit_limit button_url{"button url", 3'000, "docs.slack.dev/reference/block-kit/block-elements/button-element"};
inline constexpr block_kit_limit action_id{"action_id", 255, "docs.slack.dev/reference/block-kit/block-elements/button-element"};
// Select menus: placeholder 150, at most 100 options; an option's text 75 and value 150.
inline constexpr block_kit_limit placeholder{"placeholder", 150, "docs.slack.dev/reference/block-kit/block-elements/select-menu-element"};
inline constexpr block_kit_limit select_options{"options", 100, "docs.slack.dev/reference/block-kit/block-elements/select-menu-element"};
inline constexpr block_kit_limit option_text{"option text", 75, "docs.slack.dev/reference/block-kit/composition-objects/option-object"};
inline constexpr block_kit_limit option_value{"option value", 150, "docs.slack.dev/reference/block-kit/composition-objects/option-object"};
// Input block: label and hint 2000; plain_text_input max_length 1 to 3000.
inline constexpr block_kit_limit input_label{"input label", 2'000, "docs.slack.dev/reference/block-kit/blocks/input-block"};
inline constexpr block_kit_limit input_hint{"input hint", 2'000, "docs.slack.dev/reference/block-kit/blocks/input-block"};
inline constexpr block_kit_limit input_max_length{"plain_text_input max_length", 3'000,
                                                  "docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element"};
} // namespace block_kit

// Characters as Slack may count them: UTF-16 code units (an emoji with a skin tone is 4).
std::size_t slack_length(const std::string& utf8);

// Each returns one line per problem, "blocks[3].text.text: section text is 3012 characters,
// Slack allows 3000 (source)"; nothing when the payload keeps every limit.
std::vector<std::string> check_slack_message(const nlohmann::json& body); // chat.postMessage / slash command answer
std::vector<std::string> check_slack_view(const nlohmann::json& view);    // a modal
std::vector<std::string> check_slack_view_errors(const nlohmann::json& answer); // response_action: errors

} // namespace cxos::cards
