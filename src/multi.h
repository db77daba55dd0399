/* multi.h — transactions: MULTI/EXEC/DISCARD and optimistic locking with
 * WATCH/UNWATCH.
 *
 * A client in MULTI has its commands queued (multiState) instead of run;
 * EXEC runs them back to back inside its own call(), so they form one
 * propagation unit and one turn of the loop. WATCH records keys whose
 * change before EXEC turns the transaction into a no-op (CLIENT_DIRTY_CAS);
 * every change of a key reaches touchWatchedKey through signalModifiedKey.
 */
#ifndef EMBER_MULTI_H
#define EMBER_MULTI_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct redisDb;
struct redisObject;
struct redisCommand;

/* One queued command: its arguments (owned) and its table entry. */
typedef struct multiCmd {
    struct redisObject **argv;
    int argc;
    struct redisCommand *cmd;
} multiCmd;

/* The queue of a client in MULTI. cmd_flags ORs the flags of the queued
 * commands, cmd_inv_flags their complements (so "some command lacks flag
 * F" is one test); argv_len_sums is the memory CLIENT LIST reports as
 * multi-mem. */
typedef struct multiState {
    multiCmd *commands;
    int count, alloc;
    uint64_t cmd_flags, cmd_inv_flags;
    size_t argv_len_sums;
} multiState;

/* Creates the per-database tables of watched keys. Called by initServer
 * once the databases exist. */
void initMultiState(void);

/* 1 if processCommand must queue c's command rather than run it: c is in
 * MULTI and the command is not one that acts on the transaction itself. */
int multiShouldQueue(struct client *c);
/* Moves c's current command into its queue (c->argv is left empty) and
 * replies QUEUED. Nothing is stored once the transaction is doomed. */
void queueMultiCommand(struct client *c);
/* An error refused c's command: a transaction in progress will abort. */
void flagTransaction(struct client *c);
/* The flags processCommand checks for c's command; for EXEC, those of the
 * queued commands too (ORed, or in inv the ones some command lacks). */
uint64_t multiCommandFlags(struct client *c, int inv);
/* 1 if c's command is EXEC. */
int isExecCommand(struct client *c);
/* Rejects EXEC with err (an error line, "-" and CRLF optional; borrowed):
 * the transaction is discarded and EXECABORT quotes err. */
void execCommandAbort(struct client *c, const char *err);
/* 1 if c's command, in MULTI, is refused when memory is over maxmemory:
 * every queued command is, as queues grow without bound. */
int multiDeniedOnOom(struct client *c);

/* Ends c's transaction, if any, and forgets its watched keys (DISCARD,
 * RESET, EXEC, and freeClient). */
void discardTransaction(struct client *c);
/* multi-mem of CLIENT LIST. */
size_t multiStateMemory(struct client *c);

/* key (borrowed) in db was changed: its watchers' transactions will fail.
 * Inline: with no key watched anywhere (multi_watched_keys, the watched
 * keys of all databases), a write pays one test. */
void touchWatchedKeyNow(struct redisDb *db, struct redisObject *key);
extern unsigned long multi_watched_keys;
static inline void touchWatchedKey(struct redisDb *db, struct redisObject *key) {
    if (multi_watched_keys) touchWatchedKeyNow(db, key);
}
/* Every key of emptied is about to be dropped, replaced by the contents
 * of replaced_with (SWAPDB) or by nothing (NULL: FLUSHDB, FLUSHALL). */
void touchAllWatchedKeysInDb(struct redisDb *emptied, struct redisDb *replaced_with);

void multiCommand(struct client *c);
void execCommand(struct client *c);
void discardCommand(struct client *c);
void watchCommand(struct client *c);
void unwatchCommand(struct client *c);

#endif
