#pragma once
// The platform-neutral vocabulary of cxos: what a signal is, where it goes, how it leaves.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxos {

enum class severity { low, medium, high };

// The six CX OS components every signal belongs to.
enum class component {
    onboarding,   // onboarding & activation
    community,    // community & peer support
    education,    // education & enablement
    knowledge,    // knowledge & self-service
    marketing,    // customer marketing & lifecycle
    intelligence, // intelligence & orchestration
};

std::string_view to_string(severity s);
std::optional<severity> parse_severity(std::string_view word);

std::string_view to_slug(component c);  // the tag/config word, e.g. "onboarding"
std::string_view to_title(component c); // the human name, e.g. "Onboarding & activation"
std::optional<component> parse_component(std::string_view word);
const std::vector<component>& all_components();

// Unix epoch milliseconds: one representation for every stored time.
using millis = std::int64_t;

// A stored time in UTC through strftime's `format`, e.g. "%Y-%m-%d %H:%M UTC".
std::string format_utc(millis at, const char* format);

// Where a report came from, as far as its reporter goes: a chat platform cxos talks in ("slack",
// "teams": its reporter can be told what changed and can answer the acknowledgement's choices,
// by button or typed command), or a tool that POSTs to /ingest/v1/signals, named by its source
// (nobody there reads an answer). The one list of chat platforms: a new platform is added here.
enum class source_kind { chat, tool };
source_kind source_kind_of(std::string_view platform);

// Who reported a signal and from where, as the platform named them.
struct source_ref {
    std::string platform; // "slack", "teams", or an ingest source's name ("zendesk")
    std::string team_id;
    std::string channel_id;
    std::string user_id;
    std::string user_name;
    // Set when the signal was captured from an existing message (shortcut, reaction).
    std::string message_ts;
    std::string thread_ts;
    std::string permalink;

    source_kind kind() const { return source_kind_of(platform); }
    // Its reporter can be messaged and can answer grouping's choices.
    bool reporter_answers() const { return kind() == source_kind::chat; }
};

struct route_decision {
    std::string owner;
    std::string rule;   // empty when the fallback owner took it
    std::string reason; // why: "matched 'invoice'" or "no rule matched"
};

struct signal {
    std::int64_t id = 0;
    source_ref source;
    std::string description;
    std::string stage; // empty when the reporter gave none
    std::optional<component> comp;
    severity sev = severity::medium;
    route_decision route;
    millis created_at = 0;
    std::int64_t item_id = 0;
    std::string customer;
    std::string link;
    // Signals from other tools (POST /ingest/v1/signals): the tool's own id, unique per source
    // (source.platform), and how many customer contacts this one signal stands for.
    std::string external_id;
    int contacts = 1;
    std::optional<double> error_rate; // an operational figure the tool sent with it, as it sent it
};

enum class delivery_state { pending, sending, sent, dead };
std::string_view to_string(delivery_state s);
std::optional<delivery_state> parse_delivery_state(std::string_view s);

// What an outbox row does when it is sent.
namespace delivery_kind {
inline constexpr std::string_view routed_item = "routed_item";     // post the item to its owner
inline constexpr std::string_view item_update = "item_update";     // refresh the parent post in place
inline constexpr std::string_view notice = "notice";               // post `payload` (DM or thread)
inline constexpr std::string_view ephemeral = "ephemeral";         // `payload` to `user` only
inline constexpr std::string_view reaction = "reaction";           // mark thread_ts with `payload`, a delivery_mark
// Replies in the thread of the parent row's message, once that one is posted:
inline constexpr std::string_view thread_reply = "thread_reply";   // post `payload`
inline constexpr std::string_view council_item = "council_item";   // an agenda item, rendered when sent
} // namespace delivery_kind

// What a `reaction` row says about a message; each adapter shows it its own way (Slack: an emoji).
namespace delivery_mark {
inline constexpr std::string_view fixed = "fixed"; // the friction it reported was fixed
} // namespace delivery_mark

// One message that must leave the process: an outbox row.
struct delivery {
    std::int64_t id = 0;
    std::int64_t signal_id = 0; // 0 when the row is about an item, not one signal
    std::int64_t item_id = 0;
    std::int64_t parent_id = 0; // item_update: the routed_item row whose message it refreshes
    std::string kind;
    std::string platform;
    std::string channel;
    delivery_state state = delivery_state::pending;
    int attempts = 0;
    millis next_attempt_at = 0;
    std::string platform_ref; // Slack ts once posted
    std::string last_error;
    millis updated_at = 0;
    std::string thread_ts; // notice: reply in this thread; reaction: the message to react to
    std::string user;      // ephemeral: the only person who sees it
    std::string payload;   // notice/ephemeral: the neutral message as JSON; reaction: emoji name
    // Slack: the workspace whose token sends it (T…, or E… for an org-wide install); empty: the
    // default workspace (SLACK_BOT_TOKEN, or the only installation).
    std::string workspace;
    // Slack ephemeral: the click's response_url, tried before chat.postEphemeral (it reaches the
    // person in a DM or a private channel cxos is not in). Lives 30 minutes; never logged.
    std::string reply_url;
};

} // namespace cxos
