/* acl.h — users and their permissions (acl.c, acl_cmd.c).
 *
 * A user has a name, flags (on/off, nopass, payload sanitizing), a set of
 * SHA-256 password hashes and one or more selectors: the root selector and
 * the "(...)" ones. Each selector allows a set of commands (a bitmap over
 * the command ids of the whole declared table, plus allowed first
 * arguments), key patterns with read/write permissions and channel
 * patterns. A command is allowed when any selector allows it entirely.
 *
 * Clients point at their user (c->user, never NULL for a network client;
 * NULL means "no checks", as for the primary's link). Users live until
 * ACL DELUSER or ACL LOAD; the clients of a freed user are disconnected
 * first, so a client never holds a dangling pointer.
 */
#ifndef EMBER_ACL_H
#define EMBER_ACL_H

#include "sds.h"
#include "adlist.h"
#include "object.h"

struct client;
struct redisCommand;

#define USER_FLAG_ENABLED (1 << 0)
#define USER_FLAG_DISABLED (1 << 1)
#define USER_FLAG_NOPASS (1 << 2)
#define USER_FLAG_SANITIZE_PAYLOAD (1 << 3)
#define USER_FLAG_SANITIZE_PAYLOAD_SKIP (1 << 4)

typedef struct user {
    sds name;
    int flags;        /* USER_FLAG_* */
    list *passwords;  /* sds, 64 hex digits each */
    list *selectors;  /* aclSelector*; the root selector first */
} user;

/* Results of a permission check, ordered as the check ranks them. */
#define ACL_OK 0
#define ACL_DENIED_CMD 1
#define ACL_DENIED_KEY 2
#define ACL_DENIED_AUTH 3
#define ACL_DENIED_CHANNEL 4

/* Contexts of an ACL LOG entry. */
#define ACL_LOG_CTX_TOPLEVEL 0
#define ACL_LOG_CTX_LUA 1
#define ACL_LOG_CTX_MULTI 2

/* The user every connection starts as. Never freed (ACL LOAD copies into it). */
extern user *DefaultUser;

/* Creates the users table and the default user ("on nopass ~* &* +@all").
 * Called once, after populateCommandTable. */
void aclInit(void);

/* The user with that name, or NULL. The pointer is valid until the user is
 * deleted (ACL DELUSER, ACL LOAD). */
user *aclGetUser(const char *name, size_t len);

/* Applies one rule ("on", ">pw", "~k*", "+@read", "(+get ~x)" ...) to u.
 * C_OK, or C_ERR with errno naming the problem (aclRuleErrorText). */
int aclSetUser(user *u, const char *op, ssize_t oplen);
/* The text Redis gives for the errno of a failed aclSetUser. Static. */
const char *aclRuleErrorText(int err);

/* Checks cmd with argv[0..argc) against u's selectors: ACL_OK or an
 * ACL_DENIED_* code, with *errpos set to the argv index of the denied key
 * or channel. u NULL allows everything. */
int aclCheckCommand(user *u, struct redisCommand *cmd, robj **argv, int argc, int *errpos);

/* processCommand's check of c's current command. C_OK when allowed; else
 * the NOPERM error is sent (rejected through reject, which flags a
 * transaction), the denial logged, and C_ERR returned. */
int aclCheckClientCommand(struct client *c, void (*reject)(struct client *c, sds err));

/* EXEC's check of one queued command (c->cmd, c->argv): the rules may have
 * changed since it was queued. C_OK to run it; else the NOPERM error is
 * the command's reply, the denial is logged, and C_ERR returned. */
int aclCheckQueuedCommand(struct client *c);

/* redis.call's check (c is the script client running as the caller's
 * user). NULL when allowed; else the denial is logged and the error text
 * (static) returned. */
const char *aclCheckScriptCommand(struct client *c, struct redisCommand *cmd, robj **argv, int argc);

/* Logs a denial in ACL LOG. argpos is the argv index of the key or
 * channel; username (borrowed) overrides c's user for failed logins. */
void aclLogDenial(struct client *c, int reason, int context, robj **argv, int argpos, const char *username);

/* Authenticates c as username (NULL: "default") with password. C_OK and
 * c is now that user; C_ERR when the pair is wrong or the user disabled
 * (the failure is logged). */
int aclAuthenticate(struct client *c, robj *username, robj *password);

/* Gives c the default user, authenticated when that user needs no password. */
void aclClientSetDefaultAuth(struct client *c);

/* requirepass: replaces the default user's passwords with pass (NULL or
 * empty: nopass). */
void aclSetDefaultUserPassword(sds pass);

/* The ACL file form of u ("user alice on #... ~* &* +@all"). New sds. */
sds aclDescribeUser(user *u);

/* Calls fn with the ACL file line of every user, in name order; fn takes
 * the line (CONFIG REWRITE writes them as `user` lines). */
void aclForEachUserLine(void (*fn)(sds line, void *privdata), void *privdata);

/* Config-file support: a `user` line is kept until aclLoadUsersAtStartup,
 * which also loads aclfile; it exits with a message on an invalid setup. */
void aclAddConfigUserLine(sds *argv, int argc);
void aclLoadUsersAtStartup(void);

/* unixsocket-peercred-user UID:USER lines: set() parses one more mapping,
 * get() lists them ("1000:alice 0:root"). */
int aclPeercredAdd(const char *spec, const char **err);
sds aclPeercredGet(void);
void aclPeercredReset(void);
/* A client accepted on the unix socket: authenticates it as the mapped
 * user when its peer uid has one. */
void aclAuthenticateByPeer(struct client *c);

/* ACL subcommand handlers (acl_cmd.c). */
void aclSetuserCommand(struct client *c);
void aclGetuserCommand(struct client *c);
void aclDeluserCommand(struct client *c);
void aclListCommand(struct client *c);
void aclUsersCommand(struct client *c);
void aclWhoamiCommand(struct client *c);
void aclCatCommand(struct client *c);
void aclGenpassCommand(struct client *c);
void aclDryrunCommand(struct client *c);
void aclLogCommand(struct client *c);
void aclLoadCommand(struct client *c);
void aclSaveCommand(struct client *c);
void aclHelpCommand(struct client *c);


#endif /* EMBER_ACL_H */
