/* Draws random bytes with getentropy: prints whether they look random, or (with --hex) the bytes themselves. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    unsigned char a[32], b[32];
    if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) {
        printf("getentropy failed\n");
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "--hex") == 0) {
        for (size_t i = 0; i < sizeof a; i++) printf("%02x", a[i]);
        printf("\n");
        return 0;
    }
    int zeros = 1;
    for (size_t i = 0; i < sizeof a; i++) zeros &= a[i] == 0;
    printf("not all zero: %s\n", zeros ? "no" : "yes");
    printf("two draws differ: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
    return 0;
}
