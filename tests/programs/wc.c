/* A word count filter: reads stdin to the end, prints lines, words, bytes and the longest line, like wc. */
#include <ctype.h>
#include <stdio.h>

int main(void) {
    long lines = 0, words = 0, bytes = 0, longest = 0, current = 0;
    int in_word = 0, c;
    unsigned checksum = 0;
    while ((c = getchar()) != EOF) {
        bytes++;
        checksum = checksum * 31u + (unsigned char)c;
        if (c == '\n') {
            lines++;
            if (current > longest) longest = current;
            current = 0;
        } else {
            current++;
        }
        if (isspace(c)) in_word = 0;
        else if (!in_word) { in_word = 1; words++; }
    }
    if (current > longest) longest = current;
    printf("%ld %ld %ld\n", lines, words, bytes);
    printf("longest line: %ld\n", longest);
    printf("checksum: %08x\n", checksum);
    return 0;
}
