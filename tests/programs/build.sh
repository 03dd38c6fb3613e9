#!/usr/bin/env bash
# Builds the WASI test programs: every tests/programs/*.c becomes tests/programs/NAME.wasm, committed so that the
# tests need no C compiler. Needs Debian's clang, lld, wasi-libc and libclang-rt-14-dev-wasm32
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
#
#   build.sh            rebuild every .wasm in place
#   build.sh --check    rebuild into a temporary folder and fail if any byte differs from the committed .wasm
#
# The build is deterministic: fixed flags, sources named relative to this folder, no debug info (so no paths).
set -euo pipefail
cd "$(dirname "$0")"

CC=${CC:-clang}
FLAGS=(--target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wl,-z,stack-size=1048576)

out=.
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

status=0
for src in *.c; do
  name=${src%.c}
  "$CC" "${FLAGS[@]}" -o "$out/$name.wasm" "$src"
  if [ "$out" != "." ]; then
    if cmp -s "$out/$name.wasm" "$name.wasm"; then
      echo "same: $name.wasm"
    else
      echo "DIFFERENT: $name.wasm (rebuild with tests/programs/build.sh and commit)"
      status=1
    fi
  else
    echo "built: $name.wasm ($(wc -c < "$name.wasm") bytes)"
  fi
done
exit $status
