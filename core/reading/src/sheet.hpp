// Inside page preparation (prepare.cpp, sheet.cpp): the binarisation both use.
#pragma once

#include "comptoir/image/image.hpp"

namespace comptoir {

// A global Otsu threshold of an 8-bit page, with a smoothed histogram: 1 is ink.
PixPtr binarise(Pix* gray);

}  // namespace comptoir
