// Run-time options of every sanitized executable (CXOS_SANITIZE=ON). The sanitizer runtimes call
// these functions at start-up; ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS from the environment
// are parsed after them, so a test harness or a developer can still add or override an option.

extern "C" {

const char* __asan_default_options();
const char* __ubsan_default_options();
const char* __lsan_default_options();

const char* __asan_default_options() {
    return
        // The first error stops the process (and fails whatever ran it) rather than leaving it
        // to limp on with corrupted memory.
        "halt_on_error=1:abort_on_error=0:exitcode=1"
        // Stack frames are kept on a fake stack after return, so a pointer to a dead local
        // (a classic when a coroutine outlives the caller it borrowed from) is reported. Safe
        // here: cxos's coroutines are C++20 stackless ones (heap frames), nothing switches stacks.
        ":detect_stack_use_after_return=1"
        // A static initialised from another translation unit's not yet initialised static.
        ":check_initialization_order=1:strict_init_order=1"
        // Leak check at exit (normal exit only: a SIGKILLed process is never checked).
        ":detect_leaks=1";
}

const char* __ubsan_default_options() {
    // -fno-sanitize-recover=undefined already makes a report fatal; the stack says where.
    return "halt_on_error=1:print_stacktrace=1:report_error_type=1";
}

const char* __lsan_default_options() {
    // Each suppression in lsan.supp says which third-party one-time allocation it covers.
    return "suppressions=" CXOS_LSAN_SUPPRESSIONS ":print_suppressions=0";
}

} // extern "C"
