#pragma once
// What Slack's ids and timestamps look like, so a signed request carrying anything else (an id of
// 3,000 characters, a channel that is a sentence) is refused with 400 before it is stored or put
// into a form's private_metadata.
#include <cstddef>
#include <string>
#include <string_view>

namespace cxos::slack {

// Slack's ids are a type letter and uppercase letters and digits ("T0TEAM", "C024BE91L"). Slack
// says they may grow beyond today's 9 to 11 characters, so the bound is generous.
inline constexpr std::size_t max_id_length = 32;
inline constexpr std::string_view team_prefixes = "TE";     // workspace, or an Enterprise Grid org
inline constexpr std::string_view channel_prefixes = "CGD"; // channel, private channel or group, DM
inline constexpr std::string_view user_prefixes = "UWB";    // user, Enterprise Grid user, bot
// Display names are clipped to this many bytes rather than refused.
inline constexpr std::size_t max_name_bytes = 256;
// Slack's limits on what comes back from surfaces cxos rendered: action_id and callback_id 255,
// a button's value 2000, a view's private_metadata 3000.
inline constexpr std::size_t max_action_id_bytes = 255, max_value_bytes = 2000, max_metadata_bytes = 3000;
// Trigger ids ("13345224609.738474920.8088930838d88f008e0") and event ids ("Ev0PV52K21").
inline constexpr std::size_t max_token_bytes = 255;

bool is_id(std::string_view id, std::string_view prefixes);
// A message timestamp: digits, one dot, digits ("1700000000.000100").
bool is_ts(std::string_view ts);

// Collects the first field of a decoded request that is not what Slack sends, as the reason for a
// 400. Empty values pass: whether a field is required is the decoder's business.
class field_check {
  public:
    field_check& id(std::string_view field, std::string_view value, std::string_view prefixes);
    field_check& ts(std::string_view field, std::string_view value);
    // An opaque token: letters, digits, '.', '-' and '_' only.
    field_check& token(std::string_view field, std::string_view value);
    // Slack's own limits on text cxos put there (button values, action ids, private_metadata).
    field_check& text(std::string_view field, std::string_view value, std::size_t max_bytes);
    const std::string& defect() const { return defect_; }

  private:
    field_check& fail(std::string_view field, std::string_view what);
    std::string defect_;
};

} // namespace cxos::slack
