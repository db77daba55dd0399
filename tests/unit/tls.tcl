# TLS (tls.c): the tls-port with redis-cli --tls and a python3 ssl client,
# client certificates (tls-auth-clients), reloading the context with CONFIG
# SET, big pipelined replies, records the server reads in pieces, plaintext
# and stalled peers on the TLS port. Replies and log texts are those of
# Redis 7.0.15 built with TLS (Debian's).

# A server built with BUILD_TLS=no says so when asked for a tls-port; the
# file is then skipped.
if {![server_has_tls]} {
    tags {tls} {
        test {TLS (this server is built without it)} { error "built with BUILD_TLS=no" {} SKIP }
    }
    return
}

# A python3 ssl client: python3 -c $::tls_py MODE PORT CERTDIR [ARGS].
set ::tls_py {
import socket, ssl, sys, time
mode, port, certs = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def connect(cert="client"):
    ctx = ssl.create_default_context(cafile=certs + "/ca.crt")
    if cert:
        ctx.load_cert_chain(certs + "/" + cert + ".crt", certs + "/" + cert + ".key")
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    return ctx.wrap_socket(s, server_hostname="localhost")

def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

class Reader:
    def __init__(self, s):
        self.s, self.buf = s, b""
    def fill(self):
        d = self.s.recv(1 << 20)
        if not d:
            raise EOFError("closed")
        self.buf += d
    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l
    def exact(self, n):
        while len(self.buf) < n:
            self.fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d
    def reply(self):
        l = self.line()
        if l[:1] == b"$":
            n = int(l[1:])
            return None if n < 0 else self.exact(n + 2)[:-2]
        if l[:1] == b"*":
            return [self.reply() for _ in range(int(l[1:]))]
        return l[1:] if l[:1] == b"+" else l

if mode == "ping":
    s = connect(sys.argv[4] if len(sys.argv) > 4 else "client")
    s.sendall(cmd("PING"))
    print(Reader(s).reply().decode())
elif mode == "resume":
    # Two connections, the second offering the first one's session. With
    # "notickets", TLS 1.2 without session tickets: only the server's
    # session cache can resume it.
    ctx = ssl.create_default_context(cafile=certs + "/ca.crt")
    ctx.load_cert_chain(certs + "/client.crt", certs + "/client.key")
    if len(sys.argv) > 4 and sys.argv[4] == "notickets":
        ctx.options |= ssl.OP_NO_TICKET
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    reused = []
    session = None
    for _ in range(2):
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        s = ctx.wrap_socket(raw, server_hostname="localhost", session=session)
        s.sendall(cmd("PING"))
        Reader(s).reply()
        reused.append(s.session_reused)
        session = s.session
        try:
            s.unwrap()  # close_notify: a session cut short is not resumable
        except (OSError, ssl.SSLError):
            pass
        s.close()
    print(" ".join(str(r).lower() for r in reused))
elif mode == "cipher":
    s = connect()
    print(s.cipher()[0], s.version())
elif mode == "peer":
    s = connect()
    subject = dict(x[0] for x in s.getpeercert()["subject"])
    print(subject["commonName"], s.version())
elif mode == "big":
    s = connect()
    r = Reader(s)
    vals = [bytes([65 + j]) * 1000000 for j in range(3)]
    s.sendall(b"".join(cmd("SET", "big%d" % j, v) for j, v in enumerate(vals)))
    assert [r.reply() for _ in vals] == [b"OK"] * 3
    many = 100
    s.sendall(cmd("MGET", "big0", "big1", "big2") + cmd("GET", "big1") * many)
    got = r.reply()
    assert got == vals, "MGET"
    for _ in range(many):
        assert r.reply() == vals[1], "GET"
    s.sendall(b"".join(cmd("SET", "k%d" % j, "v%d" % j) for j in range(2000)))
    for _ in range(2000):
        r.reply()
    s.sendall(cmd("MGET", *["k%d" % j for j in range(2000)]))
    got = r.reply()
    assert got == [b"v%d" % j for j in range(2000)], "MGET of many"
    print("ok", 3 + many, len(got))
elif mode == "split":
    # One write: a 100 kB argument and a PING. The server reads the
    # argument to its end; the PING stays in OpenSSL's record buffer.
    s = connect()
    s.sendall(cmd("SET", "split", b"x" * 100000) + cmd("PING"))
    r = Reader(s)
    print(r.reply().decode(), r.reply().decode())
elif mode == "stall":
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"\x16\x03\x01\x02\x00\x01\x00")  # a ClientHello, cut short
    start = time.time()
    try:
        d = s.recv(100)
    except ConnectionResetError:
        d = b""
    print("closed" if d == b"" else "data", int(time.time() - start))
elif mode == "plain":
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"PING\r\n")
    try:
        d = s.recv(100)
    except ConnectionResetError:
        d = b""
    print("closed" if not d.startswith(b"+PONG") else "answered")
}

proc tls_py {mode args} {
    exec python3 -c $::tls_py $mode [srv tls_port] [tls_certs_dir] {*}$args 2>@1
}

proc tls_cli {args} {
    exec redis-cli {*}[tls_cli_args] -p [srv tls_port] {*}$args 2>@1
}

start_server {tags {tls} tls 1} {
    test {redis-cli --tls with a client certificate runs commands} {
        tls_cli set tlskey hello
        list [tls_cli ping] [tls_cli get tlskey] [r get tlskey]
    } {PONG hello hello}

    # redis-py (Debian's python3-redis, for the system python) over TLS:
    # plain commands, a transaction pipeline, RESP2 pub/sub.
    test {redis-py over TLS: commands, a MULTI/EXEC pipeline, pub/sub} {
        if {![file executable /usr/bin/python3] ||
            [catch {exec /usr/bin/python3 -c {import redis}}]} {
            error "python3-redis is not installed" {} SKIP
        }
        exec /usr/bin/python3 -c {
import sys, redis
port, certs = int(sys.argv[1]), sys.argv[2]
r = redis.Redis(host="127.0.0.1", port=port, ssl=True, ssl_ca_certs=certs + "/ca.crt",
                ssl_certfile=certs + "/client.crt", ssl_keyfile=certs + "/client.key",
                ssl_check_hostname=False, socket_timeout=20)
r.set("py:k", "v")
p = r.pipeline(transaction=True)
for j in range(100):
    p.incr("py:n")
res = p.execute()
ps = r.pubsub()
ps.subscribe("py:chan")
ps.get_message(timeout=5)
r.publish("py:chan", "hello")
msg = ps.get_message(timeout=5)
print(r.get("py:k").decode(), res[-1], msg["data"].decode())
} [srv tls_port] [tls_certs_dir]
    } {v 100 hello}

    test {redis-benchmark --tls runs SET and GET} {
        set out [exec redis-benchmark {*}[tls_cli_args] -p [srv tls_port] -t set,get -n 2000 -c 4 -P 4 -q --csv]
        assert_match {*"SET"*"GET"*} $out
        r exists key:__rand_int__
    } {1}

    test {A TLS client shows in CLIENT LIST with the tls-port as laddr} {
        assert_match "*laddr=127.0.0.1:[srv tls_port] *cmd=client|list*" [tls_cli client list]
    }

    test {A python3 ssl client: TLS 1.3 with the server certificate} {
        tls_py peer
    } {Server-only TLSv1.3}

    test {tls-auth-clients yes (the default) refuses a client without a certificate} {
        assert_equal [r config get tls-auth-clients] {tls-auth-clients yes}
        catch {exec redis-cli {*}[tls_cli_args ""] -p [srv tls_port] ping 2>@1} out
        assert_no_match {*PONG*} $out
        wait_for_log_lines {*Error accepting a client connection: *peer did not return a certificate*}
    }

    test {tls-auth-clients optional admits clients with or without a certificate} {
        r config set tls-auth-clients optional
        list [exec redis-cli {*}[tls_cli_args ""] -p [srv tls_port] ping] [tls_cli ping] [tls_py ping ""]
    } {PONG PONG PONG}

    test {tls-auth-clients no asks for no certificate} {
        r config set tls-auth-clients no
        set out [list [exec redis-cli {*}[tls_cli_args ""] -p [srv tls_port] ping] [tls_py ping ""]]
        r config set tls-auth-clients yes
        set out
    } {PONG PONG}

    test {tls-auth-clients takes only no, yes and optional} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'tls-auth-clients') - argument(s) must be one of the following: no, yes, optional} {r config set tls-auth-clients maybe}
    }

    test {Big pipelined replies over TLS: 1 MB values, MGET of 2000 keys} {
        tls_py big
    } {ok 103 2000}

    test {Bytes left in a TLS record after a read are served without a new event} {
        tls_py split
    } {OK PONG}

    test {A plaintext client on the TLS port is closed, and the reason logged} {
        set before [count_log_lines {*Error accepting a client connection: *wrong version number*}]
        assert_equal [tls_py plain] closed
        wait_for_log_lines {*Error accepting a client connection: *wrong version number*} [expr {$before + 1}]
        r ping
    } {PONG}

    test {A client stalled in the handshake does not block others and meets the idle timeout} {
        r config set timeout 1
        set py [open |[list python3 -c $::tls_py stall [srv tls_port] [tls_certs_dir] 2>@1] r]
        fconfigure $py -blocking 0
        try {
            wait_for_condition 100 20 {[s connected_clients] == 2} else { fail "the stalled client was not accepted" }
            # The loop is not waiting on it: TLS and plain clients are served
            # (the plain one, our own, stays clear of the timeout this way).
            assert_equal [tls_cli ping] PONG
            set out ""
            for {set j 0} {$j < 100 && $out eq ""} {incr j} {
                r ping
                after 100
                set out [gets $py]
            }
        } finally {
            r config set timeout 0
            close $py
        }
        assert_match {closed *} $out
        wait_for_log_lines {*Closing idle client*}
        s connected_clients
    } {1}

    test {CONFIG SET tls-cert-file and tls-key-file reload the context for new connections} {
        set certs [tls_certs_dir]
        r config set tls-cert-file $certs/redis.crt tls-key-file $certs/redis.key
        set out [tls_py peer]
        r config set tls-cert-file $certs/server.crt tls-key-file $certs/server.key
        list $out [tls_py peer]
    } {{Generic-cert TLSv1.3} {Server-only TLSv1.3}}

    test {An invalid tls-cert-file is refused and the old context stays} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.} {r config set tls-cert-file /nonexistent/cert.pem}
        wait_for_log_lines {*Failed to load certificate: /nonexistent/cert.pem: *No such file or directory*}
        assert_match {*/server.crt} [lindex [r config get tls-cert-file] 1]
        tls_cli ping
    } {PONG}

    test {tls-key-file-pass opens an encrypted key; a wrong one is refused} {
        set certs [tls_certs_dir]
        assert_error {*'tls-key-file'*Unable to update TLS configuration*} {r config set tls-key-file $certs/server-pass.key tls-key-file-pass wrong}
        wait_for_log_lines "*Failed to load private key: $certs/server-pass.key: *"
        r config set tls-key-file $certs/server-pass.key tls-key-file-pass ember-test
        set out [list [tls_py peer] [r config get tls-key-file-pass]]
        r config set tls-key-file $certs/server.key tls-key-file-pass ""
        set out
    } {{Server-only TLSv1.3} {tls-key-file-pass ember-test}}

    test {A key that does not match the certificate is refused} {
        set certs [tls_certs_dir]
        assert_error {*Unable to update TLS configuration*} {r config set tls-key-file $certs/client.key}
        assert_match {*/server.key} [lindex [r config get tls-key-file] 1]
        tls_cli ping
    } {PONG}

    test {tls-dh-params-file: a file that is not DH parameters is refused} {
        set certs [tls_certs_dir]
        assert_error {*'tls-dh-params-file'*Unable to update TLS configuration*} {r config set tls-dh-params-file $certs/ca.crt}
        wait_for_log_lines "*$certs/ca.crt: failed to read DH params.*"
        r config set tls-dh-params-file ""
        r config set tls-dh-params-file $certs/redis.dh
        list [r config get tls-dh-params-file] [tls_cli ping]
    } [list [list tls-dh-params-file [file join [tls_certs_dir] redis.dh]] PONG]

    test {Invalid tls-protocols, tls-ciphers and tls-ciphersuites are refused} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'tls-protocols') - Unable to update TLS configuration. Check server logs.} {r config set tls-protocols TLSv1.4}
        wait_for_log_lines {*Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.*}
        assert_error {*'tls-ciphers'*Unable to update TLS configuration*} {r config set tls-ciphers BOGUS}
        wait_for_log_lines {*Failed to configure ciphers: BOGUS*}
        assert_error {*'tls-ciphersuites'*Unable to update TLS configuration*} {r config set tls-ciphersuites BOGUS}
        list [r config get tls-protocols] [r config get tls-ciphers] [tls_cli ping]
    } {{tls-protocols {}} {tls-ciphers {}} PONG}

    test {tls-protocols TLSv1.2 limits the version} {
        r config set tls-protocols "TLSv1.2"
        set out [tls_py peer]
        r config set tls-protocols ""
        list $out [tls_py peer]
    } {{Server-only TLSv1.2} {Server-only TLSv1.3}}

    # Without a client certificate: Redis 7.0.15 fails the resumed handshake
    # of a client it verifies. It also resumes nothing from its session
    # cache (the "notickets" cases stay false there); it does resume from
    # tickets, with and without tls-session-caching, as Ember does.
    test {tls-ciphers picks the TLS 1.2 cipher, tls-ciphersuites the TLS 1.3 one} {
        r config set tls-protocols TLSv1.2 tls-ciphers ECDHE-RSA-AES128-GCM-SHA256
        set out [list [tls_py cipher]]
        r config set tls-protocols "" tls-ciphers "" tls-ciphersuites TLS_CHACHA20_POLY1305_SHA256
        lappend out [tls_py cipher]
        r config set tls-ciphersuites ""
        set out
    } {{ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2} {TLS_CHACHA20_POLY1305_SHA256 TLSv1.3}}

    test {tls-ca-cert-dir: client certificates checked against a hashed CA directory} {
        set certs [tls_certs_dir]
        set cadir [file join [srv dir] cadir]
        file mkdir $cadir
        # Empty: no client certificate can be verified.
        r config set tls-ca-cert-file "" tls-ca-cert-dir $cadir
        set out [list [catch {tls_py ping}]]
        file copy -force $certs/ca.crt $cadir/ca.crt
        exec openssl rehash $cadir
        lappend out [tls_py ping]
        r config set tls-ca-cert-dir "" tls-ca-cert-file $certs/ca.crt
        set out
    } {1 PONG}

    test {tls-session-caching: sessions resume from the cache, or from tickets alone when it is off} {
        r config set tls-auth-clients no
        set out [list [tls_py resume] [tls_py resume notickets]]
        r config set tls-session-caching no
        lappend out [tls_py resume] [tls_py resume notickets]
        r config set tls-session-caching yes tls-session-cache-size 100 tls-session-cache-timeout 60
        lappend out [tls_py resume notickets]
        r config set tls-session-cache-size 20480 tls-session-cache-timeout 300 tls-auth-clients yes
        set out
    } {{false true} {false true} {false true} {false false} {false true}}

    test {CONFIG SET tls-port moves the TLS listener} {
        set old [srv tls_port]
        set new [::srv::find_port]
        r config set tls-port $new
        set out [exec redis-cli {*}[tls_cli_args] -p $new ping]
        assert_error {*} {exec redis-cli {*}[tls_cli_args] -p $old ping}
        r config set tls-port $old
        list $out [tls_cli ping]
    } {PONG PONG}
}

start_server {tags {tls}} {
    test {TLS directives have Redis 7.0's defaults} {
        set out {}
        foreach name {tls-port tls-auth-clients tls-protocols tls-ciphers tls-ciphersuites tls-cert-file
                tls-prefer-server-ciphers tls-session-caching tls-session-cache-size
                tls-session-cache-timeout tls-replication tls-cluster tls-key-file-pass} {
            lappend out {*}[r config get $name]
        }
        set out
    } {tls-port 0 tls-auth-clients yes tls-protocols {} tls-ciphers {} tls-ciphersuites {} tls-cert-file {} tls-prefer-server-ciphers no tls-session-caching yes tls-session-cache-size 20480 tls-session-cache-timeout 300 tls-replication no tls-cluster no tls-key-file-pass {}}

    test {With tls-port 0, tls-* files are stored without being loaded} {
        r config set tls-cert-file /nonexistent/cert.pem
        set out [r config get tls-cert-file]
        r config set tls-cert-file ""
        set out
    } {tls-cert-file /nonexistent/cert.pem}

    test {CONFIG SET tls-port without a certificate is refused} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.} {r config set tls-port [::srv::find_port]}
        wait_for_log_lines {*No tls-cert-file configured!*}
        r config get tls-port
    } {tls-port 0}

    test {CONFIG SET tls-port with the certificates turns TLS on} {
        set certs [tls_certs_dir]
        r config set tls-cert-file $certs/server.crt tls-key-file $certs/server.key tls-ca-cert-file $certs/ca.crt
        set port [::srv::find_port]
        r config set tls-port $port
        set out [exec redis-cli {*}[tls_cli_args] -p $port ping]
        r config set tls-port 0
        set out
    } {PONG}
}

tags {tls} {
    test {A server with tls-port and no certificate does not start} {
        set res [run_server_to_exit --port 0 --tls-port [::srv::find_port] --save ""]
        assert_equal [dict get $res status] 1
        assert_match {*No tls-cert-file configured!*Failed to configure TLS. Check logs for more info.*} [dict get $res stdout]
    }

    test {A busy tls-port stops the start with Redis's message} {
        set certs [tls_certs_dir]
        set port [::srv::find_port]
        set busy [socket -server ::srv::no_accept -myaddr 127.0.0.1 $port]
        try {
            set res [run_server_to_exit --port 0 --bind 127.0.0.1 --tls-port $port --save "" \
                --tls-cert-file $certs/server.crt --tls-key-file $certs/server.key --tls-ca-cert-file $certs/ca.crt]
        } finally {
            close $busy
        }
        assert_equal [dict get $res status] 1
        assert_match "*Failed listening on port $port (TLS), aborting.*" [dict get $res stdout]
    }

    test {Without a CA a server with tls-auth-clients yes does not start} {
        set certs [tls_certs_dir]
        set res [run_server_to_exit --port 0 --tls-port [::srv::find_port] --save "" \
            --tls-cert-file $certs/server.crt --tls-key-file $certs/server.key]
        assert_equal [dict get $res status] 1
        assert_match {*Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!*} [dict get $res stdout]
    }
}

start_server {tags {tls} tls 1 overrides {tls-auth-clients no tls-ca-cert-file ""}} {
    test {With tls-auth-clients no a CA is not needed} {
        set certs [tls_certs_dir]
        list [exec redis-cli --tls --cacert $certs/ca.crt -p [srv tls_port] ping] [tls_py ping ""]
    } {PONG PONG}
}
