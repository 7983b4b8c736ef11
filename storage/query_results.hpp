#pragma once
// What both backends do with the rows their queries return: one definition of each figure and
// rule, whatever SQL dialect fetched the rows.
#include "storage/store.hpp"

#include <cstddef>
#include <map>
#include <vector>

namespace cxos::storage {

// Refuses a database a newer cxos migrated: its schema may mean things this binary does not know.
void check_schema_version(std::size_t current, std::size_t known);

// closed_loops(): one call per fixed item. Told = the notice's outbox row was delivered; the loop
// closes when the last reporter is told.
void count_fixed_item(closed_loop_stats& out, millis first_seen, std::int64_t notices, std::int64_t told,
                      millis last_told_at);

// council_candidates(): the open items, then the week each was last on an agenda, then votes.
class candidate_list {
  public:
    void add_item(item it);
    void set_last_week(std::int64_t item_id, int week_number);
    void add_vote(vote v); // in voting order
    std::vector<agenda_candidate> take();

  private:
    std::vector<agenda_candidate> out_;
    std::map<std::int64_t, std::size_t> index_;
    std::map<std::int64_t, std::vector<vote>> votes_;
};

// kpi_items(): an item's closed-loop notices (the same rule as closed_loops()).
struct loop_figures {
    std::int64_t item_id = 0;
    int notices = 0;
    int told = 0;
    millis told_at = 0;
};
inline constexpr auto read_loop_figures = [](const auto& s) -> loop_figures {
    return loop_figures{s.int64(0), static_cast<int>(s.int64(1)), static_cast<int>(s.int64(2)), s.int64(3)};
};
void attach_loops(std::vector<kpi_item>& items, const std::vector<loop_figures>& loops);

// kpi_items(): each item's delivered owner posts, oldest first, with the Teams tenant when known.
#define CXOS_SELECT_ITEM_POSTS                                                                               \
    "SELECT d.item_id, d.platform, d.channel, d.platform_ref, coalesce(t.tenant_id, '') "                    \
    "FROM deliveries d LEFT JOIN teams_conversations t ON t.conversation = d.channel "                       \
    "WHERE d.kind = 'routed_item' AND d.state = 'sent' AND d.platform_ref <> '' ORDER BY d.id"
struct post_figures {
    std::int64_t item_id = 0;
    item_post post;
};
inline constexpr auto read_post_figures = [](const auto& s) -> post_figures {
    return post_figures{s.int64(0), item_post{s.text(1), s.text(2), s.text(3), s.text(4)}};
};
void attach_posts(std::vector<kpi_item>& items, const std::vector<post_figures>& posts);

// The channel pace, stored as the time the next post may go: a post at `now` moves it to
// max(next, now - (burst - 1) * interval) + interval, so `burst` posts fit at once and then one
// per interval.
inline millis burst_allowance(const pace_rule& rule) { return (rule.burst - 1) * rule.interval; }
// claim_due_heads' skipped platforms as one parameter both backends search with a plain string
// function: each name between line breaks ("\nslack\nteams\n"), which no platform name contains.
inline std::string platform_list(const std::vector<std::string>& platforms) {
    std::string out = "\n";
    for (const auto& p : platforms) out += p + "\n";
    return out;
}
// What reserve_channel_slot answers when the slot was not free.
inline millis pace_wait(millis next_allowed_at, millis now) {
    return next_allowed_at > now ? next_allowed_at - now : 1;
}

} // namespace cxos::storage
