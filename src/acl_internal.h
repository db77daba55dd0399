/* acl_internal.h — what acl.c and acl_cmd.c share.
 *
 * The selector structure, the users table and the helpers the ACL command
 * handlers need to describe users. Included by the acl*.c files only.
 */
#ifndef EMBER_ACL_INTERNAL_H
#define EMBER_ACL_INTERNAL_H

#include "server.h"
#include "acl.h"
#include "rax.h"

#define SELECTOR_FLAG_ROOT (1 << 0)
#define SELECTOR_FLAG_ALLKEYS (1 << 1)
#define SELECTOR_FLAG_ALLCOMMANDS (1 << 2) /* skip the command check (+@all, not undone by a + rule) */
#define SELECTOR_FLAG_ALLCHANNELS (1 << 3)
#define SELECTOR_FLAG_FUTURE (1 << 4)      /* set by +@all only: rendered as "+@all ..." */

#define ACL_READ_PERMISSION (1 << 0)
#define ACL_WRITE_PERMISSION (1 << 1)
#define ACL_ALL_PERMISSION (ACL_READ_PERMISSION | ACL_WRITE_PERMISSION)

typedef struct aclKeyPattern {
    int flags; /* ACL_*_PERMISSION */
    sds pattern;
} aclKeyPattern;

typedef struct aclSelector {
    int flags;          /* SELECTOR_FLAG_* */
    uint64_t *allowed;  /* one bit per command id */
    sds **firstargs;    /* per command id: NULL-terminated allowed first arguments, or NULL */
    list *patterns;     /* aclKeyPattern* */
    list *channels;     /* sds */
} aclSelector;

/* Users by name, in name order (ACL LIST, ACL USERS). */
extern rax *Users;

/* Creates a user named name (not yet in Users: aclCreateUser adds it). */
user *aclCreateUser(const char *name, size_t len);
/* Frees u after disconnecting every client authenticated as u. */
void aclFreeUserAndKillClients(user *u);
/* Removes name from Users and frees it (clients disconnected). */
void aclDeleteUser(user *u);
/* Whether name is acceptable as a user name (no spaces, no NUL). */
int aclValidUserName(const char *name, size_t len);
/* Applies every rule of argv[0..argc) to u atomically: on an error u is
 * unchanged, *errop (borrowed from argv or static) names the failed rule and
 * the return is C_ERR with errno set. Rules across several arguments that
 * form one "(...)" selector are merged; an unbalanced one fails with
 * errno = EINVAL and *badparen set to its first argument's index. */
int aclSetUserRules(user *u, sds *argv, int argc, sds *errop, int *badparen);

/* GETUSER pieces: new sds strings. */
sds aclDescribeSelectorCommands(aclSelector *s);
sds aclDescribeSelectorKeys(aclSelector *s);
sds aclDescribeSelectorChannels(aclSelector *s);
/* The user-level flags in Redis's order, as static strings: fills names
 * and returns how many. */
int aclUserFlagNames(user *u, const char *names[8]);

/* Category table: names and flags, NULL-terminated. */
typedef struct aclCategory {
    const char *name;
    uint64_t flag;
} aclCategory;
extern const aclCategory aclCategories[];
uint64_t aclCategoryByName(const char *name);

#endif /* EMBER_ACL_INTERNAL_H */
