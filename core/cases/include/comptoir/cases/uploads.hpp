// What the desk keeps of a visitor's file: its format from its first bytes, the name shown,
// and a scan's pages as one file.
#pragma once

#include <string>
#include <vector>

struct Pix;

namespace comptoir {

// "png", "jpg", "tif" or "pdf" from the first bytes; empty when it is not one the desk reads.
std::string upload_format(const std::string& content);

// The name the browser gave, without its folders, at most 120 bytes, for display only: valid
// UTF-8 whatever was sent (a byte that is not: U+FFFD; control characters: dropped), so that
// the case's JSON stays valid.
std::string display_name(const std::string& filename);

// A scan's pages as one multi-page TIFF (lossless), which the pipeline reads. Error
// ("spool_failed", French) when it cannot be encoded.
std::string pages_to_tiff(const std::vector<Pix*>& pages);

}  // namespace comptoir
