#!/usr/bin/env bash
# Installs Comptoir from the build tree into a temporary prefix, builds a plugin out of tree
# against the installed SDK (find_package(comptoir_sdk)), and checks that the installed host
# loads both its own example plugin and the new one.
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

cmake -S "$source_dir/tests/sdk/out_of_tree" -B "$work/plugin-build" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
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
echo "$output" | grep -qE "bonjour 0.3.0 — Partenaire de test — ABI 1\.[0-9]+"
echo "$output" | grep -q "bonjour.reponse — bonjour.lettre"
echo "$output" | grep -q "libre 1.0.0"
echo "out-of-tree plugin loaded by the installed host"
