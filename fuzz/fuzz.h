/* fuzz.h - helpers shared by the fuzz targets (fuzz/README.md).
 *
 * Every target defines LLVMFuzzerTestOneInput. Built with clang and
 * -DPARLEY_FUZZ=ON it links libFuzzer; built with any compiler it links
 * replay.c instead, a plain driver that feeds it the files of a corpus, so
 * that the test suite replays every corpus and regression under gcc too. */
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (caller frees); NULL when it holds a
 * NUL byte (text formats cannot) or memory is short. */
char *fuzz_text(const uint8_t *data, size_t size);

/* Several files in one input, separated by FUZZ_SEPARATOR lines: cuts the
 * text in place, returns how many parts (at most max). */
#define FUZZ_SEPARATOR "\n--8<--\n"
size_t fuzz_split(char *text, char **parts, size_t max);

/* Splits the input into files (at most 4) and writes them to the scratch
 * folder: the first named `first`, the others by the printf format `rest`
 * (with their number); fills paths, returns how many (0: not text). */
size_t fuzz_write_parts(const uint8_t *data, size_t size, const char *first,
                        const char *rest, const char *paths[4]);

/* Writes `text` to NAME in this process's scratch folder (made on first
 * use, removed at exit); returns its path in a static buffer per slot. */
const char *fuzz_write(unsigned slot, const char *name, const char *text);

/* A small analysis (enumeration capped at `cap` outcomes, no search above
 * it, one thread) and a short negotiation, to reach the code behind a
 * loader. Both results are discarded: the property is "no crash, no leak,
 * no undefined behaviour". */
struct pl_scenario;
void fuzz_exercise(const struct pl_scenario *s, uint64_t cap, unsigned rounds);

#endif
