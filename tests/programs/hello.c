/* Prints a greeting to stdout and a note to stderr. */
#include <stdio.h>

int main(void) {
    printf("Hello, WASI!\n");
    fprintf(stderr, "this line goes to stderr\n");
    return 0;
}
