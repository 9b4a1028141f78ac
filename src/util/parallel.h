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

/* Runs fn over [0, total) with `threads` workers; false if threads could
 * not be started (the work is then done on the calling thread). */
bool pl_parallel_for(unsigned threads, uint64_t total, pl_chunk_fn fn,
                     void *ctx);

#endif
