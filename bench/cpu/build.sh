#!/usr/bin/env bash
# Builds every bench/cpu/src/*.c to
#   out/NAME.wasm      (wasm32, no libc, no imports, exports `run` and `memory`)
#   out/native/NAME    (native executable: the program + native_main.c)
# Tools: clang and wasm-ld (Debian: apt-get install clang lld).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

CLANG="${CLANG:-clang}"
if ! command -v "$CLANG" >/dev/null 2>&1; then
    echo "error: '$CLANG' not found. Install it with: apt-get install clang lld" >&2
    exit 1
fi
# clang drives the wasm link through wasm-ld (Debian's lld package provides
# /usr/bin/wasm-ld -> wasm-ld-14).
if ! command -v wasm-ld >/dev/null 2>&1; then
    echo "error: 'wasm-ld' not found. Install it with: apt-get install clang lld" >&2
    exit 1
fi

# Same optimisation flags on both sides.  -ffreestanding keeps clang from
# turning loops into memset/memcpy calls (there is no libc in the wasm).
COMMON_CFLAGS=(-O2 -ffreestanding -Wall -Wextra -Werror)
WASM_FLAGS=(--target=wasm32 -nostdlib -mno-simd128 -mno-bulk-memory
            -Wl,--no-entry -Wl,--export=run -Wl,--strip-all)
NATIVE_FLAGS=()

mkdir -p out/native
"$CLANG" -O2 -Wall -Wextra -Werror -c -o out/native/native_main.o native_main.c
for src in src/*.c; do
    name="$(basename "$src" .c)"
    "$CLANG" "${COMMON_CFLAGS[@]}" "${WASM_FLAGS[@]}" -o "out/$name.wasm" "$src"
    "$CLANG" "${COMMON_CFLAGS[@]}" "${NATIVE_FLAGS[@]}" -c -o "out/native/$name.o" "$src"
    "$CLANG" -o "out/native/$name" "out/native/$name.o" out/native/native_main.o
    rm -f "out/native/$name.o"
    echo "built out/$name.wasm out/native/$name"
done
rm -f out/native/native_main.o
