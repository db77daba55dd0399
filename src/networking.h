/* networking.h — clients on the wire: accept, read, parse, write, close.
 *
 * networking.c accepts connections on the listeners, creates and frees
 * clients, reads and parses their input, writes their replies before the
 * loop sleeps, enforces the output buffer limits and CLIENT PAUSE, and
 * visits clients in slices from the cron. The per-connection commands
 * (PING, HELLO, AUTH, SELECT ... in cmd_connection.c) and CLIENT (client.c)
 * are declared here too.
 */
#ifndef EMBER_NETWORKING_H
#define EMBER_NETWORKING_H

#include <stddef.h>
#include "ae.h"
#include "sds.h"
#include "connection.h"

typedef struct client client;

client *createClient(connection *conn);
void freeClient(client *c);
void freeClientAsync(client *c);
void freeClientsInAsyncFreeQueue(void);
void acceptTcpHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void acceptUnixHandler(aeEventLoop *el, int fd, void *privdata, int mask);
void readQueryFromClient(connection *conn);
void sendReplyToClient(connection *conn);
int writeToClient(client *c, int handler_installed);
int handleClientsWithPendingWrites(void);
/* Reads, with the io threads, the clients whose reads were deferred
 * (io-threads-do-reads), then runs what they sent. Returns how many. */
int handleClientsWithPendingReads(void);
void processInputBuffer(client *c);
void resetClient(client *c);
void freeClientArgv(client *c);
int clientHasPendingReplies(client *c);
void putClientInPendingWriteQueue(client *c);
int prepareClientToWrite(client *c);
int getClientType(client *c);
int getClientTypeByName(const char *name);
const char *getClientTypeName(int type);
unsigned long getClientOutputBufferMemoryUsage(client *c);
int checkClientOutputBufferLimits(client *c);
int closeClientOnOutputBufferLimitReached(client *c, int async);
char *getClientPeerId(client *c);
char *getClientSockname(client *c);
sds catClientInfoString(sds s, client *c);
/* The connected client with this id, or NULL (a walk of server.clients). */
client *lookupClientByID(uint64_t id);
void clientsCron(void);
/* Bytes of memory a client holds: the structure, its query buffer and the
 * arguments being received or run, its reply buffers. What CLIENT LIST
 * calls tot-mem, what INFO sums in mem_clients_normal, and the figure
 * client eviction (maxmemory-clients) is to weigh. */
size_t clientTotalMemory(client *c);
void processUnpausedClients(void);
int areClientsPaused(void);
int checkClientPauseTimeoutAndReturnIfPaused(void);
/* Starts or extends the pause of one purpose (PAUSE_BY_*, PAUSE_DURING_*):
 * type PAUSE_WRITE or PAUSE_ALL until the unix time end in milliseconds.
 * A purpose's pause never becomes less strict nor shorter. */
void pauseClients(int purpose, int type, long long end);
/* Ends the pause of one purpose; the others stay. Parked clients run
 * again from beforeSleep once no purpose holds them. */
void unpauseClients(int purpose);
/* Opens every listener from the configuration (port, tls-port, unixsocket)
 * and registers the accept handlers. On C_ERR nothing is left open and
 * *tls_failed says whether the tls-port was the one that failed; the caller
 * logs "Failed listening on port" and exits. */
int listenToPort(int *tls_failed);
/* Opens a listening socket on port for every bind address into fds (room
 * for CONFIG_BINDADDR_MAX); *count of them. Port 0 opens none. C_ERR (and
 * *count 0) if a mandatory address failed. The caller registers them. */
int openTcpListeners(int port, int *fds, int *count);
int changeListener(void);

void pingCommand(client *c);
void echoCommand(client *c);
void quitCommand(client *c);
void resetCommand(client *c);
void helloCommand(client *c);
void authCommand(client *c);
void selectCommand(client *c);

void clientIdCommand(client *c);
void clientGetNameCommand(client *c);
void clientSetNameCommand(client *c);
void clientListCommand(client *c);
void clientInfoCommand(client *c);
void clientKillCommand(client *c);
void clientReplyCommand(client *c);
void clientNoEvictCommand(client *c);
void clientPauseCommand(client *c);
void clientUnpauseCommand(client *c);
void clientHelpCommand(client *c);

#endif /* EMBER_NETWORKING_H */
