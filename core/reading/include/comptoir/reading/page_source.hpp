// A file decoded in a child process (worker::Runner), one page at a time: the server's way of
// reading an upload, so that a file that costs too much (memory, CPU time) fails on its own —
// « Ce fichier est trop lourd à lire : … » — and the server and other readings go on.
//
//   PixelBudget pixels(200'000'000);                      // the server's pixels in flight
//   PageSource source(pool, bytes, limits, deadline);     // the child checks the headers
//   for (size_t i = 0; i < source.sizes().size(); ++i) {
//       auto held = pixels.hold(source.sizes()[i].pixels(), deadline);
//       LoadedPage page = source.page(i, deadline);       // decoded by the child, sent back raw
//       …                                                  // held until the page is let go
//   }
//
// The child (`comptoir-worker`, serve_decoding()) keeps the opened file between requests; a
// child that died is started again, and the file opened again, at the next page.
#pragma once

#include "comptoir/reading/input.hpp"
#include "comptoir/worker/runner.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace comptoir {

using SteadyClock = std::chrono::steady_clock;

// The decoded pixels the whole server may hold at once (pages being decoded, prepared, read).
class PixelBudget {
public:
    explicit PixelBudget(int64_t capacity) : capacity_(capacity > 0 ? capacity : 1) {}
    PixelBudget(const PixelBudget&) = delete;
    PixelBudget& operator=(const PixelBudget&) = delete;

    struct Hold {
        PixelBudget* budget = nullptr;
        int64_t pixels = 0;
        ~Hold();
    };
    // Waits until `pixels` (at most the capacity) are free, or `deadline`: null then.
    std::unique_ptr<Hold> hold(int64_t pixels, SteadyClock::time_point deadline);
    int64_t in_use() const;
    int64_t capacity() const { return capacity_; }

private:
    const int64_t capacity_;
    int64_t used_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
};

// Options of the decoding children.
struct DecoderOptions {
    std::string worker;                      // the comptoir-worker program (default_worker_path())
    int64_t memory_bytes = 1536LL << 20;     // each child's address space (RLIMIT_AS)
    int cpu_seconds = 60;                    // CPU time of one request (a page, an opening)
    int children = 4;                        // children at once
};

// comptoir-worker beside the running program (or one folder up: the tests' binaries), else the
// installed one.
std::string default_worker_path();

worker::RunnerOptions runner_options(const DecoderOptions& options);

class PageSource {
public:
    // Takes a child of `pool` (waiting for one until `deadline`) and opens `data` there: the
    // format and the pages' sizes checked against `limits`. Throws InputError (the codes of
    // load_document, too_heavy when the child ran out of memory or CPU time, timeout when
    // `deadline` passed), or Error("worker_unavailable") when no child can be started.
    PageSource(worker::Pool& pool, std::string data, const InputLimits& limits, SteadyClock::time_point deadline);
    ~PageSource();

    const std::string& format() const { return format_; }
    const std::vector<PageSize>& sizes() const { return sizes_; }
    int64_t total_pixels() const;
    // The child yields the processor to other work from now on (a heavy file).
    void lower_priority() { (*lease_)->lower_priority(10); }

    // Page `index` (0-based), decoded in the child. `fit_width`/`fit_height` > 0: scaled down
    // there to at most that (for the viewer's renditions: less to send and to hold).
    // Pixels::gray: a colour page comes as prepare_page turns it gray first (gray_page): what the
    // reading needs, a quarter of the bytes to send and to hold.
    enum class Pixels { as_decoded, gray };
    LoadedPage page(size_t index, SteadyClock::time_point deadline, int fit_width = 0, int fit_height = 0,
                    Pixels pixels = Pixels::as_decoded);

private:
    void open(SteadyClock::time_point deadline);
    std::string ask(const std::string& request, SteadyClock::time_point deadline,
                    const std::function<void(std::string&&)>& on_more = nullptr);

    std::unique_ptr<worker::Pool::Lease> lease_;
    std::string data_;
    InputLimits limits_;
    pid_t opened_in_ = 0;
    std::string format_;
    std::vector<PageSize> sizes_;
};

// The child's side: serves "open" and "page" requests on the worker's channel until the parent
// goes. comptoir-worker's main.
int serve_decoding();

}  // namespace comptoir
