// What Slack's servers answer: Web API answers (posts, reactions, history pages, a click's
// response_url), `apps.connections.open` and Socket Mode frames. The first byte picks the reader,
// the next two the HTTP status, the fourth the length of a Retry-After header that follows; the
// rest is the body. Whatever is read must be safe to log and store (UTF-8), waits are bounded,
// and a Socket Mode envelope renders like an HTTP request and is acknowledged by its own id.
#include "adapters/slack/socket_mode.hpp"
#include "adapters/slack/web_api.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/slack_checks.hpp"

#include <algorithm>

namespace {

using namespace cxos;

void require_post_result(const slack::post_result& r) {
    fuzz::require_utf8({r.ts, r.error}, "a post's outcome is UTF-8");
    fuzz::require(r.retry_after_seconds >= 0 && r.retry_after_seconds <= 3600, "a rate limit waits at most an hour");
    if (r.outcome == slack::post_outcome::rate_limited) fuzz::require(r.retry_after_seconds >= 1, "a rate limit waits");
    if (r.outcome == slack::post_outcome::sent) fuzz::require(r.error.empty(), "a sent post names no error");
    else fuzz::require(!r.error.empty(), "a failure says why");
}

void require_socket_url(const std::optional<slack::socket_url>& u) {
    if (!u) return;
    fuzz::require(!u->host.empty(), "a socket URL names a host");
    fuzz::require(!u->port.empty() && std::all_of(u->port.begin(), u->port.end(), [](char c) { return c >= '0' && c <= '9'; }),
                  "a socket URL's port is a number");
    fuzz::require(!u->target.empty() && u->target.front() == '/', "a socket URL's target is a path");
}

void require_acknowledged(const std::string& envelope_id) {
    fuzz::require_utf8({envelope_id}, "an envelope id is UTF-8");
    const auto ack = nlohmann::json::parse(slack::encode_socket_ack(envelope_id, nlohmann::json()), nullptr, false);
    fuzz::require(ack.is_object() && ack.value("envelope_id", std::string()) == envelope_id,
                  "the ack names the envelope it acknowledges");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    const unsigned status = (static_cast<unsigned>(data[1]) << 8 | data[2]) % 600;
    const std::size_t header_size = std::min<std::size_t>(data[3] % 16, size - 4);
    const auto retry_after = fuzz::as_text(data + 4, header_size);
    const auto body = fuzz::as_text(data + 4 + header_size, size - 4 - header_size);
    switch (data[0] % 6) {
    case 0: require_post_result(slack::classify_post_response(status, retry_after, body)); break;
    case 1: require_post_result(slack::classify_reaction_response(status, retry_after, body)); break;
    case 2: require_post_result(slack::classify_response_url_answer(status, retry_after, body)); break;
    case 3: {
        const auto found = slack::find_delivery_in_history(status, body, 42);
        fuzz::require_utf8({found.ts, found.error, found.next_cursor}, "a history lookup is UTF-8");
        if (found.outcome == slack::lookup_outcome::found) fuzz::require(!found.ts.empty(), "a found post has its ts");
        if (found.outcome == slack::lookup_outcome::failed) fuzz::require(!found.error.empty(), "a failed lookup says why");
        if (auto m = slack::find_message(body, "1700000000.000100"))
            fuzz::require_utf8({m->text, m->user, m->thread_ts}, "a message read back is UTF-8");
        break;
    }
    case 4: {
        const auto opened = slack::classify_connections_open(status, retry_after, body);
        fuzz::require_utf8({opened.url, opened.error}, "connections.open's outcome is UTF-8");
        fuzz::require(opened.url.empty() != opened.error.empty(), "a URL or an error, never both");
        fuzz::require(opened.retry_after_seconds >= 0 && opened.retry_after_seconds <= 3600, "a rate limit waits at most an hour");
        if (!opened.url.empty()) require_socket_url(slack::parse_socket_url(opened.url));
        require_socket_url(slack::parse_socket_url(body));
        break;
    }
    case 5: {
        const auto frame = slack::decode_socket_frame(body);
        if (const auto* envelope = std::get_if<slack::socket_envelope>(&frame)) {
            require_acknowledged(envelope->envelope_id);
            fuzz::require_utf8({envelope->type, envelope->retry_reason}, "an envelope's fields are UTF-8");
            fuzz::require_slack_request_renders(envelope->request);
        } else if (const auto* bad = std::get_if<slack::socket_bad_frame>(&frame)) {
            fuzz::require_utf8({bad->message}, "a bad frame's reason is UTF-8");
            if (!bad->envelope_id.empty()) require_acknowledged(bad->envelope_id);
        } else if (const auto* bye = std::get_if<slack::socket_disconnect>(&frame)) {
            fuzz::require_utf8({bye->reason_text}, "a disconnect's reason is UTF-8");
        } else if (const auto* hello = std::get_if<slack::socket_hello>(&frame)) {
            fuzz::require_utf8({hello->host}, "a hello's host is UTF-8");
        }
        break;
    }
    }
    return 0;
}
