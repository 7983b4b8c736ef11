#pragma once
// The body of POST /ingest/v1/signals: `{"signals": [ … ]}` or one signal object. Each signal:
//   external_id (required)   the tool's own id: cxos is idempotent by (source, external_id)
//   description (required)   what the customer ran into
//   stage, component, severity, customer, link     as in /friction (validated the same way)
//   contact_count            customer contacts this one signal stands for (≥ 1, default 1)
//   error_rate               an operational figure (a number ≥ 0), stored as sent
//   source                   optional; when present it must equal the X-Cxos-Source header
// Validation is all-or-nothing: any bad signal refuses the whole body, so a retry is simple.
#include "commands/journey.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cxos::ingest {

// At most this many signals in one request.
inline constexpr std::size_t max_signals_per_request = 500;

struct decoded_signals {
    std::vector<signal> signals; // routed, ready for intake; created_at = now
    std::vector<std::string> errors; // "signals[2]: description is required"; empty when valid
};

// `source` is the verified X-Cxos-Source; it becomes source.platform and the reporter.
decoded_signals decode_signals(const nlohmann::json& body, std::string_view source, const journey_config& journey,
                               millis now);

} // namespace cxos::ingest
