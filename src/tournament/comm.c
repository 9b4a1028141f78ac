/* comm.c - the processes of a tournament: the ranks of an MPI job when the
 * library is built with -DPARLEY_MPI=ON and the program was started by an
 * MPI launcher, otherwise a single process (every function then does the
 * trivial thing). Only each rank's coordinating thread calls these, so MPI
 * is asked for MPI_THREAD_FUNNELED only.
 *
 * Rows travel from the ranks to rank 0 as text, one message per batch
 * (tag ROWS) and a last empty message (tag DONE).
 */
#define _POSIX_C_SOURCE 200809L
#include "tournament/tournament.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef PARLEY_MPI
#include <mpi.h>

enum { TAG_ROWS = 1, TAG_DONE = 2 };

static int env_int(const char *name) {
  const char *v = getenv(name);
  return v && *v ? atoi(v) : 0;
}

/* Started by mpirun (Open MPI, MPICH/Hydra, PMIx)? Without a launcher the
 * program stays a single process instead of an MPI singleton. */
static bool launched_by_mpi(void) {
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
         getenv("PMIX_RANK");
}

void pl_tour_comm_init(pl_tour_comm *c) {
  *c = (pl_tour_comm){.rank = 0, .size = 1, .local_size = 1};
  if (!launched_by_mpi())
    return;
  int provided = 0;
  if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) !=
      MPI_SUCCESS)
    return;
  c->mpi = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &c->size);
  int local = env_int("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (!local)
    local = env_int("MPI_LOCALNRANKS");
  c->local_size = local > 0 ? local : 1;
}

void pl_tour_comm_finalize(pl_tour_comm *c) {
  if (c->mpi)
    MPI_Finalize();
  c->mpi = false;
}

bool pl_tour_comm_built_with_mpi(void) { return true; }

void pl_tour_comm_abort(const pl_tour_comm *c, int code) {
  if (c && c->mpi)
    MPI_Abort(MPI_COMM_WORLD, code);
}

bool pl_tour_comm_all(const pl_tour_comm *c, bool ok) {
  if (!c || !c->mpi)
    return ok;
  int mine = ok, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return all != 0;
}

bool pl_tour_comm_bcast(const pl_tour_comm *c, void *buf, size_t bytes,
                        int root) {
  if (!c || !c->mpi)
    return true;
  for (size_t done = 0; done < bytes;) { /* MPI counts are ints */
    size_t n = bytes - done < (size_t)INT_MAX ? bytes - done : INT_MAX;
    if (MPI_Bcast((char *)buf + done, (int)n, MPI_BYTE, root, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
      return false;
    done += n;
  }
  return true;
}

bool pl_tour_comm_send(const pl_tour_comm *c, const char *rows, size_t len,
                       bool done) {
  if (!c || !c->mpi)
    return true;
  /* One message holds whole rows: rank 0 appends messages from different
   * ranks as they come, so a batch must never be split. */
  if (len > (size_t)INT_MAX)
    return false;
  if (len && MPI_Send(rows, (int)len, MPI_CHAR, 0, TAG_ROWS, MPI_COMM_WORLD) !=
                 MPI_SUCCESS)
    return false;
  return !done || MPI_Send(NULL, 0, MPI_CHAR, 0, TAG_DONE, MPI_COMM_WORLD) ==
                      MPI_SUCCESS;
}

bool pl_tour_comm_poll(const pl_tour_comm *c, pl_buf *rows, bool *done) {
  *done = false;
  if (!c || !c->mpi)
    return false;
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (!flag)
    return false;
  int count = 0;
  MPI_Get_count(&st, MPI_CHAR, &count);
  char *msg = malloc(count > 0 ? (size_t)count : 1);
  if (!msg)
    return false; /* left waiting: taken on a later poll */
  MPI_Recv(msg, count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  if (st.MPI_TAG == TAG_DONE)
    *done = true;
  else
    pl_buf_put(rows, msg, (size_t)count);
  free(msg);
  return true;
}

#else /* one process */

void pl_tour_comm_init(pl_tour_comm *c) {
  *c = (pl_tour_comm){.rank = 0, .size = 1, .local_size = 1};
}

void pl_tour_comm_finalize(pl_tour_comm *c) { c->mpi = false; }

bool pl_tour_comm_built_with_mpi(void) { return false; }

void pl_tour_comm_abort(const pl_tour_comm *c, int code) {
  (void)c, (void)code;
}

bool pl_tour_comm_all(const pl_tour_comm *c, bool ok) {
  (void)c;
  return ok;
}

bool pl_tour_comm_bcast(const pl_tour_comm *c, void *buf, size_t bytes,
                        int root) {
  (void)c, (void)buf, (void)bytes, (void)root;
  return true;
}

bool pl_tour_comm_send(const pl_tour_comm *c, const char *rows, size_t len,
                       bool done) {
  (void)c, (void)rows, (void)len, (void)done;
  return true;
}

bool pl_tour_comm_poll(const pl_tour_comm *c, pl_buf *rows, bool *done) {
  (void)c, (void)rows;
  *done = false;
  return false;
}

#endif
