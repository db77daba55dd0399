/* tls.h — TLS for accepted connections: the context and a connection type.
 *
 * tls.c builds one OpenSSL server context from the tls-* directives and
 * offers CT_TLS through tlsConnectionType(): a ConnectionType whose sockets
 * speak TLS, with a handshake that never blocks the event loop. The rest of
 * the server sees TLS clients as any other connection.
 *
 * Built without OpenSSL (make BUILD_TLS=no) the same calls exist; they fail
 * with a message saying so, and tlsConnectionType() returns NULL.
 */
#ifndef EMBER_TLS_H
#define EMBER_TLS_H

#include "connection.h"

/* The TLS connection type, or NULL when the server is built without TLS.
 * Accepted sockets wrapped with it (connCreateAccepted) use the context
 * current at that moment for their whole life. */
const ConnectionType *tlsConnectionType(void);

/* Builds a new context from server.tls and, only if every file and setting
 * is valid, makes it the current one (connections already open keep theirs).
 * On failure each problem is logged, the previous context stays and C_ERR is
 * returned. */
int tlsConfigure(void);

/* 1 once a context has been built (tlsConfigure succeeded at least once). */
int tlsIsConfigured(void);

/* CONFIG SET hooks. tlsApplyConfig rebuilds the context after a tls-* file,
 * cipher or session setting changed, if TLS is in use (tls-port, or
 * tls-replication / tls-cluster, set); tlsApplyPort builds the context if
 * needed, then rebinds the listeners. Both return 1, or 0 with *err set to
 * the text CONFIG SET shows. */
int tlsApplyConfig(const char **err);
int tlsApplyPort(const char **err);

/* Runs the read handler of every TLS connection holding decrypted bytes
 * that no socket event will announce (OpenSSL read a whole record, the
 * caller took part of it). Called from beforeSleep; returns how many
 * connections still hold such bytes afterwards (the loop must then not
 * sleep). */
int tlsProcessPendingData(void);

#endif
