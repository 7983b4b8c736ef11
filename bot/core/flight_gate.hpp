#pragma once
// One fetch in flight (a token, a key set), any number of requests waiting for it. The waiters park
// on a timer that never expires by itself and the fetch's end cancels it, waking them all once.
// Re-arming one shared timer per waiter would not do: arming it cancels the other waiters' waits,
// so each wakes the next in turn and they spin on the I/O thread until the fetch ends.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cxos::bot {

class flight_gate {
  public:
    explicit flight_gate(const boost::asio::any_io_executor& ex)
        : landed_(ex, boost::asio::steady_timer::time_point::max()) {}
    flight_gate(const flight_gate&) = delete;
    flight_gate& operator=(const flight_gate&) = delete;

    bool in_flight() const { return in_flight_; }

    // Returns once no fetch is in flight (at once when none is).
    boost::asio::awaitable<void> wait() {
        while (in_flight_) {
            auto landed = landed_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
            co_await std::move(landed);
        }
    }

    // Held by the one fetching, for as long as it fetches; however the fetch ends, its end wakes
    // the waiters.
    class ticket {
      public:
        explicit ticket(flight_gate& gate) : gate_(gate) { gate_.in_flight_ = true; }
        ~ticket() {
            gate_.in_flight_ = false;
            gate_.landed_.cancel();
        }
        ticket(const ticket&) = delete;
        ticket& operator=(const ticket&) = delete;

      private:
        flight_gate& gate_;
    };

  private:
    boost::asio::steady_timer landed_;
    bool in_flight_ = false;
};

} // namespace cxos::bot
