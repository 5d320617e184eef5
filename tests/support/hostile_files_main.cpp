// comptoir_hostile_files DIR: writes the hostile files of issue 31 (hostile_inputs.hpp) into
// DIR, for bench/heavy_files.py. Each is small; what it costs is in decoding it.
#include "hostile_inputs.hpp"

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage : comptoir_hostile_files DOSSIER\n";
        return 2;
    }
    const std::string dir = argv[1];
    const auto write = [&dir](const std::string& name, const std::string& bytes) {
        std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
        std::cout << name << " " << bytes.size() << "\n";
    };
    using namespace comptoir::test;
    write("cinquante-grandes-pages.pdf", big_pages_pdf(50, 2400, 2400));  // 50 pages of 100 Mpx at 300 dpi
    write("page-demesuree.pdf", big_pages_pdf(1, 14400, 14400));         // 5 m × 5 m
    write("contenu-partage-1.pdf", shared_content_pdf(20, 40, 3));
    write("contenu-partage-2.pdf", shared_content_pdf(20, 40, 3));
    write("contenu-partage-3.pdf", shared_content_pdf(20, 40, 3));
    write("noir-10000.png", zero_png(10000, 10000));
    write("dix-pages.tif", blank_tiff(10, 5000, 7000));
    return 0;
}
