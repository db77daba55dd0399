/* hyperloglog.h — the HyperLogLog commands (hyperloglog.c). Sketches are
 * string values; nothing outside hyperloglog.c reads their layout. */
#ifndef EMBER_HYPERLOGLOG_H
#define EMBER_HYPERLOGLOG_H

typedef struct client client;

void pfaddCommand(client *c);
void pfcountCommand(client *c);
void pfmergeCommand(client *c);
void pfdebugCommand(client *c);
void pfselftestCommand(client *c);

#endif /* EMBER_HYPERLOGLOG_H */
