/* tests/fuzz/fuzz.h: what every harness shares.
 *
 * A harness includes the module's tangled .c file itself, so that one
 * translation unit holds the module and its checks, and the module's
 * #line directives still name the book's lines in a report.
 *
 * FUZZ_CHECK fails loudly: a broken contract is a crash for libFuzzer,
 * which then saves the input that broke it.  The splits of an input into
 * pieces are drawn from a generator seeded by the input itself, so that
 * a saved input replays with the same pieces.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                           \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: contract broken: %s: ",             \
                    __FILE__, __LINE__, #cond);                         \
            fprintf(stderr, __VA_ARGS__);                               \
            fputc('\n', stderr);                                        \
            abort();                                                    \
        }                                                               \
    } while (0)

/* A small generator (splitmix64) for the sizes of pieces. */
struct fuzz_rng { uint64_t s; };

static inline uint64_t fuzz_next(struct fuzz_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Seeded by the input (FNV-1a), so that a crash replays exactly. */
static inline struct fuzz_rng fuzz_rng_of(const uint8_t *d, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ d[i]) * UINT64_C(0x100000001b3);
    return (struct fuzz_rng){ h };
}

/* The size of the next piece of a random split: 1 to 'left' bytes,
   small sizes more often than large ones. */
static inline size_t fuzz_piece(struct fuzz_rng *r, size_t left)
{
    uint64_t x = fuzz_next(r);
    size_t cap = (x & 3) == 0 ? left : (x & 3) == 1 ? 16 : 3;
    size_t k = 1 + (size_t)((x >> 8) % (cap < left ? cap : left));
    return k;
}

#endif
