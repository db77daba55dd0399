/* adlist.c -- generic doubly linked list.
 *
 * The list header keeps head, tail and length so both ends and the size are
 * O(1). Every node is its own allocation holding one void* value; the list
 * owns the nodes, and owns the values only if a free method is set (then
 * removing a node or releasing the list destroys the value).
 *
 * Moving a node between lists without reallocating it is done with
 * listUnlinkNode followed by listLinkNodeHead/Tail: the node stays valid and
 * its address can be kept by the caller (e.g. a client remembering its node
 * in the server's client list for O(1) removal).
 *
 * Iterators remember the node to visit next, so the node just returned may
 * be deleted with listDelNode while iterating; deleting any other node is
 * not allowed during an iteration.
 */

#include <stddef.h>

#include "adlist.h"
#include "zmalloc.h"

/* A new empty list with no methods. Free with listRelease. */
list *listCreate(void) {
    list *l = zmalloc(sizeof(*l));
    l->head = l->tail = NULL;
    l->len = 0;
    l->dup = NULL;
    l->free = NULL;
    l->match = NULL;
    return l;
}

/* Remove and free every node (and value, with a free method); the list
 * itself stays, empty. */
void listEmpty(list *l) {
    listNode *cur = l->head;
    while (cur) {
        listNode *next = cur->next;
        if (l->free) l->free(cur->value);
        zfree(cur);
        cur = next;
    }
    l->head = l->tail = NULL;
    l->len = 0;
}

/* Free every node and the list. */
void listRelease(list *l) {
    listEmpty(l);
    zfree(l);
}

static listNode *newNode(void *value) {
    listNode *n = zmalloc(sizeof(*n));
    n->value = value;
    n->prev = n->next = NULL;
    return n;
}

/* Link an unlinked node at the head. */
void listLinkNodeHead(list *l, listNode *node) {
    node->prev = NULL;
    node->next = l->head;
    if (l->head) l->head->prev = node;
    else l->tail = node;
    l->head = node;
    l->len++;
}

/* Link an unlinked node at the tail. */
void listLinkNodeTail(list *l, listNode *node) {
    node->next = NULL;
    node->prev = l->tail;
    if (l->tail) l->tail->next = node;
    else l->head = node;
    l->tail = node;
    l->len++;
}

/* Push value at the head (the list borrows or owns it per its free
 * method). Returns l. */
list *listAddNodeHead(list *l, void *value) {
    listLinkNodeHead(l, newNode(value));
    return l;
}

/* Push value at the tail. Returns l. */
list *listAddNodeTail(list *l, void *value) {
    listLinkNodeTail(l, newNode(value));
    return l;
}

/* Insert value right after (after != 0) or before old_node. Returns l. */
list *listInsertNode(list *l, listNode *old_node, void *value, int after) {
    listNode *n = newNode(value);
    if (after) {
        n->prev = old_node;
        n->next = old_node->next;
        if (l->tail == old_node) l->tail = n;
    } else {
        n->next = old_node;
        n->prev = old_node->prev;
        if (l->head == old_node) l->head = n;
    }
    if (n->prev) n->prev->next = n;
    if (n->next) n->next->prev = n;
    l->len++;
    return l;
}

/* Detach node from l without freeing it; the caller then owns the node. */
void listUnlinkNode(list *l, listNode *node) {
    if (node->prev) node->prev->next = node->next;
    else l->head = node->next;
    if (node->next) node->next->prev = node->prev;
    else l->tail = node->prev;
    node->prev = node->next = NULL;
    l->len--;
}

/* Remove node from l and free it (and its value, with a free method). */
void listDelNode(list *l, listNode *node) {
    listUnlinkNode(l, node);
    if (l->free) l->free(node->value);
    zfree(node);
}

/* Heap iterator from the head (AL_START_HEAD) or tail (AL_START_TAIL). */
listIter *listGetIterator(list *l, int direction) {
    listIter *iter = zmalloc(sizeof(*iter));
    if (direction == AL_START_HEAD) listRewind(l, iter);
    else listRewindTail(l, iter);
    return iter;
}

/* Free an iterator from listGetIterator. */
void listReleaseIterator(listIter *iter) {
    zfree(iter);
}

/* Reset a caller-owned iterator to the head, moving forward. */
void listRewind(list *l, listIter *li) {
    li->next = l->head;
    li->direction = AL_START_HEAD;
}

/* Reset a caller-owned iterator to the tail, moving backward. */
void listRewindTail(list *l, listIter *li) {
    li->next = l->tail;
    li->direction = AL_START_TAIL;
}

/* Next node, or NULL at the end. The returned node may be deleted. */
listNode *listNext(listIter *iter) {
    listNode *cur = iter->next;
    if (cur) iter->next = iter->direction == AL_START_HEAD ? cur->next : cur->prev;
    return cur;
}

/* A copy of orig with the same methods; values are copied with dup when
 * set, else shared. NULL (nothing leaked) if dup returns NULL. */
list *listDup(list *orig) {
    list *copy = listCreate();
    copy->dup = orig->dup;
    copy->free = orig->free;
    copy->match = orig->match;
    for (listNode *n = orig->head; n; n = n->next) {
        void *value = n->value;
        if (copy->dup) {
            value = copy->dup(n->value);
            if (value == NULL) {
                listRelease(copy);
                return NULL;
            }
        }
        listAddNodeTail(copy, value);
    }
    return copy;
}

/* First node, from the head, whose value matches key (with the match method,
 * else pointer equality); NULL if none. */
listNode *listSearchKey(list *l, void *key) {
    for (listNode *n = l->head; n; n = n->next) {
        if (l->match ? l->match(n->value, key) : n->value == key) return n;
    }
    return NULL;
}

/* Node at a zero-based index; negative counts from the tail (-1 is the
 * last). NULL if out of range. */
listNode *listIndex(list *l, long index) {
    listNode *n;
    if (index < 0) {
        index = (-index) - 1;
        n = l->tail;
        while (index-- && n) n = n->prev;
    } else {
        n = l->head;
        while (index-- && n) n = n->next;
    }
    return n;
}

/* Move the tail node to the head. */
void listRotateTailToHead(list *l) {
    if (l->len <= 1) return;
    listNode *tail = l->tail;
    listUnlinkNode(l, tail);
    listLinkNodeHead(l, tail);
}

/* Move the head node to the tail. */
void listRotateHeadToTail(list *l) {
    if (l->len <= 1) return;
    listNode *head = l->head;
    listUnlinkNode(l, head);
    listLinkNodeTail(l, head);
}

/* Append all nodes of o to l, leaving o empty (o is not freed). */
void listJoin(list *l, list *o) {
    if (o->len == 0) return;
    o->head->prev = l->tail;
    if (l->tail) l->tail->next = o->head;
    else l->head = o->head;
    l->tail = o->tail;
    l->len += o->len;
    o->head = o->tail = NULL;
    o->len = 0;
}
