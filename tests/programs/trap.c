/* Prints a line, flushes it, then executes an unreachable instruction (a trap in wasm, SIGILL natively). */
#include <stdio.h>

__attribute__((noinline)) static void explode(volatile int *p) {
    if (*p == 42) __builtin_trap();
}

int main(void) {
    volatile int x = 42;
    printf("about to trap\n");
    fflush(stdout);
    explode(&x);
    printf("not reached\n");
    return 0;
}
