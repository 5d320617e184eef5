#!/usr/bin/env bash
# Installs every Debian 12 package Comptoir needs to build, run and test.
# Does nothing (no apt call at all) when they are all present already.
# Usage: scripts/install-deps.sh [--fuzz]   (as root, or with sudo available)
#   --fuzz  also clang and its libFuzzer runtime, for the fuzz targets (fuzz/README.md)
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ make cmake pkg-config git ca-certificates
  # core libraries
  libpoco-dev            # Foundation, Util, Net, JSON, Data, Data/SQLite, Data/PostgreSQL, Crypto
  libsqlite3-dev
  libpq-dev              # libpq: Poco Data/PostgreSQL, the other store
  libssl-dev             # OpenSSL: the 2D-Doc signatures (ECDSA)
  libzxing-dev           # ZXing-C++: DataMatrix (2D-Doc) decoding, and encoding in tests
  libargon2-dev          # Argon2id: the accounts' password hashes
  libseccomp-dev         # the partners' plugins' worker: no network, no file written, no program started
  libcrack2-dev cracklib-runtime wfrench  # new passwords: cracklib, its packer, French words for its dictionary
  libtesseract-dev libleptonica-dev
  libpng-dev             # PNG written from a page's rows (core/image)
  tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd
  tesseract-ocr-vie tesseract-ocr-ara  # tests: the letters' Vietnamese and Arabic names read back
  libsane-dev libsane1 sane-utils   # SANE API, the test/pnm/net backends, saned, scanimage
  sane-airscan           # the eSCL (AirScan) backend, for network scanners (tests/scanners/escl_test.sh)
  libhpdf-dev            # libharu, PDF letters
  libfribidi-dev libfreetype-dev libutf8proc-dev  # letters in any script: bidi and Arabic shaping, fonts' coverage, NFC
  fonts-liberation2 fonts-noto-core  # the letters' TrueType faces: Latin (Vietnamese too), Arabic
  libpoppler-cpp-dev poppler-utils  # PDF input; pdftotext/pdftoppm in tests
  libkainjow-mustache-dev           # letter templates
  libyaml-cpp-dev libre2-dev        # the rules module: partners' definitions (YAML), their patterns (RE2)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev     # comptoir/testing.hpp, the SDK's unit-test helper: saved readings (.ocr.json)
  fonts-dejavu-core time  # benchmark pages, peak memory
  iproute2 util-linux procps curl python3
  postgresql             # a PostgreSQL server of the tests' own (tests/postgres/server.sh)
  # the synthetic document generator (tools/docgen): pages drawn as HTML, printed by
  # chromium, degraded into scans and photos by ImageMagick, in the fonts below
  chromium imagemagick fonts-liberation fonts-dejavu-extra
)

if [ "${1:-}" = "--fuzz" ]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi

missing=()
# Node.js and npm for the desk's browser test (tests/e2e): Debian's, unless a node with its npm
# is already there (another packaging of Node conflicts with Debian's npm package).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "comptoir: installation des paquets manquants : ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "comptoir: paquets installés." >&2
