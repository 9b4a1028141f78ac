/* empty.c - a source for targets made of a static library
 * linked whole (CMake needs one file per library). */
typedef int pl_empty_unit;
