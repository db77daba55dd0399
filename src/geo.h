/* geo.h — the GEO commands (geo.c). A geo set is a sorted set whose scores
 * are 52-bit geohash cells (src/lib/geohash.h). */
#ifndef EMBER_GEO_H
#define EMBER_GEO_H

typedef struct client client;

void geoaddCommand(client *c);
void geodistCommand(client *c);
void geohashCommand(client *c);
void geoposCommand(client *c);
void georadiusCommand(client *c);
void georadiusroCommand(client *c);
void georadiusbymemberCommand(client *c);
void georadiusbymemberroCommand(client *c);
void geosearchCommand(client *c);
void geosearchstoreCommand(client *c);

#endif /* EMBER_GEO_H */
