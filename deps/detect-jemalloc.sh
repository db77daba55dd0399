#!/bin/sh
# Prints "jemalloc" when Debian's libjemalloc-dev (header and library) is usable
# by the compiler, "libc" otherwise. Used by the Makefile to pick the allocator.
CC=${CC:-cc}
tmp=$(mktemp -d 2>/dev/null || echo /tmp/ember-jemalloc.$$)
mkdir -p "$tmp"
printf '#include <jemalloc/jemalloc.h>\nint main(void){void *p=malloc(8);free(p);return (int)malloc_usable_size(p)*0;}\n' > "$tmp/t.c"
if $CC -o "$tmp/t" "$tmp/t.c" -ljemalloc >/dev/null 2>&1; then echo jemalloc; else echo libc; fi
rm -rf "$tmp"
