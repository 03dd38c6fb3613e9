/* Echoes its arguments (not argv[0], which differs by host) and selected environment variables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=[%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    const char *names[] = {"SHARPTIME_GREETING", "SHARPTIME_EMPTY", "SHARPTIME_UNICODE", "SHARPTIME_MISSING"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v) printf("%s=[%s]\n", names[i], v);
        else printf("%s is not set\n", names[i]);
    }
    return 0;
}
