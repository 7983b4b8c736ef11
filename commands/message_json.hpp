#pragma once
// JSON for neutral messages, so an outbox row can carry a message whose words are fixed when
// it is queued (a notice saying who acknowledged what).
#include "commands/message.hpp"

#include <nlohmann/json.hpp>

namespace cxos {

void to_json(nlohmann::json& j, const message_field& f);
void from_json(const nlohmann::json& j, message_field& f);
void to_json(nlohmann::json& j, const choice& c);
void from_json(const nlohmann::json& j, choice& c);
void to_json(nlohmann::json& j, const message_action& a);
void from_json(const nlohmann::json& j, message_action& a);
void to_json(nlohmann::json& j, const neutral_message& m);
void from_json(const nlohmann::json& j, neutral_message& m);

} // namespace cxos
