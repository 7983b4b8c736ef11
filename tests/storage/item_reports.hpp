#pragma once
// Items and reports for the storage tests of counting (store_items_test.cpp,
// store_counts_model_test.cpp): a billing item and reports on it that differ only where counting
// looks, the reporter, the customer and the time.
#include "storage/store.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace cxos::test {

inline signal report(std::string user, std::string customer, millis at, std::int64_t item_id) {
    signal s;
    s.source = {"slack", "T1", "C0SUPPORT", std::move(user), "", "", "", ""};
    s.description = "refund missing";
    s.route = {"billing", "invoices", "matched 'refund'"};
    s.customer = std::move(customer);
    s.created_at = at;
    s.item_id = item_id;
    return s;
}

inline item billing_item(std::string key) {
    item it;
    it.key = std::move(key);
    it.title = "refund missing";
    it.owner = "billing";
    it.rule = "invoices";
    it.created_at = it.updated_at = 1;
    return it;
}

// An open item, routed to its owner as the logging path leaves a new one.
inline std::int64_t new_item(storage::store& st, std::string key) {
    auto it = billing_item(std::move(key));
    it.status = item_status::routed;
    return st.insert_item(it);
}

inline item_counts counts_of(storage::store& st, std::int64_t id) {
    auto it = st.find_item(id);
    REQUIRE(it);
    return it->counts;
}

} // namespace cxos::test
