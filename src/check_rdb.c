/* check_rdb.c — redis-check-rdb: the server binary run under that name.
 *
 * main (server.c) hands over here when argv[0]'s base name is
 * redis-check-rdb, as tools and tests expect of the Redis tool. The check
 * is a real load: the file is read with the server's own loader into empty
 * databases (deep validation of every compact encoding on, unsupported
 * types skipped so the rest is still checked), and the verdict printed
 * with the counts. Exit status 0 when the file is sound, 1 otherwise.
 * redis-check-aof uses the same check for an AOF's RDB base or preamble.
 */
#include "server.h"
#include "rdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The loader needs the shared objects and empty databases; once. */
static void prepareCheck(void) {
    static int prepared;
    if (prepared) return;
    prepared = 1;
    server.security.sanitize_dump_payload = 1;
    server.persist.rdb_skip_unsupported = 1;
    server.dbnum = 16;
    createSharedObjects();
    initDatabases();
}

int rdbCheckStream(FILE *fp, const char *name) {
    prepareCheck();
    printf("[info] Checking RDB file %s\n", name);
    rio r;
    rioInitWithFile(&r, fp);
    rdbLoadInfo info;
    int ok = rdbLoadRio(&r, RDBFLAGS_AOF_PREAMBLE, &info) == C_OK;
    printf("[offset %llu] RDB version %d\n", (unsigned long long)r.processed_bytes, info.version);
    printf("[info] %lld keys read\n", info.keys_loaded);
    if (info.keys_skipped) printf("[info] %lld keys of unsupported types\n", info.keys_skipped);
    if (!ok) {
        printf("[offset %llu] The RDB file is not valid (see the log lines above)\n",
               (unsigned long long)r.processed_bytes);
        return 0;
    }
    printf("[offset %llu] \\o/ RDB looks OK! \\o/\n", (unsigned long long)r.processed_bytes);
    return 1;
}

/* Runs the check of argv[1] and exits. */
void redisCheckRdbMain(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "Usage: %s <rdb-file-name>\n", argv[0]);
        exit(1);
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        printf("[err] Cannot open %s: %s\n", argv[1], strerror(errno));
        exit(1);
    }
    int ok = rdbCheckStream(fp, argv[1]);
    fclose(fp);
    exit(ok ? 0 : 1);
}
