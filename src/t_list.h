/* t_list.h — list values: iteration, the list type API and the commands.
 *
 * A list is a quicklist (a linked list of listpacks). The listType* API
 * pushes, pops, walks and edits it through listTypeIterator /
 * listTypeEntry; the helpers shared with blocked.c (LMOVE's push, the
 * popped range's reply) are here too. The commands are in t_list.c.
 */
#ifndef EMBER_T_LIST_H
#define EMBER_T_LIST_H

#include "quicklist.h"
#include "object.h"

typedef struct client client;

#define LIST_HEAD 0
#define LIST_TAIL 1
/* An iterator over a list value; direction LIST_TAIL walks towards the
 * tail, LIST_HEAD towards the head. */
typedef struct {
    robj *subject;
    unsigned char encoding;
    unsigned char direction;
    quicklistIter *iter;
} listTypeIterator;
/* The element an iterator is on. */
typedef struct {
    listTypeIterator *li;
    quicklistEntry entry;
} listTypeEntry;
robj *createQuicklistObject(void);
void freeListObject(robj *o);
robj *listTypeDup(robj *o);
void listTypePush(robj *subject, robj *value, int where);
robj *listTypePop(robj *subject, int where);
unsigned long listTypeLength(const robj *subject);
listTypeIterator *listTypeInitIterator(robj *subject, long index, unsigned char direction);
void listTypeReleaseIterator(listTypeIterator *li);
int listTypeNext(listTypeIterator *li, listTypeEntry *entry);
robj *listTypeGet(listTypeEntry *entry);
void listTypeInsert(listTypeEntry *entry, robj *value, int where);
void listTypeReplace(listTypeEntry *entry, robj *value);
int listTypeReplaceAtIndex(robj *o, long index, robj *value);
int listTypeEqual(listTypeEntry *entry, robj *o);
void listTypeDelete(listTypeIterator *iter, listTypeEntry *entry);
void listTypeDelRange(robj *o, long start, long count);
int getListPositionFromObjectOrReply(client *c, robj *arg, int *position);
void listPopRangeAndReplyWithKey(client *c, robj *o, robj *key, int where, long count);
void lmoveHandlePush(client *c, robj *dstkey, robj *dstobj, robj *value, int where);
void lpushCommand(client *c);
void rpushCommand(client *c);
void lpushxCommand(client *c);
void rpushxCommand(client *c);
void lpopCommand(client *c);
void rpopCommand(client *c);
void llenCommand(client *c);
void lrangeCommand(client *c);
void lindexCommand(client *c);
void lsetCommand(client *c);
void linsertCommand(client *c);
void lremCommand(client *c);
void ltrimCommand(client *c);
void lposCommand(client *c);
void lmoveCommand(client *c);
void rpoplpushCommand(client *c);
void lmpopCommand(client *c);

#endif /* EMBER_T_LIST_H */
