#!/usr/bin/env bash
# Installs Comptoir from the build tree into a temporary prefix, and its SDK alone into another
# (an empty folder); from the SDK alone — the source tree on no include or module path —:
# compiles each installed header with the standard the targets export, copies the installed
# out-of-tree project, builds it, runs its unit test (comptoir/testing.hpp), checks it with the
# installed `comptoir plugin-check` on its installed samples (saved readings: no Tesseract), and
# checks that the installed host loads it, its letter found, and its own example plugin.
# Usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "$*" >&2; exit 1; }
# ccache, when the build uses it, for the small projects built here.
# Paths are taken relative to the temporary folder, so that the next run hits the cache.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=1
fi

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/comptoir/plugin.h"
test -f "$work/prefix/lib/cmake/comptoir_sdk/comptoir_sdkConfig.cmake" \
  || test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/comptoir_sdk/comptoir_sdkConfig.cmake"

# The SDK alone (install component "sdk"): what its guide cites, not the server.
sdk=$work/sdk
cmake --install "$build_dir" --prefix "$sdk" --component sdk >/dev/null
share=$sdk/share/comptoir/sdk
for file in include/comptoir/plugin.h include/comptoir/text.hpp include/comptoir/testing.hpp \
    share/doc/comptoir/sdk/README.md share/doc/comptoir/sdk/templates.md \
    share/comptoir/sdk/example/libre.cpp share/comptoir/sdk/example/CMakeLists.txt \
    share/comptoir/sdk/example/templates/libre.courrier.lettre \
    share/comptoir/sdk/out_of_tree/CMakeLists.txt share/comptoir/sdk/out_of_tree/bonjour.cpp \
    share/comptoir/sdk/out_of_tree/test/bonjour_test.cpp \
    share/comptoir/sdk/out_of_tree/templates/bonjour.reponse.lettre \
    share/comptoir/sdk/out_of_tree/samples/bonjour-1.ocr.json share/comptoir/sdk/out_of_tree/samples/bonjour-1.json \
    share/comptoir/sdk/docgen/docgen.py share/comptoir/sdk/docgen/README.md \
    share/comptoir/sdk/docgen/wordings/tuned.json share/comptoir/sdk/docgen/test_key.pem; do
  test -f "$sdk/$file" || fail "the SDK lacks $file"
done
test -x "$sdk/bin/comptoir-2ddoc-encode"
test ! -e "$sdk/bin/comptoir"
# Comptoir's blind measurement set stays out of what partners receive.
test -z "$(find "$sdk" -name 'blind*')" || fail "the SDK holds the blind wording bank"
# Nothing it installs cites a file the SDK does not install (CMake's generated package files
# aside: their ../ are the prefix's).
if grep -rnIE "plugins/|tests/|tools/|\.\./|DESIGN|DOMAIN|in the Comptoir repository" "$sdk" \
    --exclude-dir=cmake; then
  fail "an installed SDK file cites a file the SDK does not install"
fi
# Nor do the guides cite Comptoir's own documents.
if grep -rnE "docs/|bench/" "$sdk/include" "$sdk/share/doc" "$share/docgen/README.md"; then
  fail "an installed SDK guide or header cites a document the SDK does not install"
fi
# The guide names each installed file it points to by its installed place.
for place in share/comptoir/sdk/example share/comptoir/sdk/out_of_tree share/comptoir/sdk/docgen \
    share/doc/comptoir/sdk/templates.md comptoir/testing.hpp; do
  grep -q "$place" "$sdk/share/doc/comptoir/sdk/README.md" || fail "the guide does not say where $place is"
done

# Each installed header alone, with the C++ standard the installed targets export.
cp -r "$source_dir/tests/sdk/headers" "$work/headers"
cmake -S "$work/headers" -B "$work/headers-build" -DCMAKE_PREFIX_PATH="$sdk" "${launcher[@]}" >/dev/null
cmake --build "$work/headers-build" -j2 >/dev/null || fail "an installed header does not compile alone"

# The installed encoder signs and draws a bill's code with the installed FR00 test key.
"$sdk/bin/comptoir-2ddoc-encode" --key "$share/docgen/test_key.pem" -o "$work/code.png" \
  'DC04FR000001223E223E0101FR181234567890<GS>1912345678901<GS>1D87,43<GS>' | grep -q "<US>"
test -s "$work/code.png"

# The example plugin builds alone from its installed folder, its letters beside it.
cp -r "$share/example" "$work/example"
cmake -S "$work/example" -B "$work/example-build" -DCMAKE_PREFIX_PATH="$sdk" "${launcher[@]}" >/dev/null
cmake --build "$work/example-build" >/dev/null || fail "the installed example does not build"
test -f "$work/example-build/libre.so"
test -f "$work/example-build/templates/libre/libre.courrier.lettre"

# The partner's project, copied from the SDK, built, unit-tested and checked from there alone.
plugins_dir=$(find "$work/prefix" -type d -path '*comptoir/plugins' | head -n 1)
cp -r "$share/out_of_tree" "$work/bonjour"
chmod -R u+w "$work/bonjour"
cmake -S "$work/bonjour" -B "$work/plugin-build" -DCMAKE_PREFIX_PATH="$sdk" -DCMAKE_BUILD_TYPE=Release \
  -DBONJOUR_INSTALL_DIR="$plugins_dir" "${launcher[@]}" >/dev/null
cmake --build "$work/plugin-build" -j2 >/dev/null
test -f "$work/plugin-build/bonjour.so"
# Its letter beside it, where a configuration pointing at the build folder finds it.
test -f "$work/plugin-build/templates/bonjour/bonjour.reponse.lettre"
(cd "$work/plugin-build" && ctest --output-on-failure >/dev/null) || fail "the project's unit test failed"

# Only the entry point is exported.
exported=$(nm -D --defined-only "$work/plugin-build/bonjour.so" | awk '{print $3}')
[ "$exported" = "comptoir_plugin_entry" ] || fail "bonjour.so exports more than the entry point: $exported"

# The installed host on the build folder: the plugin and its letter's template found; every
# installed sample read as expected.
listing=$("$work/prefix/bin/comptoir" plugins --config "$work/plugin-build/test.properties")
echo "$listing" | grep -q "bonjour 0.3.0" || fail "the build folder's plugin is not listed: $listing"
if echo "$listing" | grep -q "Modèles de courrier à revoir"; then fail "a letter's template is missing: $listing"; fi
(cd "$work/bonjour" && "$work/prefix/bin/comptoir" plugin-check --config "$work/plugin-build/test.properties" \
  --plugin bonjour samples/ --min 1) || fail "plugin-check failed on the installed samples"

# The installed host, with its default configuration, finds its installed example plugin.
(cd "$work" && "$work/prefix/bin/comptoir" plugins) | grep -q "libre 1.0.0"

# Shipping the plugin is installing it (or copying it and its templates) into the plugin folder.
cmake --install "$work/plugin-build" >/dev/null
test -f "$plugins_dir/templates/bonjour/bonjour.reponse.lettre"
output=$(cd "$work" && "$work/prefix/bin/comptoir" plugins)
echo "$output"
# Built against this SDK, it needs no more than ABI 1.1: nothing of 1.2 in its table.
echo "$output" | grep -q "bonjour 0.3.0 — Partenaire de test — ABI 1.1"
echo "$output" | grep -q "bonjour.reponse — bonjour.lettre"
echo "$output" | grep -q "libre 1.0.0"
if echo "$output" | grep -q "Modèles de courrier à revoir"; then fail "an installed letter's template is missing"; fi
echo "out-of-tree plugin built, tested and checked from the installed SDK alone, loaded by the installed host"
