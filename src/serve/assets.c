/* assets.c - the page's files, embedded at build time from web/ by
 * cmake/embed_web.cmake into web_data.c, and their content types. */
#include "internal.h"

#include <string.h>

extern const sv_asset sv_assets[]; /* web_data.c, NULL-name terminated */

const sv_asset *sv_asset_find(const char *name) {
  for (const sv_asset *a = sv_assets; a->name; a++)
    if (!strcmp(a->name, name))
      return a;
  return NULL;
}

const char *sv_content_type(const char *name) {
  static const struct {
    const char *ext, *type;
  } types[] = {{".html", "text/html; charset=utf-8"},
               {".js", "text/javascript; charset=utf-8"},
               {".mjs", "text/javascript; charset=utf-8"},
               {".css", "text/css; charset=utf-8"},
               {".svg", "image/svg+xml; charset=utf-8"},
               {".json", "application/json; charset=utf-8"},
               {".txt", "text/plain; charset=utf-8"},
               {".png", "image/png"},
               {".ico", "image/x-icon"},
               {".woff2", "font/woff2"}};
  const char *dot = strrchr(name, '.');
  for (size_t k = 0; dot && k < sizeof types / sizeof *types; k++)
    if (!strcmp(dot, types[k].ext))
      return types[k].type;
  return "application/octet-stream";
}
