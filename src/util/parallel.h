/* parallel.h - splitting a range of outcome indices over threads.
 *
 * Work is cut into chunks handed out from an atomic counter, so a slow chunk
 * does not idle the other threads. The caller works as one of the threads
 * and then blocks on a condition variable until every chunk is done; it
 * does not wait for helper threads that the system has not run yet (they
 * find nothing left and exit), so a busy machine costs no more than the
 * work (issue 13, bench/threads.sh). Callers keep one state per worker and
 * combine the states afterwards with order-independent reductions (sums,
 * maxima with ties broken by outcome index), which is why results do not
 * depend on the number of threads.
 */
#ifndef PL_UTIL_PARALLEL_H
#define PL_UTIL_PARALLEL_H

#include <stdbool.h>
#include <stdint.h>

/* Called for each chunk [begin, end) by worker `worker` (0 .. threads-1). */
typedef void (*pl_chunk_fn)(void *ctx, unsigned worker, uint64_t begin,
                            uint64_t end);

/* Number of threads to use for `requested` (0: all online cores). */
unsigned pl_thread_count(unsigned requested);

/* The smallest share of a loop, in indices, worth a thread of its own:
 * starting one costs a clone, a fresh malloc arena (a 128 MB mapping) and,
 * on a busy machine, a wait for a core, together 0.1-1 ms of wall time,
 * while 32,768 outcomes take a few milliseconds to analyse. */
#define PL_MIN_THREAD_SHARE 32768

/* Threads worth starting for a loop of `work` indices: pl_thread_count's
 * answer capped so that each thread gets PL_MIN_THREAD_SHARE indices or
 * more. Small work gets 1 without probing the cores (no file is read). */
unsigned pl_threads_for(unsigned requested, uint64_t work);

/* Runs fn over [0, total) with up to `threads` workers (fewer when total
 * is too small to share out, see pl_threads_for); false if threads could
 * not be started (the work is then done on the calling thread). */
bool pl_parallel_for(unsigned threads, uint64_t total, pl_chunk_fn fn,
                     void *ctx);

#endif
