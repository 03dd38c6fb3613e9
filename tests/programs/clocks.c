/* Reads the clocks and sleeps: the output depends only on whether the clocks behave, not on their values. */
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t id) {
    struct timespec t;
    if (clock_gettime(id, &t) != 0) return -1;
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    struct timespec res;
    printf("realtime after 2020: %s\n", ns(CLOCK_REALTIME) > 1577836800LL * 1000000000LL ? "yes" : "no");
    printf("monotonic resolution ok: %s\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 ? "yes" : "no");
    long long before = ns(CLOCK_MONOTONIC);
    struct timespec nap = {0, 50 * 1000000};
    int rc = nanosleep(&nap, NULL);
    long long slept = ns(CLOCK_MONOTONIC) - before;
    printf("nanosleep returned %d\n", rc);
    printf("slept at least 50ms: %s\n", slept >= 50000000LL ? "yes" : "no");
    printf("slept less than 5s: %s\n", slept < 5000000000LL ? "yes" : "no");
    volatile unsigned spin = 0;
    for (unsigned i = 0; i < 20000000u; i++) spin += i;
    printf("spin checksum: %u\n", spin);
    printf("process cpu time positive: %s\n", ns(CLOCK_PROCESS_CPUTIME_ID) > 0 ? "yes" : "no");
    printf("monotonic never goes back: %s\n", ns(CLOCK_MONOTONIC) >= before ? "yes" : "no");
    return 0;
}
