#include "comptoir/cases/progress.hpp"

#include <algorithm>
#include <cmath>

namespace comptoir {

ReadingProgress::ReadingProgress(Clock clock, std::chrono::milliseconds interval)
    : clock_(std::move(clock)), interval_(interval) {}

int ReadingProgress::seconds_left(int percent) const {
    if (!started_) return -1;
    if (percent >= 100) return 0;
    const double done = percent - start_percent_;
    const double elapsed = std::chrono::duration<double>(clock_() - start_).count();
    if (done < 3 || elapsed < 0.5) return -1;
    return static_cast<int>(std::ceil(elapsed * (100 - percent) / done));
}

std::optional<ReadingProgress::Step> ReadingProgress::next(const std::string& stage, int percent, int page, int pages) {
    const auto now = clock_();
    percent = std::clamp(percent, 0, 100);
    if (!started_) {
        started_ = true;
        start_ = now;
        start_percent_ = percent;
    }
    if (sent_) percent = std::max(percent, last_.percent);
    const bool moved_on = !sent_ || stage != last_.stage || page != last_.page || pages != last_.pages;
    if (!moved_on && (percent == last_.percent || now - last_at_ < interval_)) return std::nullopt;
    Step step{stage, percent, page, pages, seconds_left(percent)};
    sent_ = true;
    last_at_ = now;
    last_ = step;
    return step;
}

}  // namespace comptoir
