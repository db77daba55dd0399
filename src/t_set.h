/* t_set.h — set values: encodings, iteration and the set commands.
 *
 * A set is an intset while it holds only integers and is small
 * (set-max-intset-entries), else a setTable (t_set_table.h: one allocation
 * per member, in a ptable). The
 * setType* API hides the encoding: add, remove, test, iterate, pick at
 * random, scan. The commands (SADD, SINTER ...) are in t_set.c too.
 */
#ifndef EMBER_T_SET_H
#define EMBER_T_SET_H

#include <stdint.h>
#include "sds.h"
#include "t_set_table.h"
#include "object.h"

typedef struct client client;

/* An iteration over a set (setTypeInitIterator .. setTypeReleaseIterator). */
typedef struct setTypeIterator {
    robj *subject;
    int encoding;
    int ii;               /* next intset index */
    setTableIterator ti;  /* hashtable sets */
} setTypeIterator;
/* Called by setTypeScan for each member of a step; member is valid only
 * during the call. */
typedef void setScanFunction(void *privdata, const char *member, size_t len);
robj *createSetObject(void);
robj *createIntsetObject(void);
robj *setTypeCreate(sds value);
void freeSetObject(robj *o);
void setTypeConvert(robj *setobj, int enc);
int setTypeAdd(robj *set, sds value);
int setTypeAddBuf(robj *set, const char *value, size_t len);
int setTypeRemove(robj *set, sds value);
int setTypeIsMember(robj *set, sds value);
unsigned long setTypeSize(const robj *set);
setTypeIterator *setTypeInitIterator(robj *set);
void setTypeReleaseIterator(setTypeIterator *si);
int setTypeNext(setTypeIterator *si, const char **str, size_t *len, int64_t *llele);
sds setTypeNextObject(setTypeIterator *si);
int setTypeRandomElement(robj *set, const char **str, size_t *len, int64_t *llele);
sds setTypePopRandom(robj *set);
robj *setTypeDup(robj *o);
unsigned long setTypeScan(robj *set, unsigned long cursor, long count, setScanFunction *fn, void *privdata);
void saddCommand(client *c);
void sremCommand(client *c);
void smoveCommand(client *c);
void sismemberCommand(client *c);
void smismemberCommand(client *c);
void scardCommand(client *c);
void smembersCommand(client *c);
void spopCommand(client *c);
void srandmemberCommand(client *c);
void sinterCommand(client *c);
void sinterstoreCommand(client *c);
void sintercardCommand(client *c);
void sunionCommand(client *c);
void sunionstoreCommand(client *c);
void sdiffCommand(client *c);
void sdiffstoreCommand(client *c);
void sscanCommand(client *c);

#endif /* EMBER_T_SET_H */
