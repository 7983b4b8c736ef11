#include "commands/message_json.hpp"

namespace cxos {

void to_json(nlohmann::json& j, const message_field& f) {
    j = {{"label", f.label}, {"value", f.value}, {"kind", static_cast<int>(f.kind)}};
}
void from_json(const nlohmann::json& j, message_field& f) {
    f.label = j.value("label", "");
    f.value = j.value("value", "");
    f.kind = static_cast<field_kind>(j.value("kind", 0));
}
void to_json(nlohmann::json& j, const choice& c) { j = {{"value", c.value}, {"label", c.label}}; }
void from_json(const nlohmann::json& j, choice& c) {
    c.value = j.value("value", "");
    c.label = j.value("label", "");
}
void to_json(nlohmann::json& j, const message_action& a) {
    j = {{"id", a.id}, {"label", a.label}, {"value", a.value}, {"style", static_cast<int>(a.style)},
         {"choices", a.choices}, {"opens_form", a.opens_form}};
}
void from_json(const nlohmann::json& j, message_action& a) {
    a.id = j.value("id", "");
    a.label = j.value("label", "");
    a.value = j.value("value", "");
    a.style = static_cast<action_style>(j.value("style", 0));
    a.choices = j.value("choices", std::vector<choice>{});
    a.opens_form = j.value("opens_form", false);
}
void to_json(nlohmann::json& j, const neutral_message& m) {
    j = {{"title", m.title}, {"text", m.text}, {"fields", m.fields}, {"context", m.context},
         {"actions", m.actions}, {"is_error", m.is_error}};
}
void from_json(const nlohmann::json& j, neutral_message& m) {
    m.title = j.value("title", "");
    m.text = j.value("text", "");
    m.fields = j.value("fields", std::vector<message_field>{});
    m.context = j.value("context", "");
    m.actions = j.value("actions", std::vector<message_action>{});
    m.is_error = j.value("is_error", false);
}

} // namespace cxos
