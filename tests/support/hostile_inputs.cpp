#include "hostile_inputs.hpp"

#include <leptonica/allheaders.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace comptoir::test {
namespace {

// A PDF from its objects (1-based, in order), the cross-reference table computed.
std::string pdf_of(const std::vector<std::string>& objects) {
    std::string pdf = "%PDF-1.4\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const size_t offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

std::string stream(const std::string& dictionary, const std::string& content) {
    return "<< " + dictionary + " /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
           "\nendstream";
}

void be32(std::string& out, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void chunk(std::string& png, const std::string& type, const std::string& data) {
    be32(png, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    png += body;
    be32(png, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

}  // namespace

std::string big_pages_pdf(int pages, int width_pt, int height_pt) {
    // 1: catalog, 2: pages, 3..: the pages, all with one empty content stream (last object).
    std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>"};
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
    const int content = 3 + pages;
    for (int i = 0; i < pages; ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width_pt) + " " +
                          std::to_string(height_pt) + "] /Contents " + std::to_string(content) + " 0 R >>");
    }
    objects.push_back(stream("", "0 g"));
    return pdf_of(objects);
}

std::string shared_content_pdf(int pages, int fan, int depth) {
    // 1: catalog, 2: pages, 3..2+pages: pages, then the page content, then the forms X1..Xdepth.
    std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>"};
    std::string kids;
    for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
    const int content = 3 + pages;
    const int first_form = content + 1;
    for (int i = 0; i < pages; ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + std::to_string(content) +
                          " 0 R /Resources << /XObject << /X " + std::to_string(first_form) + " 0 R >> >> >>");
    }
    objects.push_back(stream("", "q 0.5 g /X Do Q"));
    for (int level = 0; level < depth; ++level) {
        std::ostringstream draw;
        const bool leaf = level == depth - 1;
        for (int k = 0; k < fan; ++k) {
            // Each copy a little shifted and scaled, so that nothing can be skipped as hidden.
            draw << "q 0.999 0 0 0.999 " << (k % 7) * 0.3 << ' ' << (k % 5) * 0.3 << " cm ";
            draw << (leaf ? "10 10 500 700 re f Q\n" : "/X Do Q\n");
        }
        std::string resources = leaf ? "" : "/Resources << /XObject << /X " + std::to_string(first_form + level + 1) + " 0 R >> >>";
        objects.push_back(stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + resources, draw.str()));
    }
    return pdf_of(objects);
}

std::string zero_png(uint32_t width, uint32_t height) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    be32(header, width);
    be32(header, height);
    header += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB
    chunk(png, "IHDR", header);
    // Each row: filter 0 and 3 × width zeros, deflated a row at a time.
    z_stream z{};
    deflateInit(&z, 9);
    const std::vector<unsigned char> row(1 + 3 * static_cast<size_t>(width), 0);
    std::string compressed;
    std::vector<unsigned char> out(1 << 16);
    for (uint32_t y = 0; y < height; ++y) {
        z.next_in = const_cast<unsigned char*>(row.data());
        z.avail_in = static_cast<uInt>(row.size());
        const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            compressed.append(reinterpret_cast<const char*>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in > 0));
    }
    deflateEnd(&z);
    chunk(png, "IDAT", compressed);
    chunk(png, "IEND", "");
    return png;
}

std::string blank_tiff(int pages, int width, int height) {
    // Leptonica appends pages to a file only: one in the temporary folder, read back.
    const auto path = std::filesystem::temp_directory_path() /
                      ("comptoir-blank-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".tif");
    Pix* page = pixCreate(width, height, 1);
    for (int i = 0; i < pages; ++i) pixWriteTiff(path.c_str(), page, IFF_TIFF_G4, i == 0 ? "w" : "a");
    pixDestroy(&page);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::filesystem::remove(path);
    if (bytes.str().empty()) throw std::runtime_error("blank_tiff: nothing written");
    return bytes.str();
}

}  // namespace comptoir::test
