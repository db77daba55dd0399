/* t_string.c — the string type's commands.
 *
 * This first slice has GET and SET with all of SET's options (NX, XX, GET,
 * EX, PX, EXAT, PXAT, KEEPTTL); the rest of the string commands come with
 * the keyspace and strings issue. Values are stored re-encoded by
 * tryObjectEncoding (int, embstr or raw, as Redis chooses).
 */
#include "server.h"

#include <string.h>
#include <strings.h>

#define OBJ_NO_FLAGS 0
#define OBJ_SET_NX (1 << 0)
#define OBJ_SET_XX (1 << 1)
#define OBJ_EX (1 << 2)
#define OBJ_PX (1 << 3)
#define OBJ_KEEPTTL (1 << 4)
#define OBJ_SET_GET (1 << 5)
#define OBJ_EXAT (1 << 6)
#define OBJ_PXAT (1 << 7)

#define OBJ_EXPIRE_MASK (OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT)

/* Parses SET's options from argv[3..]. Returns C_ERR after replying. */
static int parseSetOptions(client *c, int *flags, robj **expire) {
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        robj *next = (j == c->argc - 1) ? NULL : c->argv[j + 1];
        int f = *flags;
        if (!strcasecmp(opt, "nx") && !(f & (OBJ_SET_XX))) {
            *flags |= OBJ_SET_NX;
        } else if (!strcasecmp(opt, "xx") && !(f & OBJ_SET_NX)) {
            *flags |= OBJ_SET_XX;
        } else if (!strcasecmp(opt, "get")) {
            *flags |= OBJ_SET_GET;
        } else if (!strcasecmp(opt, "keepttl") && !(f & OBJ_EXPIRE_MASK)) {
            *flags |= OBJ_KEEPTTL;
        } else if (next && !(f & (OBJ_KEEPTTL | OBJ_EXPIRE_MASK)) &&
                   (!strcasecmp(opt, "ex") || !strcasecmp(opt, "px") || !strcasecmp(opt, "exat") ||
                    !strcasecmp(opt, "pxat"))) {
            if (!strcasecmp(opt, "ex")) *flags |= OBJ_EX;
            else if (!strcasecmp(opt, "px")) *flags |= OBJ_PX;
            else if (!strcasecmp(opt, "exat")) *flags |= OBJ_EXAT;
            else *flags |= OBJ_PXAT;
            *expire = next;
            j++;
        } else {
            addReplyErrorObject(c, shared.syntaxerr);
            return C_ERR;
        }
    }
    return C_OK;
}

/* Converts the expire argument into an absolute unix time in ms. */
static int getExpireMillisecondsOrReply(client *c, robj *expire, int flags, long long *when) {
    long long v;
    if (getLongLongFromObjectOrReply(c, expire, &v, NULL) != C_OK) return C_ERR;
    if (v <= 0 || ((flags & (OBJ_EX | OBJ_EXAT)) && v > LLONG_MAX / 1000)) {
        addReplyErrorExpireTime(c);
        return C_ERR;
    }
    if (flags & (OBJ_EX | OBJ_EXAT)) v *= 1000;
    if (flags & (OBJ_EX | OBJ_PX)) {
        if (v > LLONG_MAX - server.mstime) {
            addReplyErrorExpireTime(c);
            return C_ERR;
        }
        v += mstime();
    }
    *when = v;
    return C_OK;
}

/* Replies the old value for SET ... GET; C_ERR if it is not a string. */
static int replyOldValue(client *c, robj *key) {
    robj *old = lookupKeyRead(c->db, key);
    if (old == NULL) {
        addReplyNull(c);
        return C_OK;
    }
    if (old->type != OBJ_STRING) {
        addReplyErrorObject(c, shared.wrongtypeerr);
        return C_ERR;
    }
    addReplyBulk(c, old);
    return C_OK;
}

void setCommand(client *c) {
    int flags = OBJ_NO_FLAGS;
    robj *expire = NULL;
    long long when = 0;
    if (parseSetOptions(c, &flags, &expire) != C_OK) return;
    if (expire && getExpireMillisecondsOrReply(c, expire, flags, &when) != C_OK) return;
    robj *key = c->argv[1];
    if (flags & OBJ_SET_GET) {
        if (replyOldValue(c, key) != C_OK) return;
    }
    int exists = lookupKeyWrite(c->db, key) != NULL;
    if (((flags & OBJ_SET_NX) && exists) || ((flags & OBJ_SET_XX) && !exists)) {
        if (!(flags & OBJ_SET_GET)) addReplyNull(c);
        return;
    }
    c->argv[2] = tryObjectEncoding(c->argv[2]);
    setKey(c, c->db, key, c->argv[2], flags & OBJ_KEEPTTL);
    server.dirty++;
    if (expire) setExpire(c, c->db, key, when);
    if (!(flags & OBJ_SET_GET)) addReply(c, shared.ok);
}

void getCommand(client *c) {
    robj *o = lookupKeyRead(c->db, c->argv[1]);
    if (o == NULL) {
        addReplyNull(c);
        return;
    }
    if (checkType(c, o, OBJ_STRING)) return;
    addReplyBulk(c, o);
}
