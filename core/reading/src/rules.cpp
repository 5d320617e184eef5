// A page's ruled lines: a table's grid, the frame of a box, a rule under a heading. Tesseract's
// line finder takes solid lines out of a page and keeps them as column separators; a light grey
// rule (a table's are often #BBB), which its threshold breaks into dashes, is not found and is
// read as part of the words it runs close around: on a bill whose period and due date stand in
// framed cells, "du 26/05/2022 au" / "26/08/2022" came out as "se PTS HR" and the date under
// « À payer avant le » as « | ». Lines long and thin, as no character is, are found on a binary
// copy of the page and drawn solid black on the page itself. Erasing them instead reads the cells
// but loses the columns they separate: a large amount and the words of the next box then run
// into one line.
#include "prepare_steps.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>

namespace comptoir {

int strengthen_ruled_lines(Pix* gray, int text_height) {
    const int width = pixGetWidth(gray);
    const int height = pixGetHeight(gray);
    if (width < 200 || height < 200) return 0;
    const int h = std::clamp(text_height > 0 ? text_height : 30, 12, 80);
    // Any ink, a light grey rule's too (a table's rules are often #BBB).
    PixPtr ink(pixThresholdToBinary(gray, 200));
    if (!ink) return 0;
    // A rule runs five characters' height across, or three down (a table's rows are short); no
    // stroke of a character does, but a large bold amount's upright may: a rule is also thin.
    const int across = std::max(50, 5 * h);
    const int down = std::max(50, 3 * h);
    const int thick = std::max(5, h / 5);
    PixPtr horizontal(pixOpenCompBrick(nullptr, ink.get(), across, 1));
    PixPtr vertical(pixOpenCompBrick(nullptr, ink.get(), 1, down));
    if (!horizontal || !vertical) return 0;
    // What is as thick as a character's stroke across the run's direction is no rule (a band, a
    // filled box, a large digit's upright).
    PixPtr thick_across(pixOpenBrick(nullptr, horizontal.get(), 1, thick));
    PixPtr thick_down(pixOpenBrick(nullptr, vertical.get(), thick, 1));
    if (!thick_across || !thick_down) return 0;
    pixSubtract(horizontal.get(), horizontal.get(), thick_across.get());
    pixSubtract(vertical.get(), vertical.get(), thick_down.get());
    PixPtr rules(pixOr(nullptr, horizontal.get(), vertical.get()));
    if (!rules) return 0;
    l_int32 count = 0;
    if (pixCountPixels(rules.get(), &count, nullptr) != 0 || count == 0) return 0;
    // A pixel more around each rule: its anti-aliased edge too.
    PixPtr wider(pixDilateBrick(nullptr, rules.get(), 3, 3));
    if (!wider) return 0;
    pixSetMasked(gray, wider.get(), 0);
    return count;
}

}  // namespace comptoir
