#!/usr/bin/env bash
# The project's two commands (see README.md), for a fresh Debian 12 machine, as root:
#   ./comptoir.sh run    installs what is missing, builds, starts the server with the demo
#                        configuration on http://localhost:8080
#   ./comptoir.sh test   installs what is missing, builds with warnings as errors, runs every
#                        test (ctest's summary comes last)
#   ./comptoir.sh build  installs what is missing and builds (build/comptoir); cmake options may
#                        follow (-DCOMPTOIR_BUILD_BENCH=ON also builds bench/'s programs)
#   ./comptoir.sh sanitize  installs what is missing, builds with AddressSanitizer and
#                        UndefinedBehaviorSanitizer into build-sanitize/ and runs every test there
set -euo pipefail
cd "$(dirname "$0")"

JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-build}

configure_and_build() {
  scripts/install-deps.sh
  cmake -S . -B "$BUILD_DIR" "$@" >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
  run)
    shift
    configure_and_build
    exec "$BUILD_DIR/comptoir" serve --config demo/comptoir.properties "$@"
    ;;
  test)
    shift
    configure_and_build -DCOMPTOIR_WERROR=ON -DCOMPTOIR_BUILD_TESTS=ON
    cd "$BUILD_DIR"
    exec ctest --output-on-failure -j "$JOBS" "$@"
    ;;
  build)
    shift
    configure_and_build "$@"
    ;;
  sanitize)
    shift
    scripts/install-deps.sh
    exec cmake --workflow --preset sanitize "$@"
    ;;
  *)
    echo "usage : ./comptoir.sh run | test | build | sanitize" >&2
    exit 2
    ;;
esac
