# Ember build.
#
#   make                      build src/redis-server (-O2 -g)
#   make WERROR=1             the same with -Werror (CI)
#   make MALLOC=libc          build without jemalloc
#   make SANITIZER=address    (or undefined, or address,undefined)
#   make noopt                build with -O0
#   make unit                 build and run the C unit tests of the base libraries
#   make test                 unit tests, then the Tcl suite (./runtest)
#   make run                  build, then run the server with ./redis.conf
#   make check                house rules: base libraries never include server.h, no .c over 1,500 lines
#
# Two floors: src/lib/ holds the base libraries (event loop, sockets, strings,
# tables, encodings), compiled with only src/lib/ on the include path so that
# one reaching for server.h fails to compile; src/ holds the server, which sees
# both. Dependencies on headers come from the compiler (-MMD), one .d per object.
#
# jemalloc is used when Debian's libjemalloc-dev is installed (deps/detect-jemalloc.sh
# decides); otherwise the build falls back to libc malloc.

CC ?= cc
OPT ?= -O2
STD = -std=c11 -D_GNU_SOURCE
WARN = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif

ifeq ($(MALLOC),)
MALLOC := $(shell sh deps/detect-jemalloc.sh)
endif

CFLAGS_ALL = $(STD) $(WARN) $(OPT) -g $(CFLAGS)
LDLIBS = -lm -lpthread
ifeq ($(MALLOC),jemalloc)
CFLAGS_ALL += -DUSE_JEMALLOC
LDLIBS += -ljemalloc
endif

ifneq ($(SANITIZER),)
CFLAGS_ALL += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=$(SANITIZER)
# Sanitizer builds use libc malloc: ASan replaces the allocator anyway.
CFLAGS_ALL := $(filter-out -DUSE_JEMALLOC,$(CFLAGS_ALL))
LDLIBS := $(filter-out -ljemalloc,$(LDLIBS))
endif

# Base libraries: usable alone, never include server.h.
BASE_NAMES = ae anet sds dict zmalloc util resp siphash adlist listpack intset quicklist lzf
BASE_OBJ = $(BASE_NAMES:%=src/lib/%.o)
# The server proper.
SERVER_OBJ = src/server.o src/networking.o src/reply.o src/commands.o \
             src/config.o src/config_rewrite.o src/config_special.o src/object.o src/db.o src/dict_types.o src/t_string.o src/client.o \
             src/cmd_command.o src/info.o src/debug.o src/log.o src/notify_systemd.o \
             src/cmd_connection.o src/expire.o src/bitops.o \
             src/t_list.o src/t_hash.o src/t_set.o src/t_zset.o src/t_zset_cmd.o src/blocked.o \
             src/sort.o

# Each unit test is src/lib/unit/test_NAME.c with its own main, linked with the base libraries.
UNIT_SRC = $(wildcard src/lib/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)

# Sanitizer and optimisation settings are remembered; a change forces a rebuild.
BUILD_ID = $(CC) $(CFLAGS_ALL) $(LDFLAGS) $(LDLIBS)
PREV_BUILD_ID = $(shell cat src/.build-id 2>/dev/null)
ifneq ($(BUILD_ID),$(PREV_BUILD_ID))
$(shell rm -f src/*.o src/*.d src/lib/*.o src/lib/*.d src/redis-server $(UNIT_BIN); echo '$(BUILD_ID)' > src/.build-id)
endif

all: src/redis-server

src/redis-server: $(BASE_OBJ) $(SERVER_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

src/lib/%.o: src/lib/%.c
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

src/%.o: src/%.c
	$(CC) $(CFLAGS_ALL) -Isrc/lib -MMD -MP -c -o $@ $<

src/lib/unit/test_%: src/lib/unit/test_%.c $(BASE_OBJ)
	$(CC) $(CFLAGS_ALL) -Isrc/lib -MMD -MP $(LDFLAGS) -o $@ $< $(BASE_OBJ) $(LDLIBS)

-include $(wildcard src/*.d src/lib/*.d src/lib/unit/*.d)

noopt:
	$(MAKE) OPT=-O0

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do ./$$t || fail=1; done; exit $$fail

deps:
	@sh utils/install-deps.sh --if-missing

MAX_LINES = 1500
check:
	@bad=0; for f in src/lib/*.c src/lib/*.h; do \
	  if grep -q '#include "server.h"' $$f; then echo "$$f includes server.h"; bad=1; fi; \
	done; \
	for f in src/*.c src/lib/*.c; do \
	  n=$$(wc -l < $$f); \
	  if [ $$n -gt $(MAX_LINES) ]; then echo "$$f has $$n lines (limit $(MAX_LINES)): split it"; bad=1; fi; \
	done; exit $$bad

# The Tcl suite runs even when a unit test failed, so one run reports both;
# the runner's "N passed, N failed" stays the last line of its output.
test: deps all check
	@fail=0; $(MAKE) --no-print-directory unit || fail=1; ./runtest || fail=1; exit $$fail

run: deps all
	./src/redis-server ./redis.conf

bench: all
	bash utils/bench.sh

clean:
	rm -f src/*.o src/*.d src/lib/*.o src/lib/*.d src/lib/unit/*.d src/redis-server src/.build-id $(UNIT_BIN)

.PHONY: all noopt unit deps check test run bench clean
