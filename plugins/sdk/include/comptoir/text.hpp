// comptoir/text.hpp — comptoir::text, the small header-only library the SDK and the host
// share: folding (accents and case), edit distance, French amounts and dates, check digits.
// C++17 and the standard library only.
#ifndef COMPTOIR_TEXT_HPP
#define COMPTOIR_TEXT_HPP

#include "comptoir/text/amount.hpp"
#include "comptoir/text/checks.hpp"
#include "comptoir/text/date.hpp"
#include "comptoir/text/distance.hpp"
#include "comptoir/text/fold.hpp"

#endif  // COMPTOIR_TEXT_HPP
