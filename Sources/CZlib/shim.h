// System zlib (Debian: zlib1g-dev), for gzip IDX files and dictzip dictionaries.
#include <zlib.h>
