// Page preparation with Leptonica, before OCR: 8-bit gray, scale so that text reaches the size
// Tesseract reads best, orientation (0/90/180/270), deskew, background and border cleanup.
// The original image is left untouched; a PageTransform maps boxes found on the prepared image
// back to pixels of the page as loaded.
#pragma once

#include "comptoir/reading/document.hpp"
#include "comptoir/image/image.hpp"

#include <array>
#include <functional>

namespace comptoir {

struct PageTransform {
    int original_width = 0;
    int original_height = 0;
    // A photographed sheet is first straightened: the quadrilateral it makes on the photo
    // becomes a rectangle (a projective transform, Leptonica's 8 coefficients, each way).
    bool sheet = false;
    std::array<double, 8> sheet_to_original{};  // point of the straightened sheet -> photo
    std::array<double, 8> original_to_sheet{};
    double scale = 1.0;     // applied first (after straightening)
    int quads = 0;          // then this many clockwise quarter turns
    double deskew_deg = 0;  // then a rotation about the centre, clockwise positive
    int scaled_width = 0;   // size after scaling, before the quarter turns
    int scaled_height = 0;

    // Point of the original page -> point of the prepared image, and back.
    void to_prepared(double x, double y, double& out_x, double& out_y) const;
    void to_original(double x, double y, double& out_x, double& out_y) const;
    // The bounding box, in original pixels, of a box of the prepared image (clamped to the page).
    Box box_to_original(const Box& box) const;

    // The page as shown and as the plugins see it: the page as loaded, turned upright by the
    // same quarter turns (its width and height swapped after one or three). Words and codes are
    // placed on it, so that "right of" and "below" mean what they say on a page that came in
    // upside down or sideways.
    int page_width() const { return quads % 2 ? original_height : original_width; }
    int page_height() const { return quads % 2 ? original_width : original_height; }
    void original_to_page(double x, double y, double& out_x, double& out_y) const;
    Box original_box_to_page(const Box& box) const;
    // The bounding box, on the upright page, of a box of the prepared image.
    Box box_to_page(const Box& box) const;
};

struct PreparedPage {
    PixPtr image;             // 8-bit gray, upright, deskewed, cleaned
    PageTransform transform;
    int rotation_deg = 0;     // how the page was turned upright, clockwise
    double skew_deg = 0.0;    // the page's skew as found (clockwise positive), corrected
    int ocr_dpi = 300;        // the resolution to tell Tesseract
    int text_height_px = 0;   // median height of characters before scaling (0: unknown)
    bool blank = false;       // no ink: nothing to read (image is the gray page, unscaled)
    bool perspective = false; // a sheet photographed at an angle, straightened (transform.sheet)
    bool too_dark = false;    // no contrast to read from (image is the gray page, unscaled)
};

// Where a sheet of paper lies on a darker background (a phone photo on a table): its corners,
// top-left, top-right, bottom-right, bottom-left, as x, y pairs in `gray`'s pixels. False when
// no such sheet is seen (a scan, where the paper fills the image, or a sheet cut by the frame).
bool find_sheet(Pix* gray, std::array<double, 8>& corners);

// Returns how many clockwise quarter turns make the page upright (0 when unsure).
using OrientationDetector = std::function<int(Pix* gray)>;

// True when nothing on the page is clearly darker than its paper (`gray`: 8-bit).
bool blank_page(Pix* gray);

// The page in 8-bit gray, as preparation sees it first: a transparent background made white
// paper, colour turned to its luminance. The decoding child sends pages to be read this way (a
// quarter of a colour page's bytes); preparing such a page gives the same result.
PixPtr gray_page(Pix* original);

// `dpi`: as the file says, 0 when unknown. Never modifies `original`.
PreparedPage prepare_page(Pix* original, int dpi, const OrientationDetector& detect_orientation);

}  // namespace comptoir
