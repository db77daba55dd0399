/* tls.c — TLS as a connection type (OpenSSL), and the context behind it.
 *
 * The context. tlsConfigure() turns the tls-* directives into an SSL_CTX:
 * certificate chain and key (with its passphrase), the CA file or directory
 * that client certificates are checked against, DH parameters (OpenSSL's
 * built-in groups when none are given), protocol versions, TLS 1.2 ciphers,
 * TLS 1.3 cipher suites, server cipher preference and the session cache.
 * A client context serves outgoing connections (a replica's link to its
 * primary with tls-replication yes, the cluster bus links and MIGRATE's
 * with tls-cluster yes): the tls-client-cert-file pair, or the
 * server's own pair when none is given, and the peer's certificate checked
 * against the same CAs (no host name check, as in Redis). A new context
 * replaces the current one only when all of it loaded; OpenSSL counts the
 * references, so connections opened under the old one keep it until they
 * close. tls-auth-clients is read per connection, at accept time.
 *
 * The connection. A tlsConnection is a connection (first member, so the
 * pointer is the same) plus its SSL object. It owns its descriptor's
 * event-loop registration and computes the events it needs from three
 * things: what the owner asked for (read handler, write handler), and what
 * OpenSSL last said it is waiting for. A TLS read can need the socket to be
 * writable (a key update, a record to flush) and a TLS write can need it to
 * be readable, so "call me when I can read" is not always AE_READABLE. One
 * event procedure, tlsEventHandler, serves both directions and decides which
 * owner handler the readiness was for.
 *
 * The handshake is SSL_do_handshake on a non-blocking socket, one step per
 * readiness event: WANT_READ and WANT_WRITE become the event awaited next.
 * An accepted connection starts it at once; an outgoing one (tlsConnect)
 * after its TCP connect completes, with the connect handler standing in
 * for the accept handler. Either way the state is ACCEPTING meanwhile.
 * MIGRATE alone connects blocking (tlsBlockingConnect): the handshake then
 * polls the socket until done or out of time.
 * The loop never waits on it, and a peer that stalls half way is a client
 * like any other to the idle timeout (its client exists from the accept). A
 * peer speaking plain RESP fails the handshake at its first bytes; the
 * owner's accept handler then logs OpenSSL's reason and frees the client.
 *
 * Buffered plaintext. SSL_read decrypts whole records; when the caller took
 * less than a record held, the rest sits in OpenSSL with no socket event to
 * announce it. Such connections are kept on an intrusive list, and
 * beforeSleep (tlsProcessPendingData) runs their read handler until the
 * bytes are gone; while the list is not empty the loop does not sleep.
 *
 * Writes. SSL_write takes one buffer, so writev is emulated: small buffers
 * are copied together into one record-sized block (fewer, fuller records),
 * a big first buffer is written as it is. Partial writes are enabled, and
 * the moving-buffer mode lets a retry after WANT_WRITE pass the same bytes
 * from another address.
 */
#include "server.h"
#include "tls.h"

#ifdef USE_OPENSSL

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#define TLS_WRITE_CHUNK (16 * 1024) /* one TLS record's worth of plaintext */
#define TLS_ERR_LEN 256

/* What OpenSSL waits for before the last call can make progress. */
#define TLS_HS_WANT_READ (1 << 0)    /* handshake: readable */
#define TLS_HS_WANT_WRITE (1 << 1)   /* handshake: writable */
#define TLS_READ_WANT_WRITE (1 << 2) /* the last SSL_read needs writable */
#define TLS_WRITE_WANT_READ (1 << 3) /* the last SSL_write needs readable */

typedef struct tlsConnection {
    connection c; /* first: a tlsConnection * is a connection * */
    SSL *ssl;
    int want;             /* TLS_* above */
    int registered;       /* AE_READABLE / AE_WRITABLE currently in the loop */
    struct tlsConnection **pending_on; /* the list head it is on, or NULL */
    struct tlsConnection *pending_prev, *pending_next;
    ConnectionCallbackFunc accept_handler;
    char err[TLS_ERR_LEN];
} tlsConnection;

/* tls-auth-clients values (config.c's enum). */
#define TLS_CLIENT_AUTH_NO 0
#define TLS_CLIENT_AUTH_YES 1
#define TLS_CLIENT_AUTH_OPTIONAL 2

static SSL_CTX *tls_ctx;                 /* the current server context */
static SSL_CTX *tls_client_ctx;          /* the current client context */
static tlsConnection *tls_pending_head; /* connections with buffered plaintext */
static tlsConnection *tls_batch_head;   /* taken off it by tlsProcessPendingData */

/* ------------------------------------------------------------- context */

/* The key passphrase (tls-key-file-pass) for OpenSSL's PEM reader. */
static int tlsPasswordCallback(char *buf, int size, int rwflag, void *u) {
    const char *pass = u;
    if (pass == NULL) return -1;
    int len = (int)strlen(pass);
    if (len > size) len = size;
    memcpy(buf, pass, (size_t)len);
    return len;
}

/* Logs `what` with the oldest OpenSSL error queued, and empties the queue. */
static void tlsLogError(const char *what, const char *arg) {
    char buf[TLS_ERR_LEN];
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, buf, sizeof(buf));
    else
        snprintf(buf, sizeof(buf), "unknown error");
    if (arg)
        serverLog(LL_WARNING, "%s: %s: %s", what, arg, buf);
    else
        serverLog(LL_WARNING, "%s: %s", what, buf);
    ERR_clear_error();
}

/* SSL_OP_NO_* options that leave only the versions named in tls-protocols
 * ("TLSv1.2 TLSv1.3" when empty). -1 on an unknown name. */
static long tlsProtocolOptions(const char *spec) {
    if (spec == NULL || spec[0] == '\0') return SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
    static const struct {
        const char *name;
        long op;
    } versions[] = {{"tlsv1", SSL_OP_NO_TLSv1},
                    {"tlsv1.1", SSL_OP_NO_TLSv1_1},
                    {"tlsv1.2", SSL_OP_NO_TLSv1_2},
                    {"tlsv1.3", SSL_OP_NO_TLSv1_3}};
    long all = 0, enabled = 0;
    for (size_t j = 0; j < sizeof(versions) / sizeof(versions[0]); j++) all |= versions[j].op;
    int count;
    sds *words = sdssplitlen(spec, (ssize_t)strlen(spec), " ", 1, &count);
    int ok = 1;
    for (int i = 0; i < count && ok; i++) {
        if (sdslen(words[i]) == 0) continue;
        size_t j;
        for (j = 0; j < sizeof(versions) / sizeof(versions[0]); j++)
            if (!strcasecmp(words[i], versions[j].name)) break;
        if (j == sizeof(versions) / sizeof(versions[0]))
            ok = 0;
        else
            enabled |= versions[j].op;
    }
    sdsfreesplitres(words, count);
    if (!ok || enabled == 0) {
        serverLog(LL_WARNING, "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' "
                              "and 'TLSv1.3'.");
        return -1;
    }
    return all & ~enabled;
}

/* Loads tls-dh-params-file into ctx, or lets OpenSSL pick its groups. */
static int tlsLoadDhParams(SSL_CTX *ctx, const char *file) {
    if (file == NULL) {
        SSL_CTX_set_dh_auto(ctx, 1);
        return C_OK;
    }
    BIO *bio = BIO_new_file(file, "r");
    EVP_PKEY *dh = bio ? PEM_read_bio_Parameters(bio, NULL) : NULL;
    BIO_free(bio);
    if (dh == NULL || SSL_CTX_set0_tmp_dh_pkey(ctx, dh) <= 0) {
        EVP_PKEY_free(dh);
        ERR_clear_error();
        serverLog(LL_WARNING, "%s: failed to read DH params.", file);
        return C_ERR;
    }
    return C_OK;
}

/* Certificate chain and private key of one side into ctx. */
static int tlsLoadKeyPair(SSL_CTX *ctx, const char *cert, const char *key, const char *pass) {
    SSL_CTX_set_default_passwd_cb(ctx, tlsPasswordCallback);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)pass);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) <= 0) {
        tlsLogError("Failed to load certificate", cert);
        return C_ERR;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) <= 0) {
        SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
        tlsLogError("Failed to load private key", key);
        return C_ERR;
    }
    /* The passphrase is the config's string: not kept past the load. */
    SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    if (SSL_CTX_check_private_key(ctx) <= 0) {
        tlsLogError("Private key does not match the certificate", key);
        return C_ERR;
    }
    return C_OK;
}

/* The settings both sides share: versions, ciphers, trusted CAs. */
static int tlsSetCommon(SSL_CTX *ctx) {
    struct serverTlsConfig *cfg = &server.tls;
    long protocols = tlsProtocolOptions(cfg->protocols);
    if (protocols == -1) return C_ERR;
    SSL_CTX_set_options(ctx, SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF |
                                 (unsigned long)protocols);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    if (cfg->ciphers && SSL_CTX_set_cipher_list(ctx, cfg->ciphers) <= 0) {
        ERR_clear_error();
        serverLog(LL_WARNING, "Failed to configure ciphers: %s", cfg->ciphers);
        return C_ERR;
    }
    if (cfg->ciphersuites && SSL_CTX_set_ciphersuites(ctx, cfg->ciphersuites) <= 0) {
        ERR_clear_error();
        serverLog(LL_WARNING, "Failed to configure ciphersuites: %s", cfg->ciphersuites);
        return C_ERR;
    }
    if ((cfg->ca_cert_file || cfg->ca_cert_dir) &&
        SSL_CTX_load_verify_locations(ctx, cfg->ca_cert_file, cfg->ca_cert_dir) <= 0) {
        tlsLogError("Failed to configure CA certificate(s) file/directory", NULL);
        return C_ERR;
    }
    return C_OK;
}

/* The server context from server.tls, or NULL (logged). */
static SSL_CTX *tlsBuildServerContext(void) {
    struct serverTlsConfig *cfg = &server.tls;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        tlsLogError("Failed to create the TLS context", NULL);
        return NULL;
    }
    if (tlsSetCommon(ctx) != C_OK) goto fail;
    if (cfg->prefer_server_ciphers) SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (cfg->session_caching) {
        static const unsigned char sid_ctx[] = "ember";
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
        SSL_CTX_sess_set_cache_size(ctx, cfg->session_cache_size);
        SSL_CTX_set_timeout(ctx, cfg->session_cache_timeout);
        SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
    } else {
        /* As in Redis, stateless session tickets still resume sessions. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    }
    if (tlsLoadKeyPair(ctx, cfg->cert_file, cfg->key_file, cfg->key_file_pass) != C_OK) goto fail;
    if (tlsLoadDhParams(ctx, cfg->dh_params_file) != C_OK) goto fail;
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

/* The context of outgoing connections, or NULL (logged). */
static SSL_CTX *tlsBuildClientContext(void) {
    struct serverTlsConfig *cfg = &server.tls;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        tlsLogError("Failed to create the TLS client context", NULL);
        return NULL;
    }
    int own = cfg->client_cert_file != NULL;
    if (tlsSetCommon(ctx) != C_OK ||
        tlsLoadKeyPair(ctx, own ? cfg->client_cert_file : cfg->cert_file, own ? cfg->client_key_file : cfg->key_file,
                       own ? cfg->client_key_file_pass : cfg->key_file_pass) != C_OK) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return ctx;
}

int tlsConfigure(void) {
    struct serverTlsConfig *cfg = &server.tls;
    if (cfg->cert_file == NULL) {
        serverLog(LL_WARNING, "No tls-cert-file configured!");
        return C_ERR;
    }
    if (cfg->key_file == NULL) {
        serverLog(LL_WARNING, "No tls-key-file configured!");
        return C_ERR;
    }
    if (cfg->client_cert_file && cfg->client_key_file == NULL) {
        serverLog(LL_WARNING, "No tls-client-key-file configured!");
        return C_ERR;
    }
    int needs_ca = cfg->cluster || cfg->replication || cfg->auth_clients != TLS_CLIENT_AUTH_NO;
    if (needs_ca && cfg->ca_cert_file == NULL && cfg->ca_cert_dir == NULL) {
        serverLog(LL_WARNING, "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, "
                              "tls-replication or tls-auth-clients are enabled!");
        return C_ERR;
    }
    SSL_CTX *ctx = tlsBuildServerContext();
    if (ctx == NULL) return C_ERR;
    SSL_CTX *client_ctx = tlsBuildClientContext();
    if (client_ctx == NULL) {
        SSL_CTX_free(ctx);
        return C_ERR;
    }
    SSL_CTX_free(tls_ctx);
    SSL_CTX_free(tls_client_ctx);
    tls_ctx = ctx;
    tls_client_ctx = client_ctx;
    return C_OK;
}

int tlsIsConfigured(void) {
    return tls_ctx != NULL;
}

/* ---------------------------------------------------------- connection */

/* Puts tc at the head of *head, unless it is on a list already. */
static void tlsPendingPush(tlsConnection **head, tlsConnection *tc) {
    if (tc->pending_on) return;
    tc->pending_on = head;
    tc->pending_prev = NULL;
    tc->pending_next = *head;
    if (*head) (*head)->pending_prev = tc;
    *head = tc;
}

static void tlsPendingAdd(tlsConnection *tc) {
    tlsPendingPush(&tls_pending_head, tc);
}

static void tlsPendingRemove(tlsConnection *tc) {
    if (tc->pending_on == NULL) return;
    if (tc->pending_prev)
        tc->pending_prev->pending_next = tc->pending_next;
    else
        *tc->pending_on = tc->pending_next;
    if (tc->pending_next) tc->pending_next->pending_prev = tc->pending_prev;
    tc->pending_on = NULL;
    tc->pending_prev = tc->pending_next = NULL;
}

static void tlsEventHandler(aeEventLoop *el, int fd, void *data, int mask);

/* The socket events tc needs now, given its handlers and OpenSSL's wants. */
static int tlsWantedMask(const tlsConnection *tc) {
    const connection *conn = &tc->c;
    int mask = 0;
    if (conn->state == CONN_STATE_ACCEPTING) {
        if (tc->want & TLS_HS_WANT_READ) mask |= AE_READABLE;
        if (tc->want & TLS_HS_WANT_WRITE) mask |= AE_WRITABLE;
        return mask;
    }
    if (conn->state != CONN_STATE_CONNECTED) return 0;
    if (conn->read_handler) mask |= (tc->want & TLS_READ_WANT_WRITE) ? AE_WRITABLE : AE_READABLE;
    if (conn->write_handler) mask |= (tc->want & TLS_WRITE_WANT_READ) ? AE_READABLE : AE_WRITABLE;
    return mask;
}

/* Brings the loop's registration for tc's descriptor in line with
 * tlsWantedMask. C_ERR if an event could not be registered. */
static int tlsUpdateEvents(tlsConnection *tc) {
    if (tc->c.fd == -1) return C_OK;
    int wanted = tlsWantedMask(tc);
    int add = wanted & ~tc->registered, del = tc->registered & ~wanted;
    if (del) aeDeleteFileEvent(server.el, tc->c.fd, del);
    tc->registered &= ~del;
    if (add) {
        if (aeCreateFileEvent(server.el, tc->c.fd, add, tlsEventHandler, tc) == AE_ERR) return C_ERR;
        tc->registered |= add;
    }
    return C_OK;
}

/* Records a failed SSL call as the connection's error: OpenSSL's text when
 * it queued one, else errno's, else "connection closed by peer". */
static void tlsNoteError(tlsConnection *tc, int sslerr) {
    int saved_errno = errno;
    unsigned long e = ERR_peek_error();
    if (sslerr == SSL_ERROR_SSL && e) {
        ERR_error_string_n(e, tc->err, sizeof(tc->err));
    } else if (sslerr == SSL_ERROR_SYSCALL && saved_errno) {
        snprintf(tc->err, sizeof(tc->err), "%s", strerror(saved_errno));
    } else if (e) {
        ERR_error_string_n(e, tc->err, sizeof(tc->err));
    } else {
        snprintf(tc->err, sizeof(tc->err), "connection closed by peer");
    }
    ERR_clear_error();
    tc->c.last_errno = saved_errno;
    tc->c.state = CONN_STATE_ERROR;
}

/* One handshake step. On completion or failure, the accept handler runs
 * (it sees CONNECTED or ERROR). Returns 0 if the handler closed conn. */
static int tlsHandshakeStep(tlsConnection *tc) {
    ERR_clear_error();
    int r = SSL_do_handshake(tc->ssl);
    tc->want &= ~(TLS_HS_WANT_READ | TLS_HS_WANT_WRITE);
    if (r == 1) {
        tc->c.state = CONN_STATE_CONNECTED;
    } else {
        int e = SSL_get_error(tc->ssl, r);
        if (e == SSL_ERROR_WANT_READ) {
            tc->want |= TLS_HS_WANT_READ;
        } else if (e == SSL_ERROR_WANT_WRITE) {
            tc->want |= TLS_HS_WANT_WRITE;
        } else {
            tlsNoteError(tc, e);
        }
    }
    if (tlsUpdateEvents(tc) != C_OK && tc->c.state != CONN_STATE_ERROR) {
        snprintf(tc->err, sizeof(tc->err), "cannot register the socket in the event loop");
        tc->c.state = CONN_STATE_ERROR;
    }
    if (tc->c.state == CONN_STATE_ACCEPTING) return 1;
    ConnectionCallbackFunc handler = tc->accept_handler;
    tc->accept_handler = NULL;
    return connCallHandler(&tc->c, handler);
}

static void tlsEventHandler(aeEventLoop *el, int fd, void *data, int mask) {
    tlsConnection *tc = data;
    connection *conn = &tc->c;
    if (conn->state == CONN_STATE_ACCEPTING) {
        tlsHandshakeStep(tc);
        return;
    }
    int read_ready = (tc->want & TLS_READ_WANT_WRITE) ? AE_WRITABLE : AE_READABLE;
    int write_ready = (tc->want & TLS_WRITE_WANT_READ) ? AE_READABLE : AE_WRITABLE;
    if ((mask & read_ready) && conn->read_handler) {
        if (!connCallHandler(conn, conn->read_handler)) return;
    }
    if ((mask & write_ready) && conn->write_handler) {
        if (!connCallHandler(conn, conn->write_handler)) return;
    }
    tlsUpdateEvents(tc);
}

static int tlsAccept(connection *conn, ConnectionCallbackFunc handler) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (conn->state != CONN_STATE_ACCEPTING) return connCallHandler(conn, handler) ? C_OK : C_ERR;
    tc->accept_handler = handler;
    return tlsHandshakeStep(tc) ? C_OK : C_ERR;
}

/* The TCP connect of tlsConnect is done (or failed): the handshake
 * begins, as a client. */
static void tlsConnectEvent(aeEventLoop *el, int fd, void *data, int mask) {
    (void)el, (void)mask;
    tlsConnection *tc = data;
    aeDeleteFileEvent(server.el, fd, AE_WRITABLE);
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1) soerr = errno;
    if (soerr == 0) {
        tc->ssl = SSL_new(tls_client_ctx);
        if (tc->ssl == NULL || SSL_set_fd(tc->ssl, fd) != 1) {
            tlsNoteError(tc, SSL_ERROR_SSL);
        } else {
            SSL_set_connect_state(tc->ssl);
            tc->c.state = CONN_STATE_ACCEPTING;
            tlsHandshakeStep(tc);
            return;
        }
    } else {
        tc->c.last_errno = soerr;
        tc->c.state = CONN_STATE_ERROR;
    }
    ConnectionCallbackFunc handler = tc->accept_handler;
    tc->accept_handler = NULL;
    connCallHandler(&tc->c, handler);
}

static int tlsConnect(connection *conn, const char *addr, int port, ConnectionCallbackFunc handler) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (tls_client_ctx == NULL) {
        snprintf(tc->err, sizeof(tc->err), "TLS is not configured (tls-cert-file, tls-key-file)");
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    tc->accept_handler = handler;
    return connTcpStartConnect(conn, addr, port, tlsConnectEvent);
}

/* A connect that blocks (MIGRATE's link with tls-cluster): the TCP connect
 * of CT_Socket, then the client handshake, all within timeout_ms. */
static int tlsBlockingConnect(connection *conn, const char *addr, int port, long long timeout_ms) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (tls_client_ctx == NULL) {
        snprintf(tc->err, sizeof(tc->err), "TLS is not configured (tls-cert-file, tls-key-file)");
        conn->last_errno = EOPNOTSUPP;
        conn->state = CONN_STATE_ERROR;
        return C_ERR;
    }
    long long deadline = (long long)(getMonotonicUs() / 1000) + timeout_ms;
    if (CT_Socket.blocking_connect(conn, addr, port, timeout_ms) != C_OK) return C_ERR;
    conn->state = CONN_STATE_CONNECTING;
    tc->ssl = SSL_new(tls_client_ctx);
    if (tc->ssl == NULL || SSL_set_fd(tc->ssl, conn->fd) != 1) {
        tlsNoteError(tc, SSL_ERROR_SSL);
        return C_ERR;
    }
    SSL_set_connect_state(tc->ssl);
    for (;;) {
        ERR_clear_error();
        int r = SSL_do_handshake(tc->ssl);
        if (r == 1) {
            conn->state = CONN_STATE_CONNECTED;
            return C_OK;
        }
        int e = SSL_get_error(tc->ssl, r);
        short events = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (events == 0) {
            tlsNoteError(tc, e);
            if (conn->last_errno == 0) conn->last_errno = ECONNRESET;
            return C_ERR;
        }
        if (connPollUntil(conn, events, deadline) <= 0) {
            conn->last_errno = errno;
            conn->state = CONN_STATE_ERROR;
            snprintf(tc->err, sizeof(tc->err), "%s", strerror(errno));
            return C_ERR;
        }
    }
}

static ssize_t tlsRead(connection *conn, void *buf, size_t len) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (conn->state != CONN_STATE_CONNECTED || tc->ssl == NULL) {
        errno = ENOTCONN;
        return -1;
    }
    ERR_clear_error();
    int want_before = tc->want;
    int n = SSL_read(tc->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
    tc->want &= ~TLS_READ_WANT_WRITE;
    ssize_t ret;
    if (n > 0) {
        ret = n;
    } else {
        int e = SSL_get_error(tc->ssl, n);
        if (e == SSL_ERROR_WANT_READ) {
            errno = EAGAIN;
            ret = -1;
        } else if (e == SSL_ERROR_WANT_WRITE) {
            tc->want |= TLS_READ_WANT_WRITE;
            errno = EAGAIN;
            ret = -1;
        } else if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0 && ERR_peek_error() == 0)) {
            conn->state = CONN_STATE_CLOSED;
            ret = 0;
        } else {
            tlsNoteError(tc, e);
            ret = -1;
        }
    }
    if (conn->state == CONN_STATE_CONNECTED && SSL_pending(tc->ssl) > 0)
        tlsPendingAdd(tc);
    else
        tlsPendingRemove(tc);
    if (tc->want != want_before) tlsUpdateEvents(tc);
    return ret;
}

/* One SSL_write of buf[0..len); same return contract as connWritev. */
static ssize_t tlsWriteOne(tlsConnection *tc, const void *buf, size_t len) {
    ERR_clear_error();
    int n = SSL_write(tc->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
    if (n > 0) return n;
    int e = SSL_get_error(tc->ssl, n);
    if (e == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
    } else if (e == SSL_ERROR_WANT_READ) {
        tc->want |= TLS_WRITE_WANT_READ;
        errno = EAGAIN;
    } else {
        tlsNoteError(tc, e);
    }
    return -1;
}

static ssize_t tlsWritev(connection *conn, const struct iovec *iov, int iovcnt) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (conn->state != CONN_STATE_CONNECTED || tc->ssl == NULL) {
        errno = ENOTCONN;
        return -1;
    }
    int want_before = tc->want;
    tc->want &= ~TLS_WRITE_WANT_READ;
    ssize_t ret;
    if (iovcnt == 1 || iov[0].iov_len >= TLS_WRITE_CHUNK) {
        ret = tlsWriteOne(tc, iov[0].iov_base, iov[0].iov_len);
    } else {
        char block[TLS_WRITE_CHUNK];
        size_t used = 0;
        for (int j = 0; j < iovcnt && used < sizeof(block); j++) {
            size_t take = iov[j].iov_len;
            if (take > sizeof(block) - used) take = sizeof(block) - used;
            memcpy(block + used, iov[j].iov_base, take);
            used += take;
        }
        ret = tlsWriteOne(tc, block, used);
    }
    if (tc->want != want_before) tlsUpdateEvents(tc);
    return ret;
}

static void tlsClose(connection *conn) {
    tlsConnection *tc = (tlsConnection *)conn;
    tlsPendingRemove(tc);
    if (tc->ssl) {
        if (conn->state == CONN_STATE_CONNECTED || conn->state == CONN_STATE_CLOSED) {
            ERR_clear_error();
            SSL_shutdown(tc->ssl); /* one try at close_notify; no waiting */
            ERR_clear_error();
        }
        SSL_free(tc->ssl);
        tc->ssl = NULL;
    }
    if (conn->fd != -1) {
        aeDeleteFileEvent(server.el, conn->fd, AE_READABLE | AE_WRITABLE);
        close(conn->fd);
        conn->fd = -1;
    }
    tc->registered = 0;
    conn->read_handler = NULL;
    conn->write_handler = NULL;
    tc->accept_handler = NULL;
    if (conn->refs > 0) {
        conn->flags |= CONN_FLAG_CLOSE_SCHEDULED;
        return;
    }
    zfree(tc);
}

static int tlsSetReadHandler(connection *conn, ConnectionCallbackFunc handler) {
    tlsConnection *tc = (tlsConnection *)conn;
    conn->read_handler = handler;
    if (handler && tc->ssl && SSL_pending(tc->ssl) > 0) tlsPendingAdd(tc);
    if (tlsUpdateEvents(tc) == C_OK) return C_OK;
    conn->read_handler = NULL;
    return C_ERR;
}

static int tlsSetWriteHandler(connection *conn, ConnectionCallbackFunc handler) {
    tlsConnection *tc = (tlsConnection *)conn;
    conn->write_handler = handler;
    if (tlsUpdateEvents(tc) == C_OK) return C_OK;
    conn->write_handler = NULL;
    return C_ERR;
}

static const char *tlsGetLastError(connection *conn) {
    tlsConnection *tc = (tlsConnection *)conn;
    if (tc->err[0]) return tc->err;
    return strerror(conn->last_errno);
}

static int tlsFormatAddr(connection *conn, char *buf, size_t len, int remote) {
    return anetFormatFdAddr(conn->fd, buf, len, remote);
}

/* Gives the new connection its SSL object under the current context and
 * the client-certificate policy of tls-auth-clients. On failure the
 * connection is left in state ERROR, which the accept call reports. */
static void tlsInitAccepted(connection *conn) {
    tlsConnection *tc = (tlsConnection *)conn;
    tc->ssl = tls_ctx ? SSL_new(tls_ctx) : NULL;
    if (tc->ssl == NULL || SSL_set_fd(tc->ssl, conn->fd) != 1) {
        tlsNoteError(tc, SSL_ERROR_SSL);
        if (tc->ssl) SSL_free(tc->ssl);
        tc->ssl = NULL;
        return;
    }
    int verify = SSL_VERIFY_NONE;
    if (server.tls.auth_clients == TLS_CLIENT_AUTH_YES)
        verify = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    else if (server.tls.auth_clients == TLS_CLIENT_AUTH_OPTIONAL)
        verify = SSL_VERIFY_PEER;
    SSL_set_verify(tc->ssl, verify, NULL);
    SSL_set_accept_state(tc->ssl);
}

static const ConnectionType CT_TLS = {
    .name = "tls",
    .flags = 0,
    .conn_size = sizeof(tlsConnection),
    .init_accepted = tlsInitAccepted,
    .accept = tlsAccept,
    .connect = tlsConnect,
    .blocking_connect = tlsBlockingConnect,
    .read = tlsRead,
    .writev = tlsWritev,
    .close = tlsClose,
    .set_read_handler = tlsSetReadHandler,
    .set_write_handler = tlsSetWriteHandler,
    .get_last_error = tlsGetLastError,
    .format_addr = tlsFormatAddr,
};

const ConnectionType *tlsConnectionType(void) {
    return &CT_TLS;
}

int tlsProcessPendingData(void) {
    /* Work from a batch of its own: a handler may close any connection
     * (CLIENT KILL), which then leaves whichever list it is on, and a read
     * that leaves bytes behind puts its connection back on the main list for
     * the next turn, not this one. */
    while (tls_pending_head) {
        tlsConnection *tc = tls_pending_head;
        tlsPendingRemove(tc);
        tlsPendingPush(&tls_batch_head, tc);
    }
    while (tls_batch_head) {
        tlsConnection *tc = tls_batch_head;
        tlsPendingRemove(tc);
        if (tc->c.read_handler && tc->ssl && SSL_pending(tc->ssl) > 0) connCallHandler(&tc->c, tc->c.read_handler);
    }
    int left = 0;
    for (tlsConnection *tc = tls_pending_head; tc; tc = tc->pending_next) left++;
    return left;
}

#else /* !USE_OPENSSL */

const ConnectionType *tlsConnectionType(void) {
    return NULL;
}

int tlsConfigure(void) {
    serverLog(LL_WARNING, "TLS is not supported by this build (it was compiled with BUILD_TLS=no).");
    return C_ERR;
}

int tlsIsConfigured(void) {
    return 0;
}

int tlsProcessPendingData(void) {
    return 0;
}

#endif /* USE_OPENSSL */

/* Whether anything uses the context: then a changed setting must load. */
static int tlsInUse(void) {
    return server.tls.port || server.tls.replication || server.tls.cluster;
}

int tlsApplyConfig(const char **err) {
    if (!tlsInUse()) return 1;
    if (tlsConfigure() == C_ERR) {
        *err = "Unable to update TLS configuration. Check server logs.";
        return 0;
    }
    return 1;
}

int tlsApplyPort(const char **err) {
    if (server.tls.port && !tlsIsConfigured() && tlsConfigure() == C_ERR) {
        *err = "Unable to update TLS configuration. Check server logs.";
        return 0;
    }
    if (changeListener() == C_ERR) {
        *err = "Unable to listen on this port. Check server logs.";
        return 0;
    }
    return 1;
}
