#!/usr/bin/env bash
# Installs Comptoir from the build tree into a temporary prefix, and its SDK alone into another;
# builds a plugin out of tree against the SDK alone (find_package(comptoir_sdk)), and checks
# that the installed host loads both its own example plugin and the new one.
# Usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/comptoir/plugin.h"
test -f "$work/prefix/lib/cmake/comptoir_sdk/comptoir_sdkConfig.cmake" \
  || test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/comptoir_sdk/comptoir_sdkConfig.cmake"

# The SDK alone (install component "sdk"): its headers, its CMake package, its guide and the
# 2D-Doc encoder partners draw test documents with; not the server.
cmake --install "$build_dir" --prefix "$work/sdk" --component sdk >/dev/null
test -f "$work/sdk/include/comptoir/plugin.h"
test -f "$work/sdk/include/comptoir/text.hpp"
test -f "$work/sdk/share/doc/comptoir/sdk/README.md"
test -x "$work/sdk/bin/comptoir-2ddoc-encode"
test ! -e "$work/sdk/bin/comptoir"
# Its headers cite no file a partner does not receive.
if grep -rnE "docs/|DESIGN\.md|DOMAIN\.md|\.\./shared|bench/|tests/|templates/README" "$work/sdk/include"; then
  echo "an installed SDK header cites a file the SDK does not install" >&2
  exit 1
fi
# The installed encoder signs and draws a bill's code with the specification's test key.
"$work/sdk/bin/comptoir-2ddoc-encode" --key "$source_dir/tests/data/2ddoc/test_key.pem" -o "$work/code.png" \
  'DC04FR000001223E223E0101FR181234567890<GS>1912345678901<GS>1D87,43<GS>' | grep -q "<US>"
test -s "$work/code.png"

# The partner's plugin is built against the SDK alone.
cmake -S "$source_dir/tests/sdk/out_of_tree" -B "$work/plugin-build" \
  -DCMAKE_PREFIX_PATH="$work/sdk" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/plugin-build" >/dev/null
test -f "$work/plugin-build/bonjour.so"

# Only the entry point is exported.
exported=$(nm -D --defined-only "$work/plugin-build/bonjour.so" | awk '{print $3}')
if [ "$exported" != "comptoir_plugin_entry" ]; then
  echo "bonjour.so exports more than the entry point: $exported" >&2
  exit 1
fi

# The installed host, with its default configuration, finds its installed example plugin.
(cd "$work" && "$work/prefix/bin/comptoir" plugins) | grep -q "libre 1.0.0"

# Shipping the new plugin is copying it into the plugin folder.
plugins_dir=$(find "$work/prefix" -type d -path '*comptoir/plugins' | head -n 1)
cp "$work/plugin-build/bonjour.so" "$plugins_dir/"
output=$(cd "$work" && "$work/prefix/bin/comptoir" plugins)
echo "$output"
# Built against this SDK, it needs no more than ABI 1.1: nothing of 1.2 in its table.
echo "$output" | grep -q "bonjour 0.3.0 — Partenaire de test — ABI 1.1"
echo "$output" | grep -q "bonjour.reponse — bonjour.lettre"
echo "$output" | grep -q "libre 1.0.0"
echo "out-of-tree plugin loaded by the installed host"
