/* Tries to leave the preopened directory argv[1] in every way a guest can; each attempt must fail. The test
 * harness creates argv[1]/hostlink -> an absolute path outside before the run. Output names the errno. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    default: return "other";
    }
}

static void try_open(const char *what, const char *path) {
    errno = 0;
    FILE *f = fopen(path, "r");
    if (f) { printf("%s: opened %s\n", what, path); fclose(f); }
    else printf("%s: failed with %s\n", what, name(errno));
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "data";
    char p[512];
    try_open("absolute path", "/etc/passwd");
    snprintf(p, sizeof p, "%s/../../../../etc/passwd", dir);
    try_open("dot-dot escape", p);
    snprintf(p, sizeof p, "%s/..", dir);
    errno = 0;
    DIR *d = opendir(p);
    printf("opendir parent: %s\n", d ? "ESCAPED" : name(errno));
    if (d) closedir(d);
    snprintf(p, sizeof p, "%s/hostlink/passwd", dir);
    try_open("host symlink to an absolute path", p);
    snprintf(p, sizeof p, "%s/abs", dir);
    errno = 0;
    printf("guest symlink to an absolute path: %s\n", symlink("/etc", p) == 0 ? "created" : name(errno));
    snprintf(p, sizeof p, "%s/up", dir);
    printf("guest symlink up: %s\n", symlink("../../../..", p) == 0 ? "created" : name(errno));
    snprintf(p, sizeof p, "%s/up/etc/passwd", dir);
    try_open("through guest symlink up", p);
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/sub/tricky", dir);
    printf("guest symlink sub/..: %s\n", symlink("../../secret.txt", p) == 0 ? "created" : name(errno));
    try_open("through guest symlink out of sub", p);
    snprintf(p, sizeof p, "%s/sub/inside", dir);
    symlink("../input.txt", p);
    try_open("symlink that stays inside", p);
    snprintf(p, sizeof p, "%s/sub/../input.txt", dir);
    try_open("dot-dot that stays inside", p);
    return 0;
}
