// A reading's progress as the pages are told it: what to send of the steps the pipeline
// reports (it asks about every 100 ms during OCR), at most one step per `interval` unless the
// stage or the page changes, never going backwards, with an estimate of the time left. On an
// injectable clock, so that the tests need no waiting.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace comptoir {

class ReadingProgress {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    struct Step {
        std::string stage;
        int percent = 0;
        int page = 0;
        int pages = 0;
        int seconds_left = -1;  // -1: not known yet
    };

    explicit ReadingProgress(Clock clock = [] { return std::chrono::steady_clock::now(); },
                             std::chrono::milliseconds interval = std::chrono::milliseconds(200));

    // The step to send for where the reading stands now, or nothing (too soon after the last
    // one, or nothing changed). The percent never goes below one already sent.
    std::optional<Step> next(const std::string& stage, int percent, int page, int pages);

    // The time left, in whole seconds rounded up, from the pace since the first step: -1 until
    // at least 3 points and half a second have passed, 0 at 100 %.
    int seconds_left(int percent) const;

private:
    Clock clock_;
    std::chrono::milliseconds interval_;
    bool started_ = false;
    std::chrono::steady_clock::time_point start_{};
    int start_percent_ = 0;
    bool sent_ = false;
    std::chrono::steady_clock::time_point last_at_{};
    Step last_;
};

}  // namespace comptoir
