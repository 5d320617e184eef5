#!/bin/sh
# Packs the word lists a new password must not be close to into cracklib's dictionary
# (OUT.pwd, OUT.pwi, OUT.hwm), at build time (core/cases/CMakeLists.txt).
# Usage: scripts/pack-passwords.sh OUT LIST...
# Accented letters are folded to ASCII first (« élève » → « eleve »): cracklib-format would
# otherwise drop them and keep « lve »; the password is looked up folded the same way.
set -eu
PATH="$PATH:/usr/sbin:/sbin"  # cracklib-format and cracklib-packer are there on Debian
out="$1"
shift
tmp="$out.words"
LC_ALL=C.UTF-8 iconv -f UTF-8 -t ASCII//TRANSLIT "$@" > "$tmp"
cracklib-format "$tmp" | cracklib-packer "$out" > /dev/null
rm -f "$tmp"
