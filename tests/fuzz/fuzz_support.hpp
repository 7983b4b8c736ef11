#pragma once
// What the cxos fuzz targets assert beyond "no crash": whatever a decoder accepts is text cxos can
// store and render. A violated property traps, so libFuzzer keeps the input as a crash.
#include "commands/forms.hpp"
#include "commands/handlers.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cxos::fuzz {

[[noreturn]] void violated(const char* property);
inline void require(bool holds, const char* property) {
    if (!holds) violated(property);
}

std::string_view as_text(const std::uint8_t* data, std::size_t size);

// Every text is valid UTF-8.
void require_utf8(std::initializer_list<std::string_view> texts, const char* what);
// dump() without the replace handler, as every sender and the store's JSON columns do.
std::string require_dumps(const nlohmann::json& j, const char* what);

// The message rendered for every surface: Block Kit, an ephemeral answer, an Adaptive Card, the
// outgoing webhook's markdown reply. None may throw, and each must dump.
void require_renders(const neutral_message& m);
// The form as a Slack modal (its state within private_metadata) and as a Teams task module.
void require_form_renders(const neutral_form& f);

// What the bot does with a typed command from `from`: parse it and render the answer it would give,
// including the capture form an empty command opens and the item a log starts.
void require_command_renders(std::string_view text, const source_ref& from);
// A button's id and value from outside: a grouping choice decodes to positive ids or to nothing.
void require_click_decodes(std::string_view action_id, std::string_view value);

// A small journey with owners on both platforms, routing rules and a fallback.
const journey_config& journey();

} // namespace cxos::fuzz
