// The I/O thread's own steps for one signed /friction, timed one by one in a loop: verifying the
// signature, decoding the form, parsing the command, planning the signal, rendering the ack and
// writing it as Slack's JSON. In the closed-loop benchmark every request waits behind the others'
// I/O-thread work, so these microseconds set the req/s; timed alone they are not blurred by the
// kernel or the neighbours, and a change to one step shows in its own line.
//
//   cxos_request_steps_bench [iterations, default 200000]
#include "adapters/slack/blocks.hpp"
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/signature.hpp"
#include "bench/bench_request.hpp"
#include "commands/grammar.hpp"
#include "commands/handlers.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <variant>

using namespace cxos;

// Heap allocations counted beside the time: the I/O thread's malloc/free is a share of its profile
// (issue 18), and a count does not move with the neighbours' load as microseconds do.
namespace {
std::atomic<std::size_t> allocations{0};
}

// GCC sees the free() below meet memory from operator new once both are inlined, not knowing that
// this program's operator new is the malloc() above it: the pair is consistent.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

// The same request bench/common.sh sends.
const std::string body = "token=x&team_id=T0BENCH&channel_id=C0BENCH&user_id=U0BENCH&user_name=bench&command=%2Ffriction"
                         "&text=the+invoice+shows+the+wrong+currency+%21high&trigger_id=1.2.3";
const std::string text = "the invoice shows the wrong currency !high";

std::size_t sink = 0; // keeps the optimiser from dropping the work

template <class Step>
void time_step(const char* name, int iterations, Step step) {
    const auto allocated_before = allocations.load();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) step();
    const auto took = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start);
    const double allocs = static_cast<double>(allocations.load() - allocated_before) / iterations;
    std::printf("%-34s %8.3f us %6.1f allocations\n", name, took.count() / iterations, allocs);
}

} // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::atoi(argv[1]) : 200000;
    if (iterations <= 0) {
        std::fprintf(stderr, "usage: cxos_request_steps_bench [iterations]\n");
        return 2;
    }
    const auto journey = bench::bench_journey();
    const slack::slack_signature_verifier verifier("bench-signing-secret-0123456789");
    const std::string timestamp = "1700000000";
    const std::string signature = verifier.sign(timestamp, body);

    if (verifier.verify(timestamp, signature, body, 1700000000) != slack::verify_result::ok) {
        std::fprintf(stderr, "the bench request's signature did not verify\n");
        return 1;
    }
    const auto parsed = parse_command(text, journey);
    const auto* log = std::get_if<log_command>(&parsed);
    if (!log) {
        std::fprintf(stderr, "the bench text did not parse as a report\n");
        return 1;
    }
    const auto from = bench::bench_reporter();
    auto s = plan_signal(journey, *log, from, 1700000000000);
    s.id = 123456;
    item it;
    it.id = 1;
    it.owner = s.route.owner;
    it.counts.reports = 300000;
    const auto ack = render_log_ack(s, it, false, journey, {});

    time_step("verify signature", iterations,
              [&] { sink += static_cast<std::size_t>(verifier.verify(timestamp, signature, body, 1700000000)); });
    time_step("decode form", iterations, [&] { sink += slack::decode("application/x-www-form-urlencoded", body).index(); });
    time_step("parse command", iterations, [&] { sink += parse_command(text, journey).index(); });
    time_step("plan signal (route)", iterations, [&] { sink += plan_signal(journey, *log, from, 1).route.owner.size(); });
    time_step("render ack (neutral message)", iterations,
              [&] { sink += render_log_ack(s, it, false, journey, {}).text.size(); });
    time_step("write ack as Slack JSON", iterations, [&] { sink += slack::ephemeral_body(ack).size(); });
    std::printf("(%zu)\n", sink % 10);
}
