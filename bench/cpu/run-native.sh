#!/usr/bin/env bash
# Runs every native build (out/native/NAME) at its default n from
# programs.txt, K times each (default 5), printing "NAME checksum median_ns".
# Exits 1 if a checksum differs from programs.txt.  Run ./build.sh first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
k="${1:-5}"
bad=0
while read -r name n expected; do
    case "$name" in ''|'#'*) continue ;; esac
    line="$("$here/out/native/$name" "$n" "$k")"
    read -r _ checksum _ <<<"$line"
    if [[ "$checksum" == "$expected" ]]; then
        echo "$line"
    else
        echo "$line MISMATCH expected $expected"
        bad=1
    fi
done < "$here/programs.txt"
exit "$bad"
