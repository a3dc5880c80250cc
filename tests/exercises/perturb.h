/* tests/exercises/perturb.h: schedule perturbation for exercise tests.
 *
 * A concurrent solution can be wrong and still pass a test that runs it
 * once: the bad interleaving may just not happen.  The grader (make
 * exercise) runs each test several times with a different EX_SEED; a test
 * calls ex_perturb() at the points it controls (between the calls it makes
 * into the reader's code, inside its worker threads), which now does
 * nothing, now yields the processor, now sleeps a few microseconds, as the
 * seed decides; and ex_pick() varies sizes such as thread counts.  Without
 * EX_SEED (as in make check) the seed comes from the clock, so every run
 * explores a different schedule.
 */
#ifndef PERTURB_H
#define PERTURB_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t ex_seed(void)
{
    /* Threads may ask at once: the first answer is kept with a
       compare-and-swap, so every thread sees the same seed. */
    static _Atomic uint64_t seed;
    uint64_t s = atomic_load(&seed);
    if (s == 0) {
        const char *env = getenv("EX_SEED");
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t mine = env != NULL ? strtoull(env, NULL, 10)
                        : (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
        mine |= 1;      /* never 0: 0 means "not chosen yet" */
        if (atomic_compare_exchange_strong(&seed, &s, mine))
            s = mine;
    }
    return s;
}

/* splitmix64: one step of a small, good generator. */
static inline uint64_t ex_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A number in [lo, hi], the same for the same seed and call order.
   Call it from the test's main thread only. */
static inline long ex_pick(long lo, long hi)
{
    static uint64_t state;
    if (state == 0)
        state = ex_seed();
    return lo + (long)(ex_next(&state) % (uint64_t)(hi - lo + 1));
}

/* Call between operations: sometimes nothing, sometimes a yield,
   sometimes a sleep of up to 50 microseconds.  Each thread has its own
   generator, seeded from the run's seed and the thread's first call. */
static inline void ex_perturb(void)
{
    static _Thread_local uint64_t state;
    static _Atomic uint64_t threads;
    if (state == 0)
        state = ex_seed() + 0x632be59bd9b4e019u *
                (atomic_fetch_add(&threads, 1) + 1);
    uint64_t r = ex_next(&state) % 16;
    if (r < 4) {
        sched_yield();
    } else if (r == 4) {
        struct timespec ts = {0, (long)(ex_next(&state) % 50000)};
        nanosleep(&ts, NULL);
    }
}

#endif
