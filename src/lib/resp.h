/* resp.h -- incremental parser of client requests (multibulk and inline).
 *
 * The parser turns bytes into an argv of sds strings and never does I/O:
 * the caller (networking.c) owns the socket and the query buffer, feeds
 * the unconsumed bytes, drops what the parser reports as consumed, and
 * calls again when more bytes arrive. A frame may be split at any byte.
 * See resp.c for the details. */
#ifndef EMBER_RESP_H
#define EMBER_RESP_H

#include <limits.h>
#include <stddef.h>

#include "sds.h"

#define RESP_OK 0        /* a whole command is in p->argv */
#define RESP_NEED_MORE 1 /* feed more bytes */
#define RESP_ERR 2       /* protocol error, text in p->err */

#define RESP_REQ_MULTIBULK 1
#define RESP_REQ_INLINE 2

#define RESP_INLINE_MAX (64 * 1024)          /* default maxinline */
#define RESP_MAX_MULTIBULK INT_MAX           /* default maxmultibulk */
#define RESP_DEFAULT_MAX_BULK (512LL * 1024 * 1024) /* default maxbulklen */
#define RESP_BIG_ARG (32 * 1024)             /* see respPendingBulk() */
#define RESP_ARGV_RESERVE 1024               /* most argv slots a count reserves */

typedef struct respParser {
    int reqtype;          /* 0 = not started, RESP_REQ_MULTIBULK, RESP_REQ_INLINE */
    long multibulklen;    /* args still to read in the current multibulk */
    long long bulklen;    /* length of the bulk being read, -1 = expecting '$' header */
    int argc, argvcap;    /* args parsed so far and capacity of argv */
    sds *argv;            /* owned by the parser until respTakeArgv() */
    size_t argbytes;      /* sum of sdslen(argv[0..argc)) */
    long long maxbulklen; /* proto-max-bulk-len, set by the caller */
    size_t maxinline;     /* longest inline request / header line */
    int maxmultibulk;     /* largest accepted multibulk count (argv grows as
                             arguments arrive, never reserved beyond
                             RESP_ARGV_RESERVE slots up front) */
    int noauth;           /* caller sets 1 for a client that must AUTH first:
                             counts > 10 and bulks > 16384 are refused */
    const char *err;      /* error text after RESP_ERR (valid until the next call) */
    /* Private state. */
    size_t scanned;       /* bytes of an incomplete line already searched */
    int nulline;          /* a NUL byte came before the line's end: it never ends */
    sds bigarg;           /* big bulk being filled across calls */
    long long bigread;    /* bytes of the big bulk (with its CRLF) received */
    int complete;         /* argv holds a finished command not yet taken */
    char errbuf[48];
} respParser;

/* Initialise with the default limits. No allocation is made. */
void respParserInit(respParser *p);

/* Free argv and any partial argument, and forget the current command; the
 * limits are kept. Use it before discarding the parser. */
void respParserReset(respParser *p);

/* Parse from buf[0..len), the caller's unconsumed bytes. Returns:
 *   RESP_OK        one whole command is in p->argv/p->argc (argc may be 0
 *                  for an empty inline line, "*0" or "*-1": skip it);
 *   RESP_NEED_MORE feed more bytes (the bytes not consumed must be passed
 *                  again, followed by the new ones);
 *   RESP_ERR       p->err holds the text (without "-ERR "); the caller
 *                  replies and closes the connection (the parser state is
 *                  then undefined until respParserReset()).
 * In every case *consumed is how many bytes of buf were used; the caller
 * drops them. After RESP_OK, take the command with respTakeArgv(); if not
 * taken, the next respParse() call frees it. buf is only borrowed. */
int respParse(respParser *p, const char *buf, size_t len, size_t *consumed);

/* Take ownership of the parsed argv (a zmalloc'ed array of argc sds; the
 * caller frees each sds and the array). The parser is ready for the next
 * command. Returns NULL with *argc = 0 if there are no arguments. */
sds *respTakeArgv(respParser *p, int *argc);

/* Forget the parsed arguments without freeing them, keeping the argv array
 * for the next command: for a caller that has read p->argv[0..argc) and
 * taken ownership of each sds. Avoids an array allocation per command. */
void respForgetArgs(respParser *p);

/* When the parser is inside a bulk of at least RESP_BIG_ARG bytes, the
 * number of bytes (data and trailing CRLF) it still wants; 0 otherwise.
 * Such a bulk has a buffer of its own, grown toward the announced length
 * as bytes arrive (doubling, never past the announced length), so the
 * caller never keeps any of it in its own buffer. */
long long respPendingBulk(const respParser *p);

/* Where the next bytes of the current big bulk go: returns a pointer into
 * the argument's own buffer with *room set to how many bytes may be written
 * there (never more than the bulk still wants), growing the buffer first if
 * it is full. Returns NULL with *room = 0 when the parser is not inside a
 * big bulk or the bulk has all its bytes. The pointer is valid until the
 * next call on the parser. A caller that reads the socket writes there
 * directly instead of into its query buffer, then calls
 * respBigBulkWritten(). */
char *respBigBulkBuffer(respParser *p, size_t *room);

/* n bytes (at most the *room just returned) were written at the address
 * respBigBulkBuffer() returned. When respBigBulkFilled() then says so, call
 * respParse() (even with no new bytes) to finish the argument. */
void respBigBulkWritten(respParser *p, size_t n);

/* 1 when a big bulk has all its bytes but respParse() has not yet taken it
 * into argv. */
int respBigBulkFilled(const respParser *p);

/* Memory the parser holds for an incomplete command. Returns the bytes
 * allocated for it (argument data, the argv array, the big bulk buffer);
 * *argbytes is the length of the arguments already parsed, *bulkused and
 * *bulkfree the bytes received and the room left in a big bulk's buffer
 * (0 when there is none). */
size_t respHeldMemory(const respParser *p, size_t *argbytes, size_t *bulkused, size_t *bulkfree);

#endif
