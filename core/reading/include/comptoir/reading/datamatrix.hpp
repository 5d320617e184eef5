// Finding and decoding the DataMatrix codes of a page (the 2D-Doc of a bill or a tax notice).
//
// ZXing-C++ decodes a code well once it is given a small image around it, but given a whole
// 300 dpi page it misses codes (near a corner, turned), and libdmtx searches a page without a
// code for seconds. So the page is first looked at small: binarised, its dark modules closed
// into blobs, and the blobs that are square, solid and dense enough become candidates; each
// candidate, cut from the page with a margin, goes to ZXing. The best candidate is always tried;
// the others only while the time budget lasts, so a page with no code costs a bounded time.
#pragma once

#include "comptoir/reading/document.hpp"

#include <chrono>
#include <string>
#include <vector>

struct Pix;

namespace comptoir {

struct FoundCode {
    std::string payload;  // the decoded bytes (a 2D-Doc keeps its GS, RS and US)
    Box box;              // in pixels of the page given
};

struct CodeSearch {
    std::vector<FoundCode> codes;
    // Regions that look like a DataMatrix (dark on half of each row and column, a solid side)
    // and that no attempt decoded: a code cut by the edge of the image, blurred or scratched.
    std::vector<Box> damaged;
    int candidates = 0;       // regions tried
    bool out_of_time = false;  // the budget ran out before every candidate was tried
    double ms = 0.0;
};

struct CodeSearchOptions {
    std::chrono::milliseconds budget{150};
    int max_candidates = 12;
};

// Never throws for an image without a code; `page` may be of any depth.
CodeSearch find_datamatrix(Pix* page, const CodeSearchOptions& options = {});

}  // namespace comptoir
