/* test_adlist.c -- unit tests of adlist.c, one block per function.
 *
 * Lists of small integers are built and their structure is checked in both
 * directions after every operation (checkList), so a broken prev/next link
 * or a wrong head/tail/len shows up where it happens.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adlist.h"
#include "zmalloc.h"
#include "unit/test.h"

#define V(i) ((void *)(uintptr_t)(i))
#define I(n) ((long)(uintptr_t)listNodeValue(n))

/* 1 if l holds exactly the values want[0..n) in order, walking both ways. */
static int checkList(list *l, const long *want, long n) {
    if ((long)listLength(l) != n) return 0;
    if (n == 0) return listFirst(l) == NULL && listLast(l) == NULL;
    if (listFirst(l)->prev != NULL || listLast(l)->next != NULL) return 0;
    long i = 0;
    for (listNode *node = listFirst(l); node; node = listNextNode(node), i++)
        if (i >= n || I(node) != want[i]) return 0;
    if (i != n) return 0;
    for (listNode *node = listLast(l); node; node = listPrevNode(node))
        if (I(node) != want[--i]) return 0;
    return i == 0;
}

static list *makeList(long n) {
    list *l = listCreate();
    for (long i = 0; i < n; i++) listAddNodeTail(l, V(i));
    return l;
}

static int freed;
static void countFree(void *p) {
    freed++;
    zfree(p);
}

static void *dupLong(void *p) {
    long *c = zmalloc(sizeof(long));
    *c = *(long *)p;
    return c;
}

static void *failingDup(void *p) {
    return *(long *)p == 2 ? NULL : dupLong(p);
}

static int matchLong(void *p, void *key) {
    return *(long *)p == *(long *)key;
}

static long *newLong(long v) {
    long *p = zmalloc(sizeof(*p));
    *p = v;
    return p;
}

static void testCreateAdd(void) {
    list *l = listCreate();
    ASSERT(checkList(l, NULL, 0));
    listAddNodeTail(l, V(2));
    listAddNodeHead(l, V(1));
    listAddNodeTail(l, V(3));
    listAddNodeHead(l, V(0));
    ASSERT(checkList(l, (long[]){0, 1, 2, 3}, 4));
    ASSERT(listAddNodeTail(l, V(4)) == l);
    listEmpty(l);
    ASSERT(checkList(l, NULL, 0));
    listAddNodeHead(l, V(9));
    ASSERT(checkList(l, (long[]){9}, 1));
    listRelease(l);
}

static void testInsertDelete(void) {
    list *l = makeList(3);
    listInsertNode(l, listFirst(l), V(10), 0);   /* before head */
    listInsertNode(l, listLast(l), V(20), 1);    /* after tail */
    listInsertNode(l, listIndex(l, 1), V(30), 1);
    listInsertNode(l, listIndex(l, 2), V(40), 0);
    ASSERT(checkList(l, (long[]){10, 0, 40, 30, 1, 2, 20}, 7));
    listDelNode(l, listFirst(l));
    listDelNode(l, listLast(l));
    listDelNode(l, listIndex(l, 2));
    ASSERT(checkList(l, (long[]){0, 40, 1, 2}, 4));
    while (listLength(l)) listDelNode(l, listFirst(l));
    ASSERT(checkList(l, NULL, 0));
    listRelease(l);

    l = listCreate();
    listSetFreeMethod(l, countFree);
    ASSERT(listGetFreeMethod(l) == countFree);
    freed = 0;
    for (int i = 0; i < 5; i++) listAddNodeTail(l, newLong(i));
    listDelNode(l, listIndex(l, 2));
    ASSERT(freed == 1);
    listEmpty(l);
    ASSERT(freed == 5);
    listAddNodeTail(l, newLong(1));
    listRelease(l);
    ASSERT(freed == 6);
}

static void testIterators(void) {
    list *l = makeList(5);
    listIter *it = listGetIterator(l, AL_START_HEAD);
    listNode *n;
    long expect = 0;
    int ok = 1;
    while ((n = listNext(it)) != NULL) ok &= I(n) == expect++;
    ASSERT(ok && expect == 5);
    listReleaseIterator(it);
    it = listGetIterator(l, AL_START_TAIL);
    expect = 4;
    while ((n = listNext(it)) != NULL) ok &= I(n) == expect--;
    ASSERT(ok && expect == -1);
    listReleaseIterator(it);

    /* Deleting the returned node while iterating is allowed. */
    listIter li;
    listRewind(l, &li);
    while ((n = listNext(&li)) != NULL)
        if (I(n) % 2 == 0) listDelNode(l, n);
    ASSERT(checkList(l, (long[]){1, 3}, 2));
    listRewindTail(l, &li);
    ASSERT(I(listNext(&li)) == 3);
    ASSERT(I(listNext(&li)) == 1);
    ASSERT(listNext(&li) == NULL);
    listRelease(l);
}

static void testDup(void) {
    list *l = makeList(4);
    list *c = listDup(l);
    ASSERT(c != NULL && checkList(c, (long[]){0, 1, 2, 3}, 4));
    ASSERT(listFirst(c) != listFirst(l));
    listRelease(c);
    listRelease(l);

    l = listCreate();
    listSetDupMethod(l, dupLong);
    listSetFreeMethod(l, countFree);
    listSetMatchMethod(l, matchLong);
    for (int i = 0; i < 3; i++) listAddNodeTail(l, newLong(i));
    c = listDup(l);
    ASSERT(c != NULL && listLength(c) == 3);
    ASSERT(listNodeValue(listFirst(c)) != listNodeValue(listFirst(l)));
    ASSERT(*(long *)listNodeValue(listLast(c)) == 2);
    ASSERT(listGetDupMethod(c) == dupLong && listGetMatchMethod(c) == matchLong);
    listRelease(c);
    /* A failing dup returns NULL and frees the partial copy. */
    listSetDupMethod(l, failingDup);
    freed = 0;
    ASSERT(listDup(l) == NULL);
    ASSERT(freed == 2);
    listRelease(l);
}

static void testSearchIndex(void) {
    list *l = makeList(5);
    ASSERT(listSearchKey(l, V(3)) == listIndex(l, 3));
    ASSERT(listSearchKey(l, V(7)) == NULL);
    ASSERT(I(listIndex(l, 0)) == 0);
    ASSERT(I(listIndex(l, 4)) == 4);
    ASSERT(listIndex(l, 5) == NULL);
    ASSERT(I(listIndex(l, -1)) == 4);
    ASSERT(I(listIndex(l, -5)) == 0);
    ASSERT(listIndex(l, -6) == NULL);
    listRelease(l);

    l = listCreate();
    listSetMatchMethod(l, matchLong);
    listSetFreeMethod(l, countFree);
    for (int i = 0; i < 3; i++) listAddNodeTail(l, newLong(i * 10));
    long key = 20;
    listNode *n = listSearchKey(l, &key);
    ASSERT(n == listLast(l));
    key = 5;
    ASSERT(listSearchKey(l, &key) == NULL);
    listRelease(l);
}

static void testRotate(void) {
    list *l = makeList(4);
    listRotateTailToHead(l);
    ASSERT(checkList(l, (long[]){3, 0, 1, 2}, 4));
    listRotateHeadToTail(l);
    listRotateHeadToTail(l);
    ASSERT(checkList(l, (long[]){1, 2, 3, 0}, 4));
    listRelease(l);
    l = makeList(1);
    listRotateTailToHead(l);
    listRotateHeadToTail(l);
    ASSERT(checkList(l, (long[]){0}, 1));
    listEmpty(l);
    listRotateTailToHead(l);
    ASSERT(checkList(l, NULL, 0));
    listRelease(l);
}

static void testJoinLink(void) {
    list *a = makeList(2), *b = makeList(3), *e = listCreate();
    listJoin(a, b);
    ASSERT(checkList(a, (long[]){0, 1, 0, 1, 2}, 5));
    ASSERT(checkList(b, NULL, 0));
    listJoin(a, e);
    ASSERT(listLength(a) == 5);
    listJoin(e, a);
    ASSERT(checkList(e, (long[]){0, 1, 0, 1, 2}, 5) && checkList(a, NULL, 0));

    /* Move nodes between lists without reallocating them. */
    listNode *mid = listIndex(e, 2);
    listUnlinkNode(e, mid);
    ASSERT(checkList(e, (long[]){0, 1, 1, 2}, 4));
    ASSERT(mid->prev == NULL && mid->next == NULL);
    listLinkNodeTail(a, mid);
    ASSERT(listFirst(a) == mid && checkList(a, (long[]){0}, 1));
    listNode *head = listFirst(e);
    listUnlinkNode(e, head);
    listLinkNodeHead(a, head);
    listNode *tail = listLast(e);
    listUnlinkNode(e, tail);
    listLinkNodeTail(a, tail);
    ASSERT(checkList(a, (long[]){0, 0, 2}, 3));
    ASSERT(checkList(e, (long[]){1, 1}, 2));
    ASSERT(listFirst(a) == head && listLast(a) == tail);
    listRelease(a);
    listRelease(b);
    listRelease(e);
}

int main(void) {
    size_t used_at_start = zmalloc_used_memory();
    TEST("adlist: create, add head/tail, empty") testCreateAdd();
    TEST("adlist: insert and delete nodes, free method") testInsertDelete();
    TEST("adlist: iterators both ways, delete while iterating") testIterators();
    TEST("adlist: dup with and without dup method") testDup();
    TEST("adlist: search key and index") testSearchIndex();
    TEST("adlist: rotate") testRotate();
    TEST("adlist: join, link and unlink nodes") testJoinLink();
    TEST("adlist: every allocation was freed") ASSERT_EQ_INT(zmalloc_used_memory(), used_at_start);
    return TEST_REPORT();
}
