/* fuzz-frame: the frame reader and writer of chapter 3 (03b-pipes.nw,
 * frame_recv, frame_recv_alloc, frame_send).
 *
 * frame.c is compiled here with read and write renamed to two functions
 * below, which serve the fuzzer's input as a stream: whole, one byte at
 * a time, or in random pieces with EINTR failures in between, the
 * short reads and interruptions a pipe gives.  The first input byte
 * picks the receiver's limit; the rest is the stream.
 *
 * The contract checked, beyond "no crash":
 * - the frames received, and how the stream ends (0 at a clean end,
 *   -EPROTO inside a frame, -EMSGSIZE for a frame over the limit), are
 *   those a plain reading of the format here finds, however the stream
 *   is cut;
 * - frame_recv_alloc gives the same frames, NUL-terminated;
 * - frame_send writes the frames received back as the same bytes, even
 *   through short writes and EINTR.
 */
#define read fuzz_read
#define write fuzz_write
#include "frame.c"
#undef read
#undef write
#include "fuzz.h"

#include <stdbool.h>

enum { FD = 42 };

static struct {
    const uint8_t *p;
    size_t n, at;
    int mode;                   /* 0 whole, 1 bytewise, 2 random */
    struct fuzz_rng rng;
    uint8_t out[1 << 16];       /* what frame_send wrote */
    size_t out_n;
} io;

static size_t piece(size_t want)
{
    size_t k = io.mode == 0 ? want : io.mode == 1 ? 1
             : fuzz_piece(&io.rng, want);
    return k < want ? k : want;
}

static bool interrupted(void)
{
    if (io.mode == 2 && fuzz_next(&io.rng) % 5 == 0) {
        errno = EINTR;
        return true;
    }
    return false;
}

ssize_t fuzz_read(int fd, void *buf, size_t n)
{
    FUZZ_CHECK(fd == FD, "read from fd %d", fd);
    FUZZ_CHECK(n > 0, "read of 0 bytes");
    if (interrupted())
        return -1;
    size_t k = io.at < io.n ? piece(n < io.n - io.at ? n : io.n - io.at)
                            : 0;
    memcpy(buf, io.p + io.at, k);
    io.at += k;
    return (ssize_t)k;
}

ssize_t fuzz_write(int fd, const void *buf, size_t n)
{
    FUZZ_CHECK(fd == FD, "write to fd %d", fd);
    if (interrupted())
        return -1;
    size_t k = piece(n);
    FUZZ_CHECK(io.out_n + k <= sizeof io.out, "wrote too much");
    memcpy(io.out + io.out_n, buf, k);
    io.out_n += k;
    return (ssize_t)k;
}

/* The log of a reading: how many frames, and a hash of their lengths
   and bytes in order. */
struct log { size_t frames; uint64_t h; };

static void say(struct log *g, const uint8_t *p, size_t n)
{
    g->h = (g->h ^ fuzz_rng_of(p, n).s) * UINT64_C(0x100000001b3) + n;
    g->frames++;
}

static int plain(const uint8_t *p, size_t n, size_t cap, struct log *g)
{
    size_t at = 0;
    *g = (struct log){ 0, 0 };
    for (;;) {
        if (at == n)
            return 0;
        if (n - at < FRAME_HEADER)
            return -EPROTO;
        size_t len = (size_t)p[at] << 24 | (size_t)p[at + 1] << 16
                   | (size_t)p[at + 2] << 8 | p[at + 3];
        if (len > cap)
            return -EMSGSIZE;
        if (n - at - FRAME_HEADER < len)
            return -EPROTO;
        say(g, p + at + FRAME_HEADER, len);
        at += FRAME_HEADER + len;
    }
}

static int received(size_t cap, bool alloc, struct log *g)
{
    static uint8_t buf[1 << 16];
    *g = (struct log){ 0, 0 };
    for (;;) {
        size_t len = SIZE_MAX;
        char *a = NULL;
        int rc = alloc ? frame_recv_alloc(FD, cap, &a, &len)
                       : frame_recv(FD, buf, cap, &len);
        if (rc != 1)
            return rc;
        FUZZ_CHECK(len <= cap, "frame of %zu over the limit %zu", len, cap);
        if (alloc) {
            FUZZ_CHECK(a[len] == '\0', "not NUL-terminated");
            say(g, (const uint8_t *)a, len);
            free(a);
        } else {
            say(g, buf, len);
        }
    }
}

static void start(const uint8_t *p, size_t n, int mode, uint64_t seed)
{
    io.p = p;
    io.n = n;
    io.at = 0;
    io.mode = mode;
    io.rng.s = seed;
    io.out_n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const size_t caps[8] = { 0, 1, 3, 16, 100, 4092, 4096,
                                    1 << 16 };
    static struct log want, got;

    if (n == 0)
        return 0;
    size_t cap = caps[d[0] % 8];
    const uint8_t *s = d + 1;
    n--;
    int end = plain(s, n, cap, &want);
    uint64_t seed = fuzz_rng_of(d, n + 1).s;
    for (int mode = 0; mode < 4; mode++) {
        if (mode == 1 && n > 512)
            continue;           /* a read per byte: only for short input */
        for (int alloc = 0; alloc < 2; alloc++) {
            start(s, n, mode < 3 ? mode : 2, seed + (uint64_t)mode);
            int rc = received(cap, alloc, &got);
            FUZZ_CHECK(rc == end && got.frames == want.frames
                       && got.h == want.h,
                       "mode %d%s: %zu frames (hash %016llx), then %d; "
                       "expected %zu (%016llx), then %d", mode,
                       alloc ? " (alloc)" : "", got.frames,
                       (unsigned long long)got.h, rc, want.frames,
                       (unsigned long long)want.h, end);
        }
    }
    /* Send the good frames back: the same bytes come out. */
    start(s, n, 2, seed);
    size_t at = 0;
    while (n - at >= FRAME_HEADER) {
        size_t len = (size_t)s[at] << 24 | (size_t)s[at + 1] << 16
                   | (size_t)s[at + 2] << 8 | s[at + 3];
        if (len > cap || n - at - FRAME_HEADER < len)
            break;
        FUZZ_CHECK(frame_send(FD, s + at + FRAME_HEADER, len) == 0,
                   "frame_send");
        at += FRAME_HEADER + len;
    }
    FUZZ_CHECK(io.out_n == at && memcmp(io.out, s, at) == 0,
               "frame_send wrote %zu bytes, not the %zu received",
               io.out_n, at);
    return 0;
}
