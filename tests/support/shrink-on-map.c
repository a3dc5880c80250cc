/* shrink-on-map.c: an LD_PRELOAD shim for the shrinking-file tests.
   When the program maps the file named by $SHRINK_PATH, the shim lets the
   mapping be made, then truncates the file to $SHRINK_TO bytes (default
   0), once: the file shrinks after it was mapped and before it is read,
   every time, with no race to win. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    static void *(*real)(void *, size_t, int, int, int, off_t);
    static int done;
    if (real == NULL)
        real = (void *(*)(void *, size_t, int, int, int, off_t))
            dlsym(RTLD_NEXT, "mmap");
    void *p = real(addr, len, prot, flags, fd, off);
    const char *want = getenv("SHRINK_PATH");
    if (p == MAP_FAILED || fd < 0 || want == NULL || done)
        return p;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return p;
    path[n] = '\0';
    if (strcmp(path, want) == 0) {
        const char *to = getenv("SHRINK_TO");
        done = 1;
        if (truncate(path, to ? atoll(to) : 0) != 0)
            abort();
    }
    return p;
}
