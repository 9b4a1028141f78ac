/* page.c - the HTML page and its plots (page.h, parley_report.h). */
#define _POSIX_C_SOURCE 200809L
#include "report/page.h"
#include "util/fmt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  return p ? memcpy(p, s, n) : NULL;
}

pl_report *pl_report_new(const char *title) {
  pl_report *r = calloc(1, sizeof *r);
  if (r && !(r->title = copy(title ? title : "parley report"))) {
    free(r);
    r = NULL;
  }
  return r;
}

void pl_report_free(pl_report *r) {
  if (!r)
    return;
  for (size_t k = 0; k < r->nplots; k++)
    free(r->plots[k].name), free(r->plots[k].svg);
  free(r->plots);
  pl_buf_free(&r->body);
  pl_buf_free(&r->toc);
  free(r->title);
  free(r);
}

/* ---- Building ----------------------------------------------------------- */

void pl_page_section(pl_report *r, const char *heading) {
  r->sections++;
  if (r->sections > 1)
    pl_buf_puts(&r->body, "</section>\n");
  pl_buf_printf(&r->body, "<section id=\"s%u\">\n<h2>", r->sections);
  pl_xml_text(&r->body, heading);
  pl_buf_puts(&r->body, "</h2>\n");
  pl_buf_printf(&r->toc, "<li><a href=\"#s%u\">", r->sections);
  pl_xml_text(&r->toc, heading);
  pl_buf_puts(&r->toc, "</a></li>\n");
}

void pl_page_heading(pl_report *r, const char *text) {
  pl_buf_puts(&r->body, "<h3>");
  pl_xml_text(&r->body, text);
  pl_buf_puts(&r->body, "</h3>\n");
}

void pl_page_para(pl_report *r, const char *cls, const char *fmt, ...) {
  char small[1024], *text = small;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof small) {
    text = malloc((size_t)n + 1);
    if (!text) {
      r->failed = true;
      return;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  pl_buf_puts(&r->body, "<p");
  if (cls)
    pl_buf_printf(&r->body, " class=\"%s\"", cls);
  pl_buf_puts(&r->body, ">");
  pl_xml_text(&r->body, text);
  pl_buf_puts(&r->body, "</p>\n");
  if (text != small)
    /* cppcheck-suppress autovarInvalidDeallocation ; only when malloc made it
     */
    free(text);
}

void pl_page_raw(pl_report *r, const char *html) {
  pl_buf_puts(&r->body, html);
}

void pl_page_text(pl_report *r, const char *text) {
  pl_xml_text(&r->body, text);
}

static void cells(pl_report *r, const char *tag, const char *const *c,
                  size_t n) {
  pl_buf_puts(&r->body, "<tr>");
  for (size_t k = 0; k < n; k++) {
    const char *t = c[k] ? c[k] : "";
    bool num = t[0] == '#';
    pl_buf_printf(&r->body, "<%s%s>", tag, num ? " class=\"n\"" : "");
    pl_xml_text(&r->body, num ? t + 1 : t);
    pl_buf_printf(&r->body, "</%s>", tag);
  }
  pl_buf_puts(&r->body, "</tr>\n");
}

void pl_page_table_begin(pl_report *r, const char *caption,
                         const char *const *head, size_t n) {
  pl_buf_puts(&r->body, "<table>");
  if (caption) {
    pl_buf_puts(&r->body, "<caption>");
    pl_xml_text(&r->body, caption);
    pl_buf_puts(&r->body, "</caption>");
  }
  pl_buf_puts(&r->body, "\n<thead>");
  cells(r, "th", head, n);
  pl_buf_puts(&r->body, "</thead>\n<tbody>\n");
}

void pl_page_table_row(pl_report *r, const char *const *c, size_t n) {
  cells(r, "td", c, n);
}

void pl_page_table_end(pl_report *r) {
  pl_buf_puts(&r->body, "</tbody></table>\n");
}

/* A unique file stem: the name, or name-2, name-3, ... */
static char *unique_name(const pl_report *r, const char *name) {
  char buf[128];
  for (unsigned k = 1;; k++) {
    if (k == 1)
      snprintf(buf, sizeof buf, "%s", name);
    else
      snprintf(buf, sizeof buf, "%s-%u", name, k);
    bool taken = false;
    for (size_t i = 0; i < r->nplots && !taken; i++)
      taken = !strcmp(r->plots[i].name, buf);
    if (!taken)
      return copy(buf);
  }
}

void pl_page_plot(pl_report *r, const char *name, pl_svg *g,
                  const char *caption) {
  pl_svg_end(g);
  if (g->b.failed || r->nplots == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 8;
    pl_plot *p = g->b.failed ? NULL : realloc(r->plots, cap * sizeof *p);
    if (!p) {
      r->failed = true;
      pl_svg_free(g);
      return;
    }
    r->plots = p;
    r->cap = cap;
  }
  pl_plot *p = &r->plots[r->nplots];
  p->name = unique_name(r, name);
  p->svg = g->b.p;
  g->b = (pl_buf){0};
  if (!p->name) {
    free(p->svg);
    r->failed = true;
    return;
  }
  r->nplots++;
  pl_buf_printf(&r->body, "<figure id=\"%s\">\n", p->name);
  pl_buf_puts(&r->body, p->svg);
  if (caption) {
    pl_buf_puts(&r->body, "<figcaption>");
    pl_xml_text(&r->body, caption);
    pl_buf_puts(&r->body, "</figcaption>\n");
  }
  pl_buf_puts(&r->body, "</figure>\n");
}

void pl_page_count(char *buf, size_t len, uint64_t n) {
  char digits[32];
  int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
  size_t k = 0;
  for (int i = 0; i < nd && k + 2 < len; i++) {
    if (i && (nd - i) % 3 == 0)
      buf[k++] = ',';
    buf[k++] = digits[i];
  }
  if (len)
    buf[k < len ? k : len - 1] = 0;
}

const char *pl_page_fixed(char *buf, size_t len, double x, int digits) {
  pl_fmt_fixed(buf, len, x, digits);
  return buf;
}

/* ---- Writing ------------------------------------------------------------ */

/* Colours from the Okabe-Ito palette; sizes that print on A4. */
static const char STYLE[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#111;"
    "max-width:62rem;margin:1.5rem auto;padding:0 1rem;line-height:1.45}\n"
    "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;"
    "border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2rem}\n"
    "h3{font-size:1.05rem;margin-bottom:.3rem}\n"
    ".sub{color:#555;margin-top:0}.verdict{font-size:1.1rem;font-weight:bold;"
    "border-left:5px solid #D55E00;padding:.4rem .8rem;background:#fbf3ec}\n"
    ".verdict.ok{border-color:#009E73;background:#eef8f4}\n"
    ".note{color:#444;font-size:.92rem}\n"
    "table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}\n"
    "caption{text-align:left;font-weight:bold;padding:.2rem 0}\n"
    "th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;"
    "vertical-align:top}th{background:#eef3f8}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    "figure{margin:1rem 0;overflow-x:auto}figcaption{font-size:.9rem;"
    "color:#333;max-width:52rem}\n"
    "svg{max-width:100%;height:auto}nav ol{columns:2;font-size:.95rem}\n"
    "#tip{position:fixed;display:none;background:#111;color:#fff;"
    "padding:.25rem .5rem;border-radius:3px;font-size:.8rem;"
    "pointer-events:none;max-width:24rem;white-space:pre-line}\n"
    "@media print{nav,#tip{display:none}figure{break-inside:avoid}}\n";

/* Optional: shows an element's hover title at once, next to the pointer
 * (the browser shows the same <title> after a delay without it). */
static const char SCRIPT[] =
    "(function(){var t=document.getElementById('tip');"
    "document.addEventListener('mousemove',function(e){"
    "var n=e.target,s=null;while(n&&n.nodeName!=='svg'&&!s){"
    "for(var c=n.firstChild;c;c=c.nextSibling)"
    "if(c.nodeName==='title'){s=c.textContent;break;}n=n.parentNode;}"
    "if(!s||!n){t.style.display='none';return;}t.textContent=s;"
    "t.style.left=(e.clientX+14)+'px';t.style.top=(e.clientY+14)+'px';"
    "t.style.display='block';});})();\n";

pl_status pl_report_write_html(const pl_report *r, FILE *out) {
  if (r->failed || r->body.failed || r->toc.failed)
    return PL_ENOMEM;
  pl_buf head = {0};
  pl_buf_puts(&head, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
  pl_xml_text(&head, r->title);
  pl_buf_printf(&head,
                "</title>\n<meta name=\"generator\" content=\"parley "
                "%s\">\n<style>\n",
                pl_version());
  pl_buf_puts(&head, STYLE);
  pl_buf_puts(&head, "</style>\n</head>\n<body>\n<header><h1>");
  pl_xml_text(&head, r->title);
  pl_buf_printf(&head,
                "</h1>\n<p class=\"sub\">Report by parley %s. Every "
                "number is defined in parley's docs/analysis.md; the "
                "plots are explained in docs/report.md.</p>\n"
                "</header>\n",
                pl_version());
  if (head.failed) {
    pl_buf_free(&head);
    return PL_ENOMEM;
  }
  bool ok = fwrite(head.p, 1, head.len, out) == head.len;
  pl_buf_free(&head);
  if (r->sections > 1) {
    ok &= fputs("<nav><h2>Contents</h2><ol>\n", out) >= 0;
    ok &= fwrite(r->toc.p, 1, r->toc.len, out) == r->toc.len;
    ok &= fputs("</ol></nav>\n", out) >= 0;
  }
  ok &= fputs("<main>\n", out) >= 0;
  if (r->body.len)
    ok &= fwrite(r->body.p, 1, r->body.len, out) == r->body.len;
  if (r->sections)
    ok &= fputs("</section>\n", out) >= 0;
  ok &= fputs("</main>\n<div id=\"tip\"></div>\n<script>\n", out) >= 0;
  ok &= fputs(SCRIPT, out) >= 0;
  ok &= fputs("</script>\n</body>\n</html>\n", out) >= 0;
  return ok && !ferror(out) ? PL_OK : PL_EIO;
}

size_t pl_report_num_plots(const pl_report *r) { return r->nplots; }

const char *pl_report_plot_name(const pl_report *r, size_t i) {
  return i < r->nplots ? r->plots[i].name : NULL;
}

const char *pl_report_plot_svg(const pl_report *r, size_t i) {
  return i < r->nplots ? r->plots[i].svg : NULL;
}

/* dir/name.svg through dir/name.svg.tmp.PID, renamed when complete. */
static bool write_one(const char *dir, const pl_plot *p, pl_diag *d) {
  char path[4096], tmp[4200];
  if ((size_t)snprintf(path, sizeof path, "%s/%s.svg", dir, p->name) >=
      sizeof path) {
    pl_diag_add(d, dir, 0, 0, "cannot write plots: path too long");
    return false;
  }
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  size_t len = strlen(p->svg);
  bool ok = f && fwrite(p->svg, 1, len, f) == len;
  ok = f ? (fclose(f) == 0) && ok : false;
  ok = ok && rename(tmp, path) == 0;
  if (!ok) {
    pl_diag_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
    remove(tmp);
  }
  return ok;
}

pl_status pl_report_write_svgs(const pl_report *r, const char *dir,
                               pl_diag *d) {
  struct stat st;
  if (stat(dir, &st) != 0 && mkdir(dir, 0777) != 0) {
    pl_diag_add(d, dir, 0, 0, "cannot create the folder: %s", strerror(errno));
    return PL_EIO;
  }
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    pl_diag_add(d, dir, 0, 0, "cannot write plots: not a folder");
    return PL_EIO;
  }
  for (size_t k = 0; k < r->nplots; k++)
    if (!write_one(dir, &r->plots[k], d))
      return PL_EIO;
  return PL_OK;
}
