// png_to_pnm IN.png OUT.pgm: the demo's bill as SANE's pnm backend reads it (the build's step
// for demo/edf-facture-demo.png; Leptonica does the work).
#include <leptonica/allheaders.h>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage : png_to_pnm ENTRÉE.png SORTIE.pgm\n");
        return 2;
    }
    PIX* image = pixRead(argv[1]);
    if (!image) {
        std::fprintf(stderr, "png_to_pnm : %s illisible\n", argv[1]);
        return 1;
    }
    PIX* grey = pixConvertTo8(image, 0);
    const int failed = grey ? pixWrite(argv[2], grey, IFF_PNM) : 1;
    pixDestroy(&grey);
    pixDestroy(&image);
    return failed ? 1 : 0;
}
