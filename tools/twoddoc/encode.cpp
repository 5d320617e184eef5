// comptoir-2ddoc-encode: makes a signed 2D-Doc DataMatrix, for test documents.
//
//   comptoir-2ddoc-encode --key KEY.pem [--module PX] [--margin MODULES] -o CODE.png 'DC04FR000001…'
//
// The message is the header and the fields, without US and signature; "<GS>", "<RS>" may be
// written for the bytes 0x1D and 0x1E (as tests/data/2ddoc/type28_avis_impot_v2_examples.txt does). The tool signs it
// with the key (the specification's FR00 test key: data/2ddoc in the tests), checks that the
// whole message parses, and draws the code, PX pixels per module (default 6: 0.5 mm at 300 dpi).
// It prints the message as signed, with <GS>, <RS> and <US> spelled out.
#include "comptoir/reading/twoddoc.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <leptonica/allheaders.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

int usage() {
    std::cerr << "usage : comptoir-2ddoc-encode --key CLÉ.pem [--module PX] [--margin MODULES] -o CODE.png MESSAGE\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string key_path, out_path, message;
    int module = 6;
    int margin = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--key" || arg == "-o" || arg == "--module" || arg == "--margin") && i + 1 < argc) {
            const std::string value = argv[++i];
            if (arg == "--key") key_path = value;
            if (arg == "-o") out_path = value;
            try {
                if (arg == "--module") module = std::stoi(value);
                if (arg == "--margin") margin = std::stoi(value);
            } catch (const std::exception&) {
                return usage();
            }
        } else if (!arg.empty() && arg[0] != '-' && message.empty()) {
            message = arg;
        } else {
            return usage();
        }
    }
    if (key_path.empty() || out_path.empty() || message.empty() || module < 1 || module > 50 || margin < 0) return usage();
    std::ifstream key_file(key_path, std::ios::binary);
    if (!key_file) {
        std::cerr << "clé introuvable : " << key_path << "\n";
        return 2;
    }
    std::ostringstream key;
    key << key_file.rdbuf();
    message = replace_all(replace_all(message, "<GS>", "\x1d"), "<RS>", "\x1e");
    std::string payload;
    try {
        payload = comptoir::twoddoc::sign(message, key.str());
        comptoir::twoddoc::parse(payload, comptoir::twoddoc::Catalogue{});
    } catch (const comptoir::twoddoc::MalformedError& error) {
        std::cerr << "message 2D-Doc refusé : " << error.what() << "\n";
        return 1;
    }
    ZXing::BitMatrix matrix;
    try {
        matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::DataMatrix).setMargin(0).encode(payload, 0, 0);
    } catch (const std::exception& error) {
        std::cerr << "code impossible à dessiner : " << error.what() << "\n";
        return 1;
    }
    const int side_w = (matrix.width() + 2 * margin) * module;
    const int side_h = (matrix.height() + 2 * margin) * module;
    PIX* image = pixCreate(side_w, side_h, 1);
    for (int y = 0; y < matrix.height(); ++y) {
        for (int x = 0; x < matrix.width(); ++x) {
            if (!matrix.get(x, y)) continue;
            pixRasterop(image, (x + margin) * module, (y + margin) * module, module, module, PIX_SET, nullptr, 0, 0);
        }
    }
    const int written = pixWrite(out_path.c_str(), image, IFF_PNG);
    pixDestroy(&image);
    if (written != 0) {
        std::cerr << "écriture impossible : " << out_path << "\n";
        return 1;
    }
    std::cout << replace_all(replace_all(replace_all(payload, "\x1d", "<GS>"), "\x1e", "<RS>"), "\x1f", "<US>") << "\n";
    return 0;
}
