/* migrate.h — MIGRATE and its cache of links to target servers.
 *
 * migrate.c explains the transfer. The cache is the only state: links kept
 * open between calls, which serverCron trims and INFO counts.
 */
#ifndef EMBER_MIGRATE_H
#define EMBER_MIGRATE_H

typedef struct client client;

/* MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 * [AUTH password] [AUTH2 username password] [KEYS key ...] */
void migrateCommand(client *c);

/* Closes the cached links idle for more than 10 seconds. Called by
 * serverCron. */
void migrateCloseIdleLinks(void);

/* How many links are cached (INFO stats migrate_cached_sockets). */
int migrateCachedLinks(void);

#endif
