// Inside reading (ocr.cpp): whether a page is a photo of a screen.
#pragma once

struct Pix;

namespace comptoir {

// A photo of a screen shows the screen's rows of pixels as fine stripes (with their moiré): the
// brightness of the page's rows, or of its columns, swings from one to the next all over the
// page, where a printed page's changes only at its text lines and rules. `page` of any depth.
bool screen_photo(Pix* page);

}  // namespace comptoir
