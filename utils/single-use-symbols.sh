#!/bin/sh
# Lists the global symbols defined in one object file of src/ that no other
# object file references: each should be static, or go when nothing uses it.
# Usage: utils/single-use-symbols.sh [tree]   (after make)
cd "${1:-.}"
objs=$(ls src/*.o src/lib/*.o)
for o in src/*.o; do
  nm --defined-only -g "$o" | awk '$2 ~ /[TDBR]/ {print $3}' | while read sym; do
    users=0
    for p in $objs; do
      [ "$p" = "$o" ] && continue
      if nm -u "$p" | awk '{print $NF}' | grep -qx "$sym"; then users=1; break; fi
    done
    [ $users -eq 0 ] && echo "$o $sym"
  done
done
