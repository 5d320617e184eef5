// Inside page preparation (prepare.cpp): steps that live in files of their own.
#pragma once

#include "comptoir/image/image.hpp"

struct Numa;  // Leptonica

namespace comptoir {

// The histogram of a page's grey levels (256 counts), as pixGetGrayHistogram(gray, 1) gives it,
// without its cost on an 8-bit page (sheet.cpp).
Numa* gray_histogram(Pix* gray);

// A global Otsu threshold of an 8-bit page, with a smoothed histogram: 1 is ink (sheet.cpp).
PixPtr binarise(Pix* gray);

// Light text on a dark or coloured band (a bill's header, a title band) made dark text on light
// paper, in place, band by band (bands.cpp). Returns how many bands were turned.
int invert_light_on_dark_bands(Pix* gray);

}  // namespace comptoir
