/* File copy and directory listing inside the directory named by argv[1]: mkdir, copy, append, seek, truncate,
 * rename, symlink/readlink, utimes, sorted listing, then cleanup. Output is independent of the host. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static char path_buf[4][512];
static const char *P(int slot, const char *dir, const char *name) {
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, name);
    return path_buf[slot];
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s failed: errno %d\n", dir, errno); return; }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("listing of %s (%d entries):\n", dir, n);
    for (int i = 0; i < n; i++) {
        char full[600];
        snprintf(full, sizeof full, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(full, &st) != 0) { printf("  %s: lstat errno %d\n", names[i], errno); continue; }
        char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : S_ISREG(st.st_mode) ? 'f' : '?';
        if (kind == 'f') printf("  %c %s %lld bytes\n", kind, names[i], (long long)st.st_size);
        else printf("  %c %s\n", kind, names[i]);
        free(names[i]);
    }
}

static long copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb");
    if (!in) { printf("fopen %s failed: errno %d\n", from, errno); return -1; }
    FILE *out = fopen(to, "wb");
    if (!out) { printf("fopen %s failed: errno %d\n", to, errno); fclose(in); return -1; }
    char buf[97];  /* an odd size so reads and writes straddle buffer boundaries */
    size_t n;
    long total = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        fwrite(buf, 1, n, out);
        total += (long)n;
    }
    fclose(in);
    fclose(out);
    return total;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "data";
    char sub[512];
    snprintf(sub, sizeof sub, "%s/out", dir);
    printf("mkdir: %d\n", mkdir(sub, 0755));
    printf("mkdir again: %d errno %s\n", mkdir(sub, 0755), errno == EEXIST ? "EEXIST" : "other");
    printf("copied %ld bytes\n", copy_file(P(0, dir, "input.txt"), P(1, sub, "copy.txt")));

    FILE *f = fopen(P(0, sub, "copy.txt"), "a");
    if (!f) {
        printf("cannot append: errno %d\n", errno);
        return 1;
    }
    fputs("appended line\n", f);
    fclose(f);

    int fd = open(P(0, sub, "copy.txt"), O_RDWR);
    off_t end = lseek(fd, 0, SEEK_END);
    printf("size after append: %lld\n", (long long)end);
    char head[16] = {0};
    printf("pread: %zd ", pread(fd, head, 5, 0));
    printf("[%s]\n", head);
    lseek(fd, 6, SEEK_SET);
    write(fd, "XYZ", 3);
    printf("tell after write: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("ftruncate: %d\n", ftruncate(fd, 20));
    struct stat st;
    fstat(fd, &st);
    printf("size after truncate: %lld\n", (long long)st.st_size);
    lseek(fd, 0, SEEK_SET);
    char all[64] = {0};
    ssize_t got = read(fd, all, sizeof all - 1);
    printf("content (%zd): [%s]\n", got, all);
    close(fd);

    printf("rename: %d\n", rename(P(0, sub, "copy.txt"), P(1, sub, "renamed.txt")));
    printf("old name gone: %s\n", access(P(0, sub, "copy.txt"), F_OK) != 0 && errno == ENOENT ? "yes" : "no");
    printf("symlink: %d\n", symlink("input.txt", P(0, dir, "link")));
    char target[64] = {0};
    printf("readlink: %zd ", readlink(P(0, dir, "link"), target, sizeof target - 1));
    printf("[%s]\n", target);
    f = fopen(P(0, dir, "link"), "r");
    char first[32] = {0};
    if (f) { fgets(first, sizeof first, f); fclose(f); }
    printf("through link: %s", first);
    printf("link: %d\n", link(P(0, dir, "input.txt"), P(1, sub, "hard.txt")));
    stat(P(0, dir, "input.txt"), &st);
    printf("input.txt links: %lld\n", (long long)st.st_nlink);

    struct timeval tv[2] = {{1000000000, 0}, {1234567890, 0}};
    printf("utimes: %d\n", utimes(P(0, sub, "renamed.txt"), tv));
    stat(P(0, sub, "renamed.txt"), &st);
    printf("mtime: %lld\n", (long long)st.st_mtime);

    list(dir);
    list(sub);

    printf("rmdir non-empty: %d errno %s\n", rmdir(sub), errno == ENOTEMPTY || errno == EEXIST ? "ENOTEMPTY" : "other");
    printf("unlink renamed: %d\n", unlink(P(0, sub, "renamed.txt")));
    printf("unlink hard: %d\n", unlink(P(0, sub, "hard.txt")));
    printf("unlink link: %d\n", unlink(P(0, dir, "link")));
    printf("rmdir: %d\n", rmdir(sub));
    printf("open missing: %s\n", fopen(P(0, dir, "missing.txt"), "r") == NULL && errno == ENOENT ? "ENOENT" : "other");
    list(dir);
    return 0;
}
