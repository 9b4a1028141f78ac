/* token.c - the per-start token: 32 bytes from the system's random source
 * (getrandom, /dev/urandom when it is missing), written as 64 hex digits,
 * and compared in constant time so that its bytes cannot be guessed one by
 * one from response times. */
#define _DEFAULT_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static bool fill_random(unsigned char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = getrandom(p + got, n - got, 0);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      break;
    got += (size_t)k;
  }
  if (got == n)
    return true;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  got = 0;
  while (got < n) {
    ssize_t k = read(fd, p + got, n - got);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      break;
    got += (size_t)k;
  }
  close(fd);
  return got == n;
}

bool sv_random_token(char out[65]) {
  unsigned char bytes[32];
  if (!fill_random(bytes, sizeof bytes))
    return false;
  for (size_t i = 0; i < sizeof bytes; i++)
    snprintf(out + 2 * i, 3, "%02x", bytes[i]);
  memset(bytes, 0, sizeof bytes);
  return true;
}

/* Every byte of the expected token is looked at whatever the candidate:
 * the time depends only on the expected token's length. */
bool sv_token_equal(const char *expected, const char *candidate) {
  size_t n = strlen(expected);
  size_t m = strlen(candidate);
  unsigned diff = (unsigned)(n ^ m);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = i < m ? (unsigned char)candidate[i] : 0;
    diff |= (unsigned)((unsigned char)expected[i] ^ c);
  }
  return diff == 0;
}
