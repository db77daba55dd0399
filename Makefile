# Ember build.
#
#   make                      build src/redis-server (-O2 -g)
#   make WERROR=1             the same with -Werror (CI)
#   make MALLOC=libc          build without jemalloc
#   make BUILD_TLS=no         build without TLS (default: with it when OpenSSL's headers are there)
#   make SANITIZER=address    (or undefined, or address,undefined)
#   make noopt                build with -O0
#   make unit                 build and run the C unit tests of the base libraries
#   make test                 unit tests, then the Tcl suite (./runtest)
#   make run                  build, then run the server with ./redis.conf
#   make check                house rules: base libraries never include server.h, no .c over 1,500 lines
#   make fuzz                 build the libFuzzer targets (clang) and run each for FUZZ_TIME seconds
#   make install              copy src/redis-server to $(DESTDIR)$(PREFIX)/bin (PREFIX=/usr/local),
#                             with redis-check-aof and redis-check-rdb beside it (links: the same binary),
#                             building it first if it is not built yet
#   make uninstall            remove it from there
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

# Lua 5.1 for scripting, with Debian's cjson and bitop modules, all linked
# statically (liblua5.1-0-dev, lua-cjson-dev, lua-bitop-dev: utils/install-deps.sh).
LUA_INC ?= /usr/include/lua5.1
LUA_LIBDIR ?= /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)
LUA_LIBS = $(LUA_LIBDIR)/liblua5.1-cjson.a $(LUA_LIBDIR)/liblua5.1-bitop.a $(LUA_LIBDIR)/liblua5.1.a -ldl

CFLAGS_ALL = $(STD) $(WARN) $(OPT) -g $(CFLAGS)
LDLIBS = $(LUA_LIBS) -lm -lpthread

# TLS (src/tls.c) with OpenSSL from Debian's libssl-dev, found through
# pkg-config (or in /usr/include); BUILD_TLS=no leaves it out.
ifeq ($(BUILD_TLS),)
BUILD_TLS := $(shell if pkg-config --exists openssl 2>/dev/null || [ -f /usr/include/openssl/ssl.h ]; then echo yes; else echo no; fi)
endif
ifeq ($(BUILD_TLS),yes)
CFLAGS_ALL += -DUSE_OPENSSL $(shell pkg-config --cflags openssl 2>/dev/null)
LDLIBS += $(shell pkg-config --libs openssl 2>/dev/null || echo -lssl -lcrypto)
endif
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
# (ae_epoll.c is included by ae.c, not compiled alone.)
BASE_OBJ = $(patsubst %.c,%.o,$(filter-out src/lib/ae_epoll.c,$(wildcard src/lib/*.c)))
# The server proper: every .c directly under src/.
SERVER_OBJ = $(patsubst %.c,%.o,$(wildcard src/*.c))

# Each unit test is src/lib/unit/test_NAME.c with its own main, linked with the base libraries.
UNIT_SRC = $(wildcard src/lib/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)

# Sanitizer and optimisation settings are remembered; a change forces a rebuild.
# Goals that compile nothing (install copies what is built, check reads the
# sources) leave the build alone, whatever flags their command line has.
BUILD_ID = $(CC) $(CFLAGS_ALL) $(LDFLAGS) $(LDLIBS)
PREV_BUILD_ID = $(shell cat src/.build-id 2>/dev/null)
NO_BUILD_GOALS = install uninstall check deps clean
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NO_BUILD_GOALS),$(MAKECMDGOALS)),)
PREV_BUILD_ID := $(BUILD_ID)
endif
endif
ifneq ($(BUILD_ID),$(PREV_BUILD_ID))
$(shell rm -f src/*.o src/*.d src/lib/*.o src/lib/*.d src/redis-server src/redis-check-aof src/redis-check-rdb $(UNIT_BIN); echo '$(BUILD_ID)' > src/.build-id)
endif

all: src/redis-server src/redis-check-aof src/redis-check-rdb

# Lua's headers and static libraries must be there before anything under
# src/ compiles.
lua-check:
	@for f in $(LUA_INC)/lua.h $(LUA_LIBDIR)/liblua5.1.a $(LUA_LIBDIR)/liblua5.1-cjson.a $(LUA_LIBDIR)/liblua5.1-bitop.a; do \
	  if [ ! -f $$f ]; then echo "error: $$f is missing: install liblua5.1-0-dev lua-cjson-dev lua-bitop-dev (sh utils/install-deps.sh)" >&2; exit 1; fi; \
	done

# -rdynamic: function names in the stack traces of crash and watchdog reports.
src/redis-server: $(BASE_OBJ) $(SERVER_OBJ)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(LDLIBS)

# The same binary, chosen by argv[0].
src/redis-check-aof src/redis-check-rdb: src/redis-server
	ln -sf redis-server $@

src/lib/%.o: src/lib/%.c
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

src/%.o: src/%.c | lua-check
	$(CC) $(CFLAGS_ALL) -Isrc/lib -I$(LUA_INC) -MMD -MP -c -o $@ $<

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
# Files that handle clients but must reach their sockets only through the
# connection layer (make check greps them for direct I/O calls).
CLIENT_IO_FILES = src/networking.c src/client.c src/reply.c src/config.c src/cmd_connection.c

check:
	@bad=0; for f in src/lib/*.c src/lib/*.h; do \
	  if grep -q '#include "server.h"' $$f; then echo "$$f includes server.h"; bad=1; fi; \
	done; \
	for f in src/*.c src/lib/*.c; do \
	  n=$$(wc -l < $$f); \
	  if [ $$n -gt $(MAX_LINES) ]; then echo "$$f has $$n lines (limit $(MAX_LINES)): split it"; bad=1; fi; \
	done; \
	if grep -nE '[^a-zA-Z_>.](read|write|writev|recv|send)\(' $(CLIENT_IO_FILES); then \
	  echo "client sockets are read and written only through connection.h"; bad=1; fi; \
	exit $$bad

# The Tcl suite runs even when a unit test failed, so one run reports both;
# the runner's "N passed, N failed" stays the last line of its output.
test: deps all check
	@fail=0; $(MAKE) --no-print-directory unit || fail=1; ./runtest || fail=1; exit $$fail

run: deps all
	./src/redis-server ./redis.conf

bench: all
	bash utils/bench.sh
	bash utils/bench-instructions.sh
	python3 utils/bench-pubsub-instructions.py

# libFuzzer targets: src/lib/unit/fuzz_NAME.c, built by clang straight from
# the base library sources (instrumented, libc malloc), apart from the
# gcc objects. Each runs FUZZ_TIME seconds from the seeds in
# tests/fuzz/corpus/NAME; what it learns and any crashing input go to
# tests/tmp/fuzz/. A crash, a leak or a failed check fails the target.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_SRC = $(wildcard src/lib/unit/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:.c=)
FUZZ_LIB = src/lib/resp.c src/lib/sds.c src/lib/zmalloc.c src/lib/util.c
FUZZ_CFLAGS = $(STD) -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=undefined -Isrc/lib

src/lib/unit/fuzz_%: src/lib/unit/fuzz_%.c $(FUZZ_LIB) $(wildcard src/lib/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB) -lm -lpthread

fuzz: $(FUZZ_BIN)
	@fail=0; for t in $(FUZZ_BIN); do \
	  name=$${t##*/fuzz_}; work=tests/tmp/fuzz/$$name; mkdir -p $$work/corpus; \
	  echo "fuzz: $$name for $(FUZZ_TIME)s"; \
	  ./$$t -max_total_time=$(FUZZ_TIME) -max_len=200000 -timeout=20 -rss_limit_mb=4096 \
	    -print_final_stats=1 -artifact_prefix=$$work/ $$work/corpus tests/fuzz/corpus/$$name \
	    > $$work/log 2>&1 || { fail=1; tail -n 60 $$work/log; echo "fuzz: $$name FAILED (input in $$work/)"; }; \
	  grep -E '^#[0-9]+.*DONE' $$work/log | tail -n 1; \
	done; exit $$fail

PREFIX ?= /usr/local
INSTALL_BIN = $(DESTDIR)$(PREFIX)/bin
INSTALL ?= install

install:
	@test -x src/redis-server || $(MAKE) --no-print-directory all
	$(INSTALL) -d $(INSTALL_BIN)
	$(INSTALL) -m 755 src/redis-server $(INSTALL_BIN)/redis-server
	ln -sf redis-server $(INSTALL_BIN)/redis-check-aof
	ln -sf redis-server $(INSTALL_BIN)/redis-check-rdb

uninstall:
	rm -f $(INSTALL_BIN)/redis-server $(INSTALL_BIN)/redis-check-aof $(INSTALL_BIN)/redis-check-rdb

clean:
	rm -f src/*.o src/*.d src/lib/*.o src/lib/*.d src/lib/unit/*.d src/redis-server src/redis-check-aof src/redis-check-rdb src/.build-id $(UNIT_BIN) $(FUZZ_BIN)

.PHONY: all lua-check noopt unit deps check test run bench fuzz install uninstall clean
