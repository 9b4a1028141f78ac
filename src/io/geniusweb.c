/* geniusweb.c - GeniusWeb JSON (the successor platform of GENIUS): writing
 * a scenario as a domain and one profile per party, and reading them back;
 * plus the pieces both exporters share (geniusweb.h).
 *
 * Where the JSON shape comes from: GeniusWeb's own classes and tests as
 * published in its Python port (package `geniusweb`, TU Delft):
 *   geniusweb/issuevalue/Domain.py         {"name", "issuesValues"}; the
 *                                          name only letters and digits
 *   NumberValueSetTest (geniusweb tests)   {"range": {"low","high","step"}}
 *   geniusweb/profile/utilityspace/LinearAdditiveUtilitySpace.py
 *       {"LinearAdditiveUtilitySpace": {"issueUtilities", "issueWeights",
 *        "domain", "name", "reservationBid"}}; every issue weighted and
 *        valued; the weights must add up to exactly 1 (Decimal); the name
 *        only letters and digits
 *   geniusweb/profile/utilityspace/NumberValueSetUtilities.py
 *       {"lowValue","lowUtility","highValue","highUtility"}, linear in
 *       between, the values equal to the range's ends
 *   LinearAdditiveTest ("jobs" profile)    {"DiscreteValueSetUtilities":
 *                                          {"valueUtilities": {v: u}}}
 * and bids as {"issuevalues": {issue: value}}, as NegMAS
 * (yasserfarouk/negmas, negmas/inout.py) reads "reservationBid". Older
 * GeniusWeb files name the utilities "discreteutils"/"numberutils"; the
 * reader accepts both.
 *
 * GeniusWeb's reservation is a bid, not a value. Export: the party's
 * reservation value r becomes the outcome with the smallest utility >= r
 * (ties: the smallest outcome index, last issue varying fastest); no bid
 * (null) when r is 0; refused when no outcome reaches r. Import: the
 * reservation value is that bid's utility. So r round-trips exactly when
 * it is some outcome's utility, and otherwise becomes the next utility up:
 * the party accepts exactly the same outcomes as before.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/geniusweb.h"
#include "io/json_pos.h"
#include "io/scenario_io.h"
#include "util/fmt.h"
#include "util/labels.h"
#include "util/suggest.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Shared by the exporters =========================================== */

/* ---- Text ---------------------------------------------------------------- */

static bool text_reserve(pl_text *t, size_t more) {
  if (t->failed)
    return false;
  if (t->len + more + 1 <= t->cap)
    return true;
  size_t cap = t->cap ? t->cap : 4096;
  while (cap < t->len + more + 1)
    cap *= 2;
  char *p = realloc(t->data, cap);
  if (!p) {
    t->failed = true;
    return false;
  }
  t->data = p;
  t->cap = cap;
  return true;
}

static void text_putn(pl_text *t, const char *s, size_t n) {
  if (!text_reserve(t, n))
    return;
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = 0;
}

void pl_text_put(pl_text *t, const char *s) { text_putn(t, s, strlen(s)); }

void pl_text_printf(pl_text *t, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    t->failed = true;
    return;
  }
  if ((size_t)n < sizeof small) {
    text_putn(t, small, (size_t)n);
    return;
  }
  if (!text_reserve(t, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(t->data + t->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  t->len += (size_t)n;
}

/* ---- Numbers ------------------------------------------------------------- */

/* The shortest text that reads back (pl_fmt_number), without "-0": a
 * person's "0.1" stays "0.1", which also keeps decimal sums such as
 * GeniusWeb's weights exact. */
size_t pl_export_number(char *buf, size_t len, double x) {
  return pl_fmt_number(buf, len, x == 0 ? 0 : x);
}

void pl_text_number(pl_text *t, double x) {
  char buf[48];
  pl_export_number(buf, sizeof buf, x);
  pl_text_put(t, buf);
}

/* ---- File names ---------------------------------------------------------- */

enum { STEM_MAX = 200 }; /* bytes: file names are limited to 255 */

void pl_export_safe_name(const char *name, char *out, size_t len) {
  size_t j = 0;
  for (const unsigned char *p = (const unsigned char *)(name ? name : "");
       *p && j + 1 < len; p++) {
    bool bad = *p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p) ||
               (j == 0 && *p == '.');
    out[j++] = bad ? '_' : (char)*p;
  }
  /* Cut at a character boundary, not inside a UTF-8 sequence. */
  if (name && j + 1 == len && ((unsigned char)name[j] & 0xC0) == 0x80)
    while (j > 0 && ((unsigned char)out[j - 1] & 0xC0) == 0x80)
      j--;
  if (j > 0 && ((unsigned char)out[j - 1] & 0xC0) == 0xC0)
    j--; /* a lead byte whose continuation was cut */
  out[j] = 0;
  if (j == 0)
    snprintf(out, len, "scenario");
}

/* ASCII case-insensitive, so that "P1" and "p1" never share a file on a
 * case-insensitive disk. */
static bool same_name(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y)
      return false;
  }
  return *a == *b;
}

static bool name_taken(const pl_export *x, const char *file) {
  for (size_t k = 0; k < x->n; k++)
    if (same_name(x->names[k], file))
      return true;
  return false;
}

static bool export_grow(pl_export *x) {
  if (x->n < x->cap)
    return true;
  size_t cap = x->cap ? 2 * x->cap : 8;
  char **names = realloc(x->names, cap * sizeof *names);
  if (names)
    x->names = names;
  pl_text **texts = names ? realloc(x->texts, cap * sizeof *texts) : NULL;
  if (!texts)
    return false;
  x->texts = texts;
  x->cap = cap;
  return true;
}

pl_text *pl_export_add(pl_export *x, const char *name, const char *ext) {
  char stem[STEM_MAX], file[STEM_MAX + 32];
  pl_export_safe_name(name, stem, sizeof stem);
  snprintf(file, sizeof file, "%s%s", stem, ext);
  for (unsigned k = 2; name_taken(x, file); k++)
    snprintf(file, sizeof file, "%s-%u%s", stem, k, ext);
  pl_text *t = NULL;
  char *copy = NULL;
  if (export_grow(x) && (t = calloc(1, sizeof *t)) &&
      (copy = malloc(strlen(file) + 1))) {
    memcpy(copy, file, strlen(file) + 1);
    x->names[x->n] = copy;
    x->texts[x->n++] = t;
    return t;
  }
  free(t);
  x->failed = true;
  return NULL;
}

void pl_export_free(pl_export *x) {
  for (size_t k = 0; k < x->n; k++) {
    free(x->names[k]);
    free(x->texts[k]->data);
    free(x->texts[k]);
  }
  free(x->names);
  free(x->texts);
  *x = (pl_export){0};
}

/* ---- Writing a folder ---------------------------------------------------- */

static char *join_path(const char *dir, const char *prefix, const char *name) {
  size_t n = strlen(dir) + strlen(prefix) + strlen(name) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s%s", dir, prefix, name);
  return p;
}

/* The folder exists afterwards; *created says whether this call made it. */
static pl_status open_folder(const char *dir, bool *created, pl_diag *d) {
  struct stat st;
  *created = false;
  if (stat(dir, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return PL_OK;
    pl_diag_add(d, dir, 0, 0,
                "exists and is not a folder; give a folder to write the "
                "files into");
    return PL_EIO;
  }
  if (mkdir(dir, 0777) == 0) {
    *created = true;
    return PL_OK;
  }
  if (errno == ENOENT)
    pl_diag_add(d, dir, 0, 0,
                "cannot create the folder: the folder above it does not "
                "exist (only the last level is created)");
  else
    pl_diag_add(d, dir, 0, 0, "cannot create the folder: %s", strerror(errno));
  return PL_EIO;
}

static bool has_ext(const char *name, const char *ext) {
  size_t n = strlen(name), e = strlen(ext);
  return n > e && same_name(name + n - e, ext);
}

/* Files of the same kind left in the folder would be read back as part of
 * the scenario: refuse rather than mix them. */
static bool folder_is_ours(const pl_export *x, const char *dir, const char *ext,
                           pl_diag *d) {
  DIR *dp = opendir(dir);
  if (!dp) {
    pl_diag_add(d, dir, 0, 0, "cannot open folder: %s", strerror(errno));
    return false;
  }
  bool ok = true;
  struct dirent *e;
  while ((e = readdir(dp))) {
    if (e->d_name[0] == '.' || !has_ext(e->d_name, ext) ||
        name_taken(x, e->d_name))
      continue;
    pl_diag_add(d, dir, 0, 0,
                "the folder already holds '%s', which this export does not "
                "write; reading the folder back would take it for part of the "
                "scenario: remove it or choose a new folder",
                e->d_name);
    ok = false;
  }
  closedir(dp);
  return ok;
}

static bool write_file(const char *path, const pl_text *t, pl_diag *d) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
    return false;
  }
  bool ok = t->len == 0 || fwrite(t->data, 1, t->len, f) == t->len;
  ok = fflush(f) == 0 && ok && !ferror(f);
  int err = ok ? 0 : errno;
  if (fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok)
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(err ? err : EIO));
  return ok;
}

/* Removes the first `n` temporary files and, when it was made here, the
 * folder: a failed export leaves nothing new behind. */
static void undo(const pl_export *x, const char *dir, size_t n, bool created) {
  for (size_t k = 0; k < n; k++) {
    char *tmp = join_path(dir, ".parley-tmp-", x->names[k]);
    if (tmp)
      unlink(tmp);
    free(tmp);
  }
  if (created)
    rmdir(dir);
}

static bool write_temps(const pl_export *x, const char *dir, size_t *done,
                        pl_diag *d) {
  for (*done = 0; *done < x->n; (*done)++) {
    char *tmp = join_path(dir, ".parley-tmp-", x->names[*done]);
    bool ok = tmp && write_file(tmp, x->texts[*done], d);
    free(tmp);
    if (!ok) {
      (*done)++; /* it may exist half-written */
      return false;
    }
  }
  return true;
}

static bool rename_temps(const pl_export *x, const char *dir, pl_diag *d) {
  bool ok = true;
  for (size_t k = 0; k < x->n; k++) {
    char *tmp = join_path(dir, ".parley-tmp-", x->names[k]);
    char *final = join_path(dir, "", x->names[k]);
    if (!tmp || !final || rename(tmp, final) != 0) {
      pl_diag_add(d, final ? final : dir, 0, 0, "cannot write: %s",
                  strerror(errno));
      if (tmp)
        unlink(tmp);
      ok = false;
    }
    free(tmp);
    free(final);
  }
  return ok;
}

pl_status pl_export_commit(const pl_export *x, const char *dir, const char *ext,
                           pl_diag *d) {
  if (x->failed) {
    pl_diag_add(d, dir, 0, 0, "out of memory while building the files");
    return PL_ENOMEM;
  }
  for (size_t k = 0; k < x->n; k++)
    if (x->texts[k]->failed) {
      pl_diag_add(d, dir, 0, 0, "out of memory while building the files");
      return PL_ENOMEM;
    }
  bool created;
  pl_status st = open_folder(dir, &created, d);
  if (st != PL_OK)
    return st;
  if (!created && !folder_is_ours(x, dir, ext, d))
    return PL_EIO;
  size_t done;
  if (!write_temps(x, dir, &done, d)) {
    undo(x, dir, done, created);
    return PL_EIO;
  }
  return rename_temps(x, dir, d) ? PL_OK : PL_EIO;
}

/* ---- What neither format holds ------------------------------------------ */

const char *pl_export_source(const pl_scenario *s) {
  return s->file && *s->file ? s->file : NULL;
}

/* "constraint 'name' (text)" or "red line 2 of party 'P' (text)". */
static void refuse_rule(const pl_scenario *s, const char *what,
                        const pl_rule *r, uint32_t k, const char *party,
                        const char *format, pl_diag *d) {
  char id[320], owner[320] = "";
  if (r->name)
    snprintf(id, sizeof id, "'%s'", r->name);
  else
    snprintf(id, sizeof id, "%u", k + 1);
  if (party)
    snprintf(owner, sizeof owner, " of party '%s'", party);
  pl_diag_add(d, pl_export_source(s), 0, 0,
              "%s %s%s (%s) cannot be exported: %s has no %ss; remove it, "
              "or convert with --lossy to leave it out",
              what, id, owner, r->text, format, what);
}

bool pl_export_check_rules(const pl_scenario *s, const char *format,
                           pl_diag *d) {
  bool ok = s->nconstraints == 0 && s->nratifiers == 0;
  for (uint32_t c = 0; c < s->nconstraints; c++)
    refuse_rule(s, "constraint", &s->constraints[c], c, NULL, format, d);
  for (uint32_t a = 0; a < s->nparties; a++) {
    const pl_actor *p = &s->actors[a];
    for (uint32_t k = 0; k < p->nred_lines; k++)
      refuse_rule(s, "red line", &p->red_lines[k], k, p->name, format, d);
    ok &= p->nred_lines == 0;
  }
  for (uint32_t k = 0; k < s->nratifiers; k++)
    pl_diag_add(d, pl_export_source(s), 0, 0,
                "ratifier '%s' cannot be exported: %s has only negotiating "
                "parties, no ratifiers; remove it, or convert with --lossy "
                "to leave it out",
                s->actors[s->nparties + k].name, format);
  return ok;
}

/* ==== Exact decimals ======================================================
 * GeniusWeb reads numbers as Java BigDecimals and requires the weights to
 * add up to exactly 1, and enumerates a number issue as low + k * step in
 * decimal. Whether the decimals we write satisfy that is decided here with
 * fixed-point decimal digits: 24 before the point, 72 after, plenty for
 * weights and issue ranges (anything outside counts as "not exact"). */

enum { DEC_INT = 24, DEC_FRAC = 72, DEC_LEN = DEC_INT + DEC_FRAC };

typedef struct dec {
  bool neg;
  uint8_t d[DEC_LEN]; /* d[k] is the digit of 10^(DEC_INT - 1 - k) */
} dec;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Parses what pl_export_number writes: [-]digits[.digits][e[+-]digits]. */
static bool dec_parse(const char *s, dec *out) {
  memset(out, 0, sizeof *out);
  if (*s == '-')
    out->neg = *s++ == '-';
  uint8_t digits[40];
  int nd = 0, point = -1;
  for (; is_digit(*s) || *s == '.'; s++) {
    if (*s == '.')
      point = nd;
    else if (nd == (int)sizeof digits)
      return false;
    else
      digits[nd++] = (uint8_t)(*s - '0');
  }
  if (point < 0)
    point = nd;
  long exp = 0;
  if (*s == 'e' || *s == 'E') {
    char *end;
    exp = strtol(s + 1, &end, 10);
    if (*end || exp > 1000 || exp < -1000)
      return false;
  } else if (*s) {
    return false;
  }
  for (int k = 0; k < nd; k++) {
    long idx = DEC_INT - 1 - (point - 1 - k + exp);
    if (digits[k] && (idx < 0 || idx >= DEC_LEN))
      return false;
    if (digits[k])
      out->d[idx] = digits[k];
  }
  return true;
}

/* x exactly as the exporters write it. */
static bool dec_of(double x, dec *out) {
  char buf[48];
  pl_export_number(buf, sizeof buf, x);
  return dec_parse(buf, out);
}

static int mag_cmp(const uint8_t *a, const uint8_t *b) {
  for (int k = 0; k < DEC_LEN; k++)
    if (a[k] != b[k])
      return a[k] < b[k] ? -1 : 1;
  return 0;
}

static bool mag_add(uint8_t *a, const uint8_t *b) {
  int carry = 0;
  for (int k = DEC_LEN; k-- > 0;) {
    int v = a[k] + b[k] + carry;
    a[k] = (uint8_t)(v % 10);
    carry = v / 10;
  }
  return carry == 0;
}

static void mag_sub(uint8_t *a, const uint8_t *b) { /* needs a >= b */
  int borrow = 0;
  for (int k = DEC_LEN; k-- > 0;) {
    int v = a[k] - b[k] - borrow;
    borrow = v < 0;
    a[k] = (uint8_t)(v < 0 ? v + 10 : v);
  }
}

static bool dec_add(dec *a, const dec *b) {
  if (a->neg == b->neg)
    return mag_add(a->d, b->d);
  if (mag_cmp(a->d, b->d) >= 0) {
    mag_sub(a->d, b->d);
    return true;
  }
  uint8_t t[DEC_LEN];
  memcpy(t, b->d, DEC_LEN);
  mag_sub(t, a->d);
  memcpy(a->d, t, DEC_LEN);
  a->neg = b->neg;
  return true;
}

static bool dec_mul(dec *a, uint32_t k) {
  uint64_t carry = 0;
  for (int i = DEC_LEN; i-- > 0;) {
    uint64_t v = (uint64_t)a->d[i] * k + carry;
    a->d[i] = (uint8_t)(v % 10);
    carry = v / 10;
  }
  return carry == 0;
}

static bool dec_zero(const dec *a) {
  for (int k = 0; k < DEC_LEN; k++)
    if (a->d[k])
      return false;
  return true;
}

static bool dec_equal(const dec *a, const dec *b) {
  if (dec_zero(a) || dec_zero(b))
    return dec_zero(a) && dec_zero(b);
  return a->neg == b->neg && !memcmp(a->d, b->d, DEC_LEN);
}

/* The decimal as text, without leading or trailing zeros. */
static void dec_format(const dec *a, char *buf, size_t len) {
  int first = 0, last = DEC_LEN - 1;
  while (first < DEC_INT - 1 && !a->d[first])
    first++;
  while (last >= DEC_INT && !a->d[last])
    last--;
  size_t j = 0;
  if (a->neg && !dec_zero(a) && j + 1 < len)
    buf[j++] = '-';
  for (int k = first; k <= last && j + 2 < len; k++) {
    if (k == DEC_INT)
      buf[j++] = '.';
    buf[j++] = (char)('0' + a->d[k]);
  }
  buf[j] = 0;
}

/* ==== GeniusWeb export ==================================================== */

/* Past this many outcomes the reservation bid is not searched for. */
#define BID_SEARCH_MAX 10000000ULL
/* A linear number utility may differ from the values by this much (GeniusWeb
 * itself rounds number utilities to 8 decimals). */
#define LINEAR_TOLERANCE 1e-12

/* The number issue's range as written: low, high and step. */
static double range_step(const pl_issue *is) {
  if (is->kind == PL_ISSUE_INTEGER)
    return is->step;
  return (is->max - is->min) / (is->nvalues - 1);
}

/* How many values low + k * step (k = 0, 1, ...) stay within high, with a
 * little slack for a step that is not exact in binary. */
static double range_count(double low, double high, double step) {
  return floor((high - low) / step + 1e-9) + 1;
}

/* GeniusWeb's NumberValueSetUtilities: linear between the range's ends.
 * The reader computes exactly this, so the exporter checks against it. */
static double number_utility(double lowv, double lowu, double highv,
                             double highu, double x) {
  return lowu + (highu - lowu) * (x - lowv) / (highv - lowv);
}

typedef struct gw_writer {
  const pl_scenario *s;
  pl_diag *d;
  const char *src;
  bool ok;
  uint32_t *bids; /* nparties x nissues: each party's reservation bid */
  bool *has_bid;  /* per party */
} gw_writer;

static void gw_refuse(gw_writer *w, const char *fmt, ...) PL_PRINTF(2, 3);
static void gw_refuse(gw_writer *w, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pl_diag_addv(w->d, w->src, 0, 0, fmt, ap);
  va_end(ap);
  w->ok = false;
}

static const char *num(char *buf, size_t len, double x) {
  pl_export_number(buf, len, x);
  return buf;
}

/* A number issue must be a range GeniusWeb enumerates to the same values. */
static void check_range(gw_writer *w, const pl_issue *is) {
  char a[48];
  if (is->nvalues < 2) {
    gw_refuse(w,
              "issue '%s' has a single value; GeniusWeb number issues need "
              "a low and a higher high value",
              is->name);
    return;
  }
  if (is->kind == PL_ISSUE_INTEGER)
    return; /* whole numbers: decimal and binary agree */
  double step = range_step(is);
  dec lo, hi, st;
  bool exact = dec_of(is->min, &lo) && dec_of(is->max, &hi) &&
               dec_of(step, &st) && dec_mul(&st, is->nvalues - 1) &&
               dec_add(&lo, &st) && dec_equal(&lo, &hi);
  if (!exact || range_count(is->min, is->max, step) != is->nvalues)
    gw_refuse(w,
              "real issue '%s': its step %s is not exact as a decimal, so "
              "GeniusWeb would enumerate other values than its %u; choose a "
              "count whose step is a short decimal",
              is->name, num(a, sizeof a, step), is->nvalues);
}

static void check_numeric_values(gw_writer *w, const pl_actor *p,
                                 const pl_issue *is, const double *v) {
  char a[48], b[48];
  uint32_t n = is->nvalues;
  if (!v || n < 2)
    return;
  double lowv = is->numbers[0], highv = is->numbers[n - 1];
  for (uint32_t k = 0; k < n; k++) {
    double f = number_utility(lowv, v[0], highv, v[n - 1], is->numbers[k]);
    if (fabs(f - v[k]) > LINEAR_TOLERANCE) {
      gw_refuse(w,
                "party '%s', issue '%s': GeniusWeb number utilities are "
                "linear from the lowest to the highest value, but this one "
                "is not (at %s it is %s); make it linear or the issue "
                "categorical",
                p->name, is->name, num(a, sizeof a, is->numbers[k]),
                num(b, sizeof b, v[k]));
      return;
    }
  }
}

static void check_values(gw_writer *w, const pl_actor *p) {
  char a[48];
  for (uint32_t i = 0; i < w->s->nissues; i++) {
    const pl_issue *is = &w->s->issues[i];
    const double *v = p->values[i];
    for (uint32_t k = 0; v && k < is->nvalues; k++)
      if (!(v[k] >= 0 && v[k] <= 1)) {
        gw_refuse(w,
                  "party '%s', issue '%s': a value is worth %s; GeniusWeb "
                  "utilities lie from 0 to 1 (raw evaluations? read the "
                  "GENIUS files without --raw-evaluations)",
                  p->name, is->name, num(a, sizeof a, v[k]));
        break;
      }
    if (is->kind != PL_ISSUE_CATEGORICAL)
      check_numeric_values(w, p, is, v);
  }
}

static void check_weights(gw_writer *w, const pl_actor *p) {
  dec sum = {0}, x, one;
  bool exact = dec_of(1.0, &one);
  double total = 0;
  for (uint32_t i = 0; i < w->s->nissues; i++) {
    exact = exact && dec_of(p->weights[i], &x) && dec_add(&sum, &x);
    total += p->weights[i];
  }
  char a[128];
  if (exact && dec_equal(&sum, &one))
    return;
  if (exact)
    dec_format(&sum, a, sizeof a);
  else
    num(a, sizeof a, total);
  gw_refuse(w,
            "party '%s': its weights add up to %s; GeniusWeb requires "
            "exactly 1 (as decimals)%s",
            p->name, a,
            fabs(total - 1) <= 1e-3
                ? "; convert with --normalize to rescale them"
                : " (--normalize rescales weights within 0.001 of 1 only)");
}

/* The GENIUS reading caps utilities at 1; GeniusWeb does not. */
static void check_cap(gw_writer *w, uint32_t a) {
  const pl_scenario *s = w->s;
  const pl_actor *p = &s->actors[a];
  if (!p->capped)
    return;
  double best = 0; /* the largest sum, in issue order, as the model sums */
  for (uint32_t i = 0; i < s->nissues; i++) {
    double m = 0;
    for (uint32_t v = 0; v < s->issues[i].nvalues; v++)
      m = fmax(m, s->term[a][s->offset[i] + v]);
    best += m;
  }
  char b[48];
  /* Within rounding of 1 (weights that add up to 1 as decimals may sum to
   * 1 + 2^-52 in binary), the cap changes nothing that shows. */
  if (best > 1 + 1e-12)
    gw_refuse(w,
              "party '%s': its best outcome sums to %s, which the GENIUS "
              "reading caps at 1; GeniusWeb has no cap%s",
              p->name, num(b, sizeof b, best),
              best - 1 <= 1e-3 ? " (--normalize rescales the weights to 1)"
                               : "");
}

static void next_outcome(const pl_scenario *s, uint32_t *v) {
  for (uint32_t i = s->nissues; i-- > 0;) {
    if (++v[i] < s->issues[i].nvalues)
      return;
    v[i] = 0;
  }
}

/* The outcome with the smallest utility >= r; ties: the smallest index. */
static bool search_bid(const pl_scenario *s, uint32_t a, double r,
                       uint32_t *best) {
  uint64_t count;
  pl_space_size(s, &count);
  uint32_t v[PL_MAX_ISSUES] = {0};
  double ubest = INFINITY;
  bool found = false;
  for (uint64_t o = 0; o < count; o++, next_outcome(s, v)) {
    double u = pl_actor_utility(s, a, v);
    if (u >= r && u < ubest) {
      found = true;
      ubest = u;
      memcpy(best, v, s->nissues * sizeof *v);
      if (u == r)
        break;
    }
  }
  return found;
}

static void check_reservation(gw_writer *w, uint32_t a) {
  const pl_scenario *s = w->s;
  const pl_actor *p = &s->actors[a];
  char b[48];
  if (p->threshold <= 0)
    return;
  uint64_t count;
  if (!pl_space_size(s, &count) || count > BID_SEARCH_MAX) {
    gw_refuse(w,
              "party '%s': GeniusWeb needs its reservation value %s as a "
              "bid, and finding it means searching more than %llu outcomes",
              p->name, num(b, sizeof b, p->threshold), BID_SEARCH_MAX);
    return;
  }
  w->has_bid[a] = search_bid(s, a, p->threshold, &w->bids[a * s->nissues]);
  if (!w->has_bid[a])
    gw_refuse(w,
              "party '%s': its reservation value %s is above every outcome's "
              "utility; GeniusWeb's reservation is a bid, and none is worth "
              "that much",
              p->name, num(b, sizeof b, p->threshold));
}

static void check_party(gw_writer *w, uint32_t a) {
  const pl_actor *p = &w->s->actors[a];
  char b[48];
  if (p->discount != 1)
    gw_refuse(w,
              "party '%s' has discount factor %s; GeniusWeb profiles have "
              "none (--lossy leaves it out)",
              p->name, num(b, sizeof b, p->discount));
  if (p->nboxes)
    gw_refuse(w,
              "party '%s' has non-linear (hyperRectangle) utilities; "
              "GeniusWeb's LinearAdditiveUtilitySpace is additive",
              p->name);
  check_values(w, p);
  check_weights(w, p);
  check_cap(w, a);
  check_reservation(w, a);
}

static bool gw_check(gw_writer *w) {
  const pl_scenario *s = w->s;
  w->ok = pl_export_check_rules(s, "GeniusWeb", w->d);
  for (uint32_t i = 0; i < s->nissues; i++)
    if (s->issues[i].kind != PL_ISSUE_CATEGORICAL)
      check_range(w, &s->issues[i]);
  for (uint32_t a = 0; a < s->nparties; a++)
    check_party(w, a);
  return w->ok;
}

/* ---- JSON text ------------------------------------------------------------
 * Written by hand rather than with jansson so that every number is the
 * shortest decimal that reads back exactly: GeniusWeb adds the weights as
 * decimals, and 0.1 written as 0.10000000000000001 would not add up to 1. */

static void json_str(pl_text *t, const char *s) {
  pl_text_put(t, "\"");
  const char *run = s;
  for (const char *p = s;; p++) {
    unsigned char c = (unsigned char)*p;
    if (c && c != '"' && c != '\\' && c >= 0x20)
      continue;
    text_putn(t, run, (size_t)(p - run));
    if (!c)
      break;
    if (c == '"' || c == '\\')
      pl_text_printf(t, "\\%c", c);
    else
      pl_text_printf(t, "\\u%04x", c);
    run = p + 1;
  }
  pl_text_put(t, "\"");
}

static void indent(pl_text *t, int n) { pl_text_printf(t, "\n%*s", n, ""); }

/* GeniusWeb names hold letters and digits only. */
static void simple_name(const char *name, const char *fallback, uint32_t k,
                        char *out, size_t len) {
  size_t j = 0;
  for (const char *p = name ? name : ""; *p && j + 1 < len; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || is_digit(*p))
      out[j++] = *p;
  out[j] = 0;
  if (j == 0)
    snprintf(out, len, "%s%u", fallback, k);
}

static void value_json(pl_text *t, const pl_issue *is, uint32_t v) {
  if (is->kind == PL_ISSUE_CATEGORICAL)
    json_str(t, is->labels[v]);
  else
    pl_text_number(t, is->numbers[v]);
}

static void value_set_json(pl_text *t, const pl_issue *is) {
  if (is->kind != PL_ISSUE_CATEGORICAL) {
    pl_text_put(t, "{\"range\": {\"low\": ");
    pl_text_number(t, is->numbers[0]);
    pl_text_put(t, ", \"high\": ");
    pl_text_number(t, is->numbers[is->nvalues - 1]);
    pl_text_put(t, ", \"step\": ");
    pl_text_number(t, range_step(is));
    pl_text_put(t, "}}");
    return;
  }
  pl_text_put(t, "{\"values\": [");
  for (uint32_t v = 0; v < is->nvalues; v++) {
    pl_text_put(t, v ? ", " : "");
    json_str(t, is->labels[v]);
  }
  pl_text_put(t, "]}");
}

static void domain_json(pl_text *t, const pl_scenario *s, int ind) {
  char name[256];
  simple_name(s->name, "domain", 1, name, sizeof name);
  pl_text_put(t, "{");
  indent(t, ind + 2);
  pl_text_put(t, "\"name\": ");
  json_str(t, name);
  pl_text_put(t, ",");
  indent(t, ind + 2);
  pl_text_put(t, "\"issuesValues\": {");
  for (uint32_t i = 0; i < s->nissues; i++) {
    pl_text_put(t, i ? "," : "");
    indent(t, ind + 4);
    json_str(t, s->issues[i].name);
    pl_text_put(t, ": ");
    value_set_json(t, &s->issues[i]);
  }
  indent(t, ind + 2);
  pl_text_put(t, "}");
  indent(t, ind);
  pl_text_put(t, "}");
}

static double value_of(const pl_actor *p, uint32_t i, uint32_t v) {
  return p->values[i] ? p->values[i][v] : 0.0;
}

static void utilities_json(pl_text *t, const pl_issue *is, const pl_actor *p,
                           uint32_t i) {
  uint32_t n = is->nvalues;
  if (is->kind != PL_ISSUE_CATEGORICAL) {
    pl_text_put(t, "{\"NumberValueSetUtilities\": {\"lowValue\": ");
    pl_text_number(t, is->numbers[0]);
    pl_text_put(t, ", \"lowUtility\": ");
    pl_text_number(t, value_of(p, i, 0));
    pl_text_put(t, ", \"highValue\": ");
    pl_text_number(t, is->numbers[n - 1]);
    pl_text_put(t, ", \"highUtility\": ");
    pl_text_number(t, value_of(p, i, n - 1));
    pl_text_put(t, "}}");
    return;
  }
  pl_text_put(t, "{\"DiscreteValueSetUtilities\": {\"valueUtilities\": {");
  for (uint32_t v = 0; v < n; v++) {
    pl_text_put(t, v ? ", " : "");
    json_str(t, is->labels[v]);
    pl_text_put(t, ": ");
    pl_text_number(t, value_of(p, i, v));
  }
  pl_text_put(t, "}}}");
}

static void bid_json(pl_text *t, const pl_scenario *s, const uint32_t *bid) {
  pl_text_put(t, "{\"issuevalues\": {");
  for (uint32_t i = 0; i < s->nissues; i++) {
    pl_text_put(t, i ? ", " : "");
    json_str(t, s->issues[i].name);
    pl_text_put(t, ": ");
    value_json(t, &s->issues[i], bid[i]);
  }
  pl_text_put(t, "}}");
}

static void profile_json(pl_text *t, const gw_writer *w, uint32_t a) {
  const pl_scenario *s = w->s;
  const pl_actor *p = &s->actors[a];
  pl_text_put(t, "{\n  \"LinearAdditiveUtilitySpace\": {\n"
                 "    \"issueUtilities\": {");
  for (uint32_t i = 0; i < s->nissues; i++) {
    pl_text_put(t, i ? "," : "");
    indent(t, 6);
    json_str(t, s->issues[i].name);
    pl_text_put(t, ": ");
    utilities_json(t, &s->issues[i], p, i);
  }
  pl_text_put(t, "\n    },\n    \"issueWeights\": {");
  for (uint32_t i = 0; i < s->nissues; i++) {
    pl_text_put(t, i ? "," : "");
    indent(t, 6);
    json_str(t, s->issues[i].name);
    pl_text_put(t, ": ");
    pl_text_number(t, p->weights[i]);
  }
  pl_text_put(t, "\n    },\n    \"domain\": ");
  domain_json(t, s, 4);
  char name[256];
  simple_name(p->name, "party", a + 1, name, sizeof name);
  pl_text_put(t, ",\n    \"name\": ");
  json_str(t, name);
  pl_text_put(t, ",\n    \"reservationBid\": ");
  if (w->has_bid[a])
    bid_json(t, s, &w->bids[a * s->nissues]);
  else
    pl_text_put(t, "null");
  pl_text_put(t, "\n  }\n}\n");
}

static bool gw_build(const gw_writer *w, pl_export *x) {
  const pl_scenario *s = w->s;
  pl_text *t = pl_export_add(x, "domain", ".json");
  if (!t)
    return false;
  domain_json(t, s, 0);
  pl_text_put(t, "\n");
  for (uint32_t a = 0; a < s->nparties; a++) {
    if (!(t = pl_export_add(x, s->actors[a].name, ".json")))
      return false;
    profile_json(t, w, a);
  }
  return true;
}

pl_status pl_scenario_write_geniusweb(const pl_scenario *s, const char *dir,
                                      pl_diag *d) {
  gw_writer w = {.s = s, .d = d, .src = pl_export_source(s)};
  size_t n = (size_t)s->nparties * (s->nissues ? s->nissues : 1);
  w.bids = calloc(n ? n : 1, sizeof *w.bids);
  w.has_bid = calloc(s->nparties ? s->nparties : 1, sizeof *w.has_bid);
  pl_status st = PL_ENOMEM;
  pl_export x = {0};
  if (!w.bids || !w.has_bid)
    pl_diag_add(d, dir, 0, 0, "out of memory");
  else if (!gw_check(&w))
    st = PL_EINPUT;
  else if (!gw_build(&w, &x))
    pl_diag_add(d, dir, 0, 0, "out of memory while building the files");
  else
    st = pl_export_commit(&x, dir, ".json", d);
  pl_export_free(&x);
  free(w.bids);
  free(w.has_bid);
  return st;
}

/* ==== GeniusWeb import ==================================================== */

typedef enum gw_kind { GW_OTHER, GW_DOMAIN, GW_PROFILE } gw_kind;

typedef struct gw_file {
  const char *path, *stem;
  json_t *root;
  pl_json_pos *pos;
  gw_kind kind;
} gw_file;

typedef struct gw_loader {
  pl_scenario *s;
  pl_diag *d;
  size_t errors;
  const gw_file *dfile;  /* where the domain was read from */
  const json_t *dissues; /* its "issuesValues", to compare profiles to */
  double range_low[PL_MAX_ISSUES], range_high[PL_MAX_ISSUES];
  uint32_t *bids; /* nparties x nissues */
  bool *bid_set;  /* per party and issue: the bid gives a value */
} gw_loader;

/* ---- Reporting ----------------------------------------------------------- */

static void gw_vfail(gw_loader *L, const gw_file *f, const json_t *at, bool key,
                     const char *fmt, va_list ap) {
  int line = 0, col = 0;
  bool found = at && f && f->pos &&
               (key ? pl_json_pos_key(f->pos, at, &line, &col) : false);
  if (!found && at && f && f->pos)
    found = pl_json_pos_value(f->pos, at, &line, &col);
  if (!found)
    line = col = 0;
  pl_diag_addv(L->d, f ? f->path : NULL, line, col, fmt, ap);
  L->errors++;
}

/* A problem with the value `at` (its place in the file, when known). */
static void gw_fail(gw_loader *L, const gw_file *f, const json_t *at,
                    const char *fmt, ...) PL_PRINTF(4, 5);
static void gw_fail(gw_loader *L, const gw_file *f, const json_t *at,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gw_vfail(L, f, at, false, fmt, ap);
  va_end(ap);
}

/* A problem with the key under which `at` stands. */
static void gw_fail_key(gw_loader *L, const gw_file *f, const json_t *at,
                        const char *fmt, ...) PL_PRINTF(4, 5);
static void gw_fail_key(gw_loader *L, const gw_file *f, const json_t *at,
                        const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gw_vfail(L, f, at, true, fmt, ap);
  va_end(ap);
}

/* true/false/null are shared nodes without a place: point at the parent. */
static const json_t *place(const json_t *v, const json_t *parent) {
  return json_is_object(v) || json_is_array(v) || json_is_string(v) ||
                 json_is_number(v)
             ? v
             : parent;
}

/* Reports keys of `obj` outside `allowed` (NULL-terminated): GeniusWeb
 * itself refuses unknown keys, and a misspelt one would otherwise be
 * silently ignored. */
static void check_keys(gw_loader *L, const gw_file *f, const json_t *obj,
                       const char *what, const char *const *allowed) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool ok = false;
    for (size_t k = 0; allowed[k]; k++)
      ok = ok || !strcmp(key, allowed[k]);
    if (!ok)
      gw_fail_key(L, f, place(val, obj), "unknown key '%s' in %s", key, what);
  }
}

/* obj[key] of the wanted type (json_type, or -1 for any number). */
static const json_t *get(gw_loader *L, const gw_file *f, const json_t *obj,
                         const char *key, int type, const char *what) {
  const json_t *v = json_object_get(obj, key);
  if (!v) {
    gw_fail(L, f, obj, "%s has no \"%s\"", what, key);
    return NULL;
  }
  bool ok = type < 0 ? json_is_number(v) : (int)json_typeof(v) == type;
  if (!ok) {
    const char *want = type < 0              ? "a number"
                       : type == JSON_OBJECT ? "an object"
                       : type == JSON_ARRAY  ? "an array"
                                             : "a string";
    gw_fail(L, f, place(v, obj), "\"%s\" of %s must be %s, not %s", key, what,
            want, pl_json_type_name(v));
    return NULL;
  }
  return v;
}

static bool get_unit(gw_loader *L, const gw_file *f, const json_t *obj,
                     const char *key, const char *what, double *out) {
  const json_t *v = get(L, f, obj, key, -1, what);
  if (!v)
    return false;
  *out = json_number_value(v);
  if (*out >= 0 && *out <= 1)
    return true;
  char b[48];
  gw_fail(L, f, v, "\"%s\" of %s is %s; it must lie from 0 to 1", key, what,
          num(b, sizeof b, *out));
  return false;
}

/* ---- Domain -------------------------------------------------------------- */

/* Sorts the values for lookups by name and reports each repeated one. */
static bool report_repeats(gw_loader *L, const gw_file *f, const json_t *vals,
                           pl_issue *is) {
  bool *repeat = malloc(is->nvalues * sizeof *repeat);
  if (!repeat || !pl_issue_index_labels(&L->s->arena, is)) {
    free(repeat);
    gw_fail(L, f, vals, "out of memory");
    return false;
  }
  pl_labels_repeats(is->labels, is->by_label, is->nvalues, repeat);
  uint32_t twice = 0;
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (repeat[k] && ++twice <= PL_LISTED_MAX)
      gw_fail(L, f, json_array_get(vals, k),
              "value '%s' of issue '%s' is listed twice", is->labels[k],
              is->name);
  if (twice > PL_LISTED_MAX)
    gw_fail(L, f, vals,
            "and %u more values of issue '%s' are listed twice (%u in all)",
            twice - PL_LISTED_MAX, is->name, twice);
  free(repeat);
  return twice == 0;
}

static bool read_labels(gw_loader *L, const gw_file *f, const json_t *vals,
                        pl_issue *is) {
  size_t n = json_array_size(vals);
  if (n == 0 || n > PL_MAX_VALUES) {
    gw_fail(L, f, vals, "issue '%s' needs 1 to %d values, not %zu", is->name,
            PL_MAX_VALUES, n);
    return false;
  }
  is->kind = PL_ISSUE_CATEGORICAL;
  is->labels = pl_arena_calloc(&L->s->arena, n, sizeof *is->labels);
  if (!is->labels)
    return false;
  bool ok = true;
  for (size_t k = 0; k < n; k++) {
    const json_t *v = json_array_get(vals, k);
    if (!json_is_string(v)) {
      gw_fail(L, f, place(v, vals), "value %zu of issue '%s' must be a string",
              k + 1, is->name);
      ok = false;
      continue;
    }
    is->labels[k] = pl_arena_strdup(&L->s->arena, json_string_value(v));
  }
  is->nvalues = (uint32_t)n;
  return ok && report_repeats(L, f, vals, is);
}

static bool whole(double x) {
  return x == floor(x) && fabs(x) <= 9007199254740992.0; /* 2^53 */
}

/* The values low, low + step, ... up to high, as parley numbers. */
static bool make_range(gw_loader *L, const gw_file *f, const json_t *r,
                       pl_issue *is, double low, double high, double step) {
  double count = range_count(low, high, step);
  if (count > PL_MAX_VALUES) {
    gw_fail(L, f, r, "issue '%s' has %.0f values; at most %d are supported",
            is->name, count, PL_MAX_VALUES);
    return false;
  }
  is->nvalues = (uint32_t)count;
  is->numbers = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof(double));
  if (!is->numbers)
    return false;
  double last = low + (count - 1) * step;
  bool integer = whole(low) && whole(high) && whole(step);
  if (!integer && fabs(last - high) <= 1e-9 * fmax(1, fabs(high)))
    last = high; /* on the grid: exactly the end as written */
  is->kind = integer ? PL_ISSUE_INTEGER : PL_ISSUE_REAL;
  for (uint32_t k = 0; k < is->nvalues; k++)
    is->numbers[k] = integer ? low + step * k
                     : k + 1 == is->nvalues
                         ? last /* exactly the end, without drift */
                         : low + (last - low) * k / (is->nvalues - 1);
  is->min = low;
  is->max = last;
  is->step = integer ? step : 0;
  return true;
}

static bool read_range(gw_loader *L, const gw_file *f, const json_t *r,
                       pl_issue *is, uint32_t i) {
  static const char *const keys[] = {"low", "high", "step", NULL};
  check_keys(L, f, r, "a range", keys);
  const json_t *lo = get(L, f, r, "low", -1, "a range");
  const json_t *hi = get(L, f, r, "high", -1, "a range");
  const json_t *st = get(L, f, r, "step", -1, "a range");
  if (!lo || !hi || !st)
    return false;
  double low = json_number_value(lo), high = json_number_value(hi),
         step = json_number_value(st);
  if (!(step > 0) || !(high >= low) || !isfinite(high - low)) {
    gw_fail(L, f, r, "issue '%s': a range needs low <= high and step > 0",
            is->name);
    return false;
  }
  L->range_low[i] = low;
  L->range_high[i] = high;
  return make_range(L, f, r, is, low, high, step);
}

static bool read_value_set(gw_loader *L, const gw_file *f, const json_t *vs,
                           pl_issue *is, uint32_t i) {
  if (!json_is_object(vs)) {
    gw_fail(L, f, place(vs, L->dissues),
            "issue '%s' must be {\"values\": [...]} or {\"range\": {...}}, "
            "not %s",
            is->name, pl_json_type_name(vs));
    return false;
  }
  static const char *const keys[] = {"values", "range", NULL};
  check_keys(L, f, vs, "an issue's values", keys);
  const json_t *vals = json_object_get(vs, "values");
  const json_t *range = json_object_get(vs, "range");
  if (!vals == !range) {
    gw_fail(L, f, vs,
            "issue '%s' needs exactly one of \"values\" or "
            "\"range\"",
            is->name);
    return false;
  }
  if (vals && !json_is_array(vals)) {
    gw_fail(L, f, place(vals, vs), "\"values\" of issue '%s' must be an array",
            is->name);
    return false;
  }
  if (range && !json_is_object(range)) {
    gw_fail(L, f, place(range, vs), "\"range\" of issue '%s' must be an object",
            is->name);
    return false;
  }
  return vals ? read_labels(L, f, vals, is) : read_range(L, f, range, is, i);
}

static bool read_domain(gw_loader *L, const gw_file *f, const json_t *dom) {
  pl_scenario *s = L->s;
  static const char *const keys[] = {"name", "issuesValues", NULL};
  check_keys(L, f, dom, "the domain", keys);
  const json_t *name = get(L, f, dom, "name", JSON_STRING, "the domain");
  const json_t *iv = get(L, f, dom, "issuesValues", JSON_OBJECT, "the domain");
  if (!name || !iv)
    return false;
  L->dfile = f;
  L->dissues = iv;
  s->name = pl_arena_strdup(&s->arena, json_string_value(name));
  size_t n = json_object_size(iv);
  if (n == 0 || n > PL_MAX_ISSUES) {
    gw_fail(L, f, iv, "a domain needs 1 to %d issues, not %zu", PL_MAX_ISSUES,
            n);
    return false;
  }
  s->issues = pl_arena_calloc(&s->arena, n, sizeof *s->issues);
  if (!s->issues)
    return false;
  bool ok = true;
  const char *key;
  json_t *vs;
  json_object_foreach((json_t *)iv, key, vs) {
    pl_issue *is = &s->issues[s->nissues];
    is->name = pl_arena_strdup(&s->arena, key);
    ok &= read_value_set(L, f, vs, is, s->nissues);
    s->nissues++;
  }
  return ok;
}

/* ---- Profiles ------------------------------------------------------------ */

/* A profile's own copy of the domain must be the domain's issues. */
static void check_same_domain(gw_loader *L, const gw_file *f,
                              const json_t *dom) {
  const json_t *iv =
      json_is_object(dom) ? json_object_get(dom, "issuesValues") : NULL;
  if (!json_is_object(iv)) {
    gw_fail(L, f, dom,
            "the profile's \"domain\" has no \"issuesValues\" "
            "object");
    return;
  }
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)iv, key, v) {
    const json_t *mine = json_object_get(L->dissues, key);
    if (!mine)
      gw_fail_key(L, f, place(v, iv),
                  "the profile's domain has issue '%s', which %s does not", key,
                  L->dfile->path);
    else if (!json_equal((json_t *)mine, v))
      gw_fail_key(L, f, place(v, iv),
                  "the profile's domain gives issue '%s' other values than "
                  "%s",
                  key, L->dfile->path);
  }
  for (uint32_t i = 0; i < L->s->nissues; i++)
    if (!json_object_get(iv, L->s->issues[i].name))
      gw_fail(L, f, iv, "the profile's domain lacks issue '%s' of %s",
              L->s->issues[i].name, L->dfile->path);
}

static bool read_discrete_utils(gw_loader *L, const gw_file *f, const json_t *u,
                                const pl_issue *is, double *out) {
  static const char *const keys[] = {"valueUtilities", NULL};
  check_keys(L, f, u, "discrete utilities", keys);
  const json_t *vu =
      get(L, f, u, "valueUtilities", JSON_OBJECT, "discrete utilities");
  if (!vu)
    return false;
  bool ok = true;
  uint32_t missing = 0, unknown = 0;
  char what[320];
  snprintf(what, sizeof what, "the utilities of issue '%s'", is->name);
  for (uint32_t k = 0; k < is->nvalues; k++)
    if (json_object_get(vu, is->labels[k]) || ++missing <= PL_LISTED_MAX)
      ok &= get_unit(L, f, vu, is->labels[k], what, &out[k]);
  if (missing > PL_LISTED_MAX)
    gw_fail(L, f, vu,
            "and %u more values of issue '%s' have no utility (%u "
            "in all)",
            missing - PL_LISTED_MAX, is->name, missing);
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)vu, key, v) {
    if (pl_issue_find_label(is, key) < 0 && ++unknown <= PL_LISTED_MAX)
      gw_fail_key(L, f, place(v, vu), "'%s' is not a value of issue '%s'", key,
                  is->name);
  }
  if (unknown > PL_LISTED_MAX)
    gw_fail(L, f, vu,
            "and %u more keys are not values of issue '%s' (%u in "
            "all)",
            unknown - PL_LISTED_MAX, is->name, unknown);
  return ok && missing == 0 && unknown == 0;
}

static bool read_number_utils(gw_loader *L, const gw_file *f, const json_t *u,
                              const pl_issue *is, uint32_t i, double *out,
                              pl_value_shape *shape) {
  static const char *const keys[] = {"lowValue", "lowUtility", "highValue",
                                     "highUtility", NULL};
  const char *what = "number utilities";
  check_keys(L, f, u, what, keys);
  const json_t *lv = get(L, f, u, "lowValue", -1, what);
  const json_t *hv = get(L, f, u, "highValue", -1, what);
  double lu, hu;
  bool ok = get_unit(L, f, u, "lowUtility", what, &lu);
  ok &= get_unit(L, f, u, "highUtility", what, &hu);
  if (!lv || !hv || !ok)
    return false;
  double low = json_number_value(lv), high = json_number_value(hv);
  double tol = 1e-9 * fmax(1, fabs(L->range_high[i]));
  if (fabs(low - L->range_low[i]) > tol ||
      fabs(high - L->range_high[i]) > tol || !(high > low)) {
    gw_fail(L, f, u,
            "issue '%s': lowValue and highValue must be the ends of the "
            "issue's range, low below high",
            is->name);
    return false;
  }
  for (uint32_t k = 0; k < is->nvalues; k++)
    out[k] = number_utility(low, lu, high, hu, is->numbers[k]);
  *shape = (lu == 0 && hu == 1) || (lu == 1 && hu == 0) ? PL_SHAPE_LINEAR
                                                        : PL_SHAPE_TABLE;
  return true;
}

static bool read_issue_utils(gw_loader *L, const gw_file *f, const json_t *iu,
                             uint32_t i, pl_actor *a) {
  const pl_issue *is = &L->s->issues[i];
  const json_t *u = json_object_get(iu, is->name);
  if (!u) {
    gw_fail(L, f, iu, "no utilities for issue '%s'", is->name);
    return false;
  }
  const char *kind = json_is_object(u) && json_object_size(u) == 1
                         ? json_object_iter_key(json_object_iter((json_t *)u))
                         : NULL;
  const json_t *body = kind ? json_object_get(u, kind) : NULL;
  bool discrete = kind && (!strcmp(kind, "DiscreteValueSetUtilities") ||
                           !strcmp(kind, "discreteutils"));
  bool number = kind && (!strcmp(kind, "NumberValueSetUtilities") ||
                         !strcmp(kind, "numberutils"));
  if ((!discrete && !number) || !json_is_object(body)) {
    gw_fail(L, f, place(u, iu),
            "the utilities of issue '%s' must be {\"DiscreteValueSetUtilities"
            "\": {...}} or {\"NumberValueSetUtilities\": {...}}",
            is->name);
    return false;
  }
  if (discrete != (is->kind == PL_ISSUE_CATEGORICAL)) {
    gw_fail_key(L, f, body, "issue '%s' has %s values but %s utilities",
                is->name, discrete ? "number" : "discrete", kind);
    return false;
  }
  double *out = pl_arena_calloc(&L->s->arena, is->nvalues, sizeof *out);
  if (!out)
    return false;
  a->values[i] = out;
  return discrete ? read_discrete_utils(L, f, body, is, out)
                  : read_number_utils(L, f, body, is, i, out, &a->shapes[i]);
}

static void read_weights(gw_loader *L, const gw_file *f, const json_t *w,
                         pl_actor *a) {
  double sum = 0;
  bool ok = true;
  for (uint32_t i = 0; i < L->s->nissues; i++) {
    ok &= get_unit(L, f, w, L->s->issues[i].name, "\"issueWeights\"",
                   &a->weights[i]);
    sum += a->weights[i];
  }
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)w, key, v) {
    if (pl_find_issue(L->s, key) < 0) {
      gw_fail_key(L, f, place(v, w), "weight for unknown issue '%s'", key);
      ok = false;
    }
  }
  char b[48];
  if (ok && fabs(sum - 1) > 1e-6)
    gw_fail(L, f, w, "the weights add up to %s; they must add up to 1",
            num(b, sizeof b, sum));
}

static bool bid_value(gw_loader *L, const gw_file *f, const json_t *v,
                      const json_t *parent, const pl_issue *is, uint32_t *out) {
  int64_t found = -1;
  if (is->kind == PL_ISSUE_CATEGORICAL && json_is_string(v))
    found = pl_issue_find_label(is, json_string_value(v));
  for (uint32_t k = 0; is->kind != PL_ISSUE_CATEGORICAL && json_is_number(v) &&
                       found < 0 && k < is->nvalues;
       k++)
    if (fabs(is->numbers[k] - json_number_value(v)) <= PL_EPS)
      found = k;
  if (found >= 0) {
    *out = (uint32_t)found;
    return true;
  }
  gw_fail(L, f, place(v, parent),
          "the reservation bid's value for issue '%s' is not one of its "
          "values",
          is->name);
  return false;
}

static void read_bid(gw_loader *L, const gw_file *f, const json_t *las,
                     uint32_t p) {
  const json_t *rb = json_object_get(las, "reservationBid");
  if (!rb || json_is_null(rb))
    return;
  const json_t *iv =
      json_is_object(rb) ? json_object_get(rb, "issuevalues") : NULL;
  if (!json_is_object(iv)) {
    gw_fail(L, f, place(rb, las),
            "\"reservationBid\" must be null or {\"issuevalues\": {...}}");
    return;
  }
  uint32_t n = L->s->nissues;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)iv, key, v) {
    int32_t i = pl_find_issue(L->s, key);
    if (i < 0)
      gw_fail_key(L, f, place(v, iv),
                  "the reservation bid names unknown "
                  "issue '%s'",
                  key);
    else if (bid_value(L, f, v, iv, &L->s->issues[i], &L->bids[p * n + i]))
      L->bid_set[p * n + i] = true;
  }
}

static const char *const LAS_KEYS[] = {
    "issueUtilities", "issueWeights", "domain", "name", "reservationBid", NULL};

static void read_profile(gw_loader *L, const gw_file *f, uint32_t p) {
  pl_scenario *s = L->s;
  pl_actor *a = &s->actors[p];
  const json_t *las = json_object_get(f->root, "LinearAdditiveUtilitySpace");
  if (!json_is_object(las)) {
    gw_fail(L, f, place(las, f->root),
            "\"LinearAdditiveUtilitySpace\" must be an object, not %s",
            pl_json_type_name(las));
    return;
  }
  a->kind = PL_PARTY;
  a->party = -1;
  a->discount = 1;
  a->file = pl_arena_strdup(&s->arena, f->path);
  a->weights = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->weights);
  a->values = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->values);
  a->shapes = pl_arena_calloc(&s->arena, s->nissues, sizeof *a->shapes);
  if (!a->file || !a->weights || !a->values || !a->shapes) {
    gw_fail(L, f, NULL, "out of memory");
    return;
  }
  check_keys(L, f, las, "the profile", LAS_KEYS);
  const json_t *dom = get(L, f, las, "domain", JSON_OBJECT, "the profile");
  const json_t *iu =
      get(L, f, las, "issueUtilities", JSON_OBJECT, "the profile");
  const json_t *w = get(L, f, las, "issueWeights", JSON_OBJECT, "the profile");
  if (dom && f != L->dfile)
    check_same_domain(L, f, dom);
  if (iu) {
    for (uint32_t i = 0; i < s->nissues; i++)
      read_issue_utils(L, f, iu, i, a);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)iu, key, v) {
      if (pl_find_issue(s, key) < 0)
        gw_fail_key(L, f, place(v, iu), "utilities for unknown issue '%s'",
                    key);
    }
  }
  if (w)
    read_weights(L, f, w, a);
  read_bid(L, f, las, p);
}

/* The reservation value is the utility of the reservation bid: summed in
 * issue order like pl_actor_utility, an issue the bid leaves out counting
 * 0 as in GeniusWeb. */
static void set_thresholds(gw_loader *L) {
  pl_scenario *s = L->s;
  uint32_t n = s->nissues;
  for (uint32_t p = 0; p < s->nparties; p++) {
    double u = 0;
    for (uint32_t i = 0; i < n; i++)
      u += L->bid_set[p * n + i] ? s->term[p][s->offset[i] + L->bids[p * n + i]]
                                 : 0.0;
    s->actors[p].threshold = u;
  }
}

/* ---- Files and folders --------------------------------------------------- */

static gw_kind classify(const json_t *root) {
  if (json_is_object(root) &&
      json_object_get(root, "LinearAdditiveUtilitySpace"))
    return GW_PROFILE;
  if (json_is_object(root) && json_object_get(root, "issuesValues"))
    return GW_DOMAIN;
  return GW_OTHER;
}

static const char *stem_of(pl_arena *ar, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char *s = pl_arena_strdup(ar, base);
  char *dot = s ? strrchr(s, '.') : NULL;
  if (dot && dot != s)
    *dot = 0;
  return s ? s : path;
}

static bool open_file(gw_loader *L, gw_file *f, pl_arena *tmp) {
  char *text = pl_read_file(f->path, L->d);
  if (!text) {
    L->errors++;
    return false;
  }
  json_error_t err;
  f->root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!f->root) {
    pl_diag_add(L->d, f->path, err.line > 0 ? err.line : 0,
                err.column > 0 ? err.column : 0, "invalid JSON: %s", err.text);
    L->errors++;
  } else {
    f->pos = pl_json_pos_build(text, f->root);
    f->kind = classify(f->root);
  }
  free(text);
  f->stem = stem_of(tmp, f->path);
  return f->root != NULL;
}

static int cmp_paths(const void *x, const void *y) {
  const char *a = *(const char *const *)x, *b = *(const char *const *)y;
  int c = pl_natural_cmp(a, b);
  return c ? c : strcmp(a, b);
}

/* The regular, visible *.json files of `dir`, in natural order. */
static const char **list_folder(gw_loader *L, const char *dir, pl_arena *tmp,
                                size_t *n) {
  DIR *dp = opendir(dir);
  if (!dp) {
    pl_diag_add(L->d, dir, 0, 0, "cannot open folder: %s", strerror(errno));
    L->errors++;
    return NULL;
  }
  size_t cap = 16;
  const char **paths = pl_arena_calloc(tmp, cap, sizeof *paths);
  struct dirent *e;
  *n = 0;
  while (paths && (e = readdir(dp))) {
    if (e->d_name[0] == '.' || !has_ext(e->d_name, ".json"))
      continue;
    char *p = join_path(dir, "", e->d_name);
    struct stat st;
    bool regular = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
    const char *kept = regular ? pl_arena_strdup(tmp, p) : NULL;
    free(p);
    if (!kept)
      continue;
    if (*n == cap) {
      const char **more = pl_arena_calloc(tmp, 2 * cap, sizeof *more);
      if (more)
        memcpy(more, paths, cap * sizeof *more);
      paths = more;
      cap *= 2;
    }
    if (paths)
      paths[(*n)++] = kept;
  }
  closedir(dp);
  if (!paths) {
    pl_diag_add(L->d, dir, 0, 0, "out of memory");
    L->errors++;
    return NULL;
  }
  qsort(paths, *n, sizeof *paths, cmp_paths);
  return paths;
}

/* Sorts the opened files into one domain and the profiles, in order. */
static const gw_file *sort_files(gw_loader *L, gw_file *files, size_t n,
                                 bool folder, const gw_file **profiles,
                                 size_t *np) {
  const gw_file *domain = NULL;
  *np = 0;
  for (size_t k = 0; k < n; k++) {
    gw_file *f = &files[k];
    if (!f->root)
      continue;
    if (f->kind == GW_PROFILE)
      profiles[(*np)++] = f;
    else if (f->kind == GW_DOMAIN && domain)
      gw_fail(L, f, f->root,
              "a second domain (the first is %s); a scenario has one domain",
              domain->path);
    else if (f->kind == GW_DOMAIN)
      domain = f;
    else if (!folder) /* in a folder, other JSON files are not ours */
      gw_fail(L, f, f->root,
              "neither a GeniusWeb domain (with \"issuesValues\") nor a "
              "profile (with \"LinearAdditiveUtilitySpace\")");
  }
  return domain;
}

static bool read_parties(gw_loader *L, const gw_file *const *profiles,
                         size_t np) {
  pl_scenario *s = L->s;
  size_t n = np * s->nissues;
  s->actors = pl_arena_calloc(&s->arena, np, sizeof *s->actors);
  L->bids = pl_arena_calloc(&s->arena, n, sizeof *L->bids);
  L->bid_set = pl_arena_calloc(&s->arena, n, sizeof *L->bid_set);
  if (!s->actors || !L->bids || !L->bid_set)
    return false;
  for (size_t p = 0; p < np; p++) {
    read_profile(L, profiles[p], (uint32_t)p);
    /* Parties are named after their files, as GENIUS parties are. */
    char name[512];
    snprintf(name, sizeof name, "%s", profiles[p]->stem);
    for (unsigned k = 2; pl_find_actor(s, name) >= 0; k++)
      snprintf(name, sizeof name, "%s-%u", profiles[p]->stem, k);
    s->actors[p].name = pl_arena_strdup(&s->arena, name);
    s->nparties = (uint32_t)p + 1;
  }
  return true;
}

static void build(gw_loader *L, const gw_file *domain,
                  const gw_file *const *profiles, size_t np,
                  const char *where) {
  pl_scenario *s = L->s;
  if (np < 2 || np > PL_MAX_PARTIES) {
    pl_diag_add(L->d, where, 0, 0,
                "%zu profiles; a GeniusWeb scenario needs 2 to %d profiles "
                "(objects with \"LinearAdditiveUtilitySpace\")",
                np, PL_MAX_PARTIES);
    L->errors++;
    return;
  }
  /* Without a domain file, the first profile's copy is the domain. */
  const gw_file *src = domain ? domain : profiles[0];
  const json_t *dom =
      domain ? domain->root
             : json_object_get(json_object_get(profiles[0]->root,
                                               "LinearAdditiveUtilitySpace"),
                               "domain");
  if (!json_is_object(dom)) {
    gw_fail(L, src, src->root,
            "no domain: give domain.json or a profile "
            "with a \"domain\"");
    return;
  }
  if (!read_domain(L, src, dom))
    return;
  if (!read_parties(L, profiles, np)) {
    pl_diag_add(L->d, where, 0, 0, "out of memory");
    L->errors++;
  }
  if (!L->errors && !pl_scenario_finish(s)) {
    pl_diag_add(L->d, where, 0, 0, "out of memory");
    L->errors++;
  }
  if (!L->errors)
    set_thresholds(L);
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

pl_scenario *pl_geniusweb_load(const char *const *paths, size_t n, pl_diag *d) {
  gw_loader L = {.d = d};
  if (n == 0 || !paths) {
    pl_diag_add(d, NULL, 0, 0, "no GeniusWeb files given");
    return NULL;
  }
  pl_arena tmp;
  pl_arena_init(&tmp);
  bool folder = n == 1 && paths && is_dir(paths[0]);
  const char *where = n && paths ? paths[0] : NULL;
  const char **list =
      folder ? list_folder(&L, paths[0], &tmp, &n) : (const char **)paths;
  gw_file *files = list ? calloc(n ? n : 1, sizeof *files) : NULL;
  const gw_file **profiles = files ? calloc(n ? n : 1, sizeof *profiles) : NULL;
  L.s = pl_scenario_new();
  if (!L.errors && (!files || !profiles || !L.s)) {
    pl_diag_add(d, where, 0, 0, "out of memory");
    L.errors++;
  }
  /* Every file is parsed, so that all syntax errors show at once. */
  bool opened = !L.errors;
  for (size_t k = 0; opened && k < n; k++) {
    files[k].path = list[k];
    open_file(&L, &files[k], &tmp);
  }
  size_t np = 0;
  const gw_file *domain =
      L.errors ? NULL : sort_files(&L, files, n, folder, profiles, &np);
  if (!L.errors) {
    L.s->file = pl_arena_strdup(&L.s->arena, where);
    L.s->reading = PL_READING_PARLEY; /* additive, weights sum 1, no cap */
    build(&L, domain, profiles, np, where);
  }
  for (size_t k = 0; files && k < n; k++) {
    pl_json_pos_free(files[k].pos);
    json_decref(files[k].root);
  }
  free(files);
  free(profiles);
  pl_arena_release(&tmp);
  if (L.errors) {
    pl_scenario_free(L.s);
    return NULL;
  }
  return L.s;
}
