#include "adapters/ingest/signals.hpp"

#include "commands/handlers.hpp"
#include "commands/utf8.hpp"

#include <set>

namespace cxos::ingest {

namespace {

constexpr std::size_t max_id_length = 200;
constexpr std::size_t max_description_length = 4000;
constexpr std::size_t max_short_text = 200;
constexpr std::int64_t max_contacts = 1'000'000;

const std::set<std::string> known_keys = {"source", "external_id", "description", "stage", "component", "severity",
                                          "customer", "link", "contact_count", "error_rate"};

class signal_reader {
  public:
    signal_reader(const nlohmann::json& o, std::string where, std::vector<std::string>& errors)
        : o_(o), where_(std::move(where)), errors_(errors) {}

    void error(const std::string& message) { errors_.push_back(where_ + ": " + message); }

    // A string field: "" when absent; an error when present but not a string or too long.
    std::string text(const char* key, std::size_t max_length, bool required) {
        auto it = o_.find(key);
        if (it == o_.end() || it->is_null()) {
            if (required) error(std::string(key) + " is required");
            return {};
        }
        if (!it->is_string()) {
            error(std::string(key) + " must be a string");
            return {};
        }
        auto v = it->get<std::string>();
        // The JSON parser already refuses such text; a document built any other way must not
        // carry it into the store either.
        if (!is_valid_utf8(v)) {
            error(std::string(key) + " is not valid UTF-8");
            return {};
        }
        if (required && v.find_first_not_of(" \t\r\n") == std::string::npos) error(std::string(key) + " is empty");
        if (v.size() > max_length) error(std::string(key) + " is longer than " + std::to_string(max_length) + " characters");
        return v;
    }

    const nlohmann::json* number(const char* key) {
        auto it = o_.find(key);
        if (it == o_.end() || it->is_null()) return nullptr;
        if (!it->is_number()) {
            error(std::string(key) + " must be a number");
            return nullptr;
        }
        return &*it;
    }

  private:
    const nlohmann::json& o_;
    std::string where_;
    std::vector<std::string>& errors_;
};

std::optional<signal> decode_one(const nlohmann::json& o, const std::string& where, std::string_view source,
                                 const journey_config& journey, millis now, std::vector<std::string>& errors) {
    const auto before = errors.size();
    signal_reader r(o, where, errors);
    if (!o.is_object()) {
        r.error("must be a JSON object");
        return std::nullopt;
    }
    for (const auto& [key, value] : o.items())
        if (!known_keys.count(key)) r.error("unknown field '" + key + "'");
    if (auto named = r.text("source", max_short_text, false); !named.empty() && named != source)
        r.error("source '" + named + "' differs from the X-Cxos-Source header '" + std::string(source) + "'");

    log_command cmd;
    const auto external_id = r.text("external_id", max_id_length, true);
    cmd.description = r.text("description", max_description_length, true);
    cmd.stage = r.text("stage", max_short_text, false);
    if (!cmd.stage.empty() && !journey.has_stage(cmd.stage)) r.error("stage '" + cmd.stage + "' is not a journey stage");
    if (auto comp = r.text("component", max_short_text, false); !comp.empty()) {
        cmd.comp = parse_component(comp);
        if (!cmd.comp) r.error("component '" + comp + "' is not one of onboarding, community, education, knowledge, "
                               "marketing, intelligence");
    }
    if (auto sev = r.text("severity", max_short_text, false); !sev.empty()) {
        cmd.sev = parse_severity(sev);
        if (!cmd.sev) r.error("severity '" + sev + "' is not low, medium or high");
    }
    const auto customer = r.text("customer", max_short_text, false);
    const auto link = r.text("link", 2000, false);
    if (!link.empty() && link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0)
        r.error("link must be an http(s) URL");
    int contacts = 1;
    if (auto* n = r.number("contact_count")) {
        if (!n->is_number_integer() || n->get<std::int64_t>() < 1 || n->get<std::int64_t>() > max_contacts)
            r.error("contact_count must be a whole number from 1 to " + std::to_string(max_contacts));
        else contacts = static_cast<int>(n->get<std::int64_t>());
    }
    std::optional<double> error_rate;
    if (auto* n = r.number("error_rate")) {
        if (n->get<double>() < 0) r.error("error_rate must not be negative");
        else error_rate = n->get<double>();
    }
    if (errors.size() != before) return std::nullopt;

    // The same routing as a chat signal: plan_signal decides the owner.
    source_ref from;
    from.platform = std::string(source);
    from.user_id = std::string(source);
    from.user_name = std::string(source);
    signal s = plan_signal(journey, cmd, from, now);
    s.external_id = external_id;
    s.customer = customer;
    s.link = link;
    s.contacts = contacts;
    s.error_rate = error_rate;
    return s;
}

} // namespace

decoded_signals decode_signals(const nlohmann::json& body, std::string_view source, const journey_config& journey,
                               millis now) {
    decoded_signals out;
    if (body.is_object() && body.contains("signals")) {
        const auto& list = body["signals"];
        if (body.size() != 1) out.errors.push_back("a body with \"signals\" must have no other fields");
        if (!list.is_array() || list.empty()) {
            out.errors.push_back("signals must be a non-empty array");
            return out;
        }
        if (list.size() > max_signals_per_request) {
            out.errors.push_back("at most " + std::to_string(max_signals_per_request) + " signals per request");
            return out;
        }
        for (std::size_t i = 0; i < list.size(); ++i)
            if (auto s = decode_one(list[i], "signals[" + std::to_string(i) + "]", source, journey, now, out.errors))
                out.signals.push_back(std::move(*s));
    } else if (body.is_object()) {
        if (auto s = decode_one(body, "signal", source, journey, now, out.errors)) out.signals.push_back(std::move(*s));
    } else {
        out.errors.push_back("the body must be a JSON object: one signal or {\"signals\": [...]}");
    }
    if (!out.errors.empty()) out.signals.clear();
    return out;
}

} // namespace cxos::ingest
