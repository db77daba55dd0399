# client-query-buffer-limit: a client whose unparsed input grows past the
# limit is closed and logged; the other clients carry on.
#
# The limit is tested at its smallest accepted value (1 mb). At the default
# of 1 GB a test would have to push a gigabyte through the server, too heavy
# for the suite; only the default value itself is checked.
#
# What grows the input past 1 mb: a bulk argument of 32 kB or more being
# received (it is held whole until it is complete, and its bytes count, the
# CRLF included, the header not), or commands piling up behind a client that
# cannot run them yet (blocked, paused). An inline request or a header line
# cannot: past 64 kB it is a protocol error first (see unit/protocol).

# Opens a deferring client, sends it raw bytes and waits until the server
# closes it or 2 s go by. Returns {replybytes closed}. The server may close
# the connection while the bytes are still being written: that write error
# is expected and ignored.
proc send_raw_and_watch {bytes} {
    set c [redis_deferring_client]
    catch {
        $c write $bytes
        $c flush
    }
    set res [read_available $c 2000]
    catch {$c close}
    return $res
}

# A SET whose value is a bulk of n bytes of x; when sent is given, the
# request stops after the value's first `sent` bytes.
proc set_request {n {sent -1}} {
    if {$sent < 0} {
        return "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$$n\r\n[string repeat x $n]\r\n"
    }
    return "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$$n\r\n[string repeat x $sent]"
}

set ::qbuf_log_prefix {*Closing client that reached max query buffer length: id=* addr=127.0.0.1:* laddr=127.0.0.1:* fd=* name=* flags=* qbuf=* cmd=* user=default redir=-1 resp=2 (qbuf initial bytes: }

start_server {tags {limits}} {
    test {client-query-buffer-limit defaults to 1 GB} {
        r config get client-query-buffer-limit
    } {client-query-buffer-limit 1073741824}

    test {client-query-buffer-limit is at least 1 mb} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive} \
            {r config set client-query-buffer-limit 1048575}
        assert_equal [r config set client-query-buffer-limit 1mb] OK
        r config get client-query-buffer-limit
    } {client-query-buffer-limit 1048576}
}

start_server {tags {limits external:skip} overrides {client-query-buffer-limit 1mb}} {
    test {A big argument growing past the limit closes its client, and the log says so} {
        set other [redis_client]
        $other set before 1
        # 2 MB of a 5 MB value: the client never gets to finish it.
        lassign [send_raw_and_watch [set_request 5000000 [expr {2 * 1024 * 1024}]]] data closed
        assert_equal $closed 1
        assert_equal $data {}
        wait_for_log_lines "$::qbuf_log_prefix\"[string repeat x 64]\")"
        # The other clients, and the data, are untouched.
        assert_equal [$other get before] 1
        assert_equal [$other exists k] 0
        assert_equal [r ping] PONG
        $other close
    }

    test {A whole big argument over the limit is refused too} {
        lassign [send_raw_and_watch [set_request 2000000]] data closed
        assert_equal $closed 1
        assert_equal $data {}
        r exists k
    } 0

    test {The limit counts a big argument's data and its CRLF} {
        # 1048574 bytes and the CRLF are exactly the limit: accepted.
        set c [redis_deferring_client]
        $c write [set_request 1048574]
        $c flush
        assert_equal [$c read] OK
        $c close
        assert_equal [r strlen k] 1048574
        r del k
        # One byte more is over it: closed, nothing stored.
        lassign [send_raw_and_watch [set_request 1048575]] data closed
        assert_equal $closed 1
        assert_equal $data {}
        r exists k
    } 0

    test {A big argument under the limit is kept while it arrives} {
        set c [redis_deferring_client]
        $c write [set_request 1000000 500000]
        $c flush
        after 200
        $c write "[string repeat x 500000]\r\n"
        $c flush
        assert_equal [$c read] OK
        $c close
        r strlen k
    } 1000000

    test {Commands piling up behind a blocked client count toward the limit} {
        needs_commands blpop
        set c [redis_deferring_client]
        $c blpop nolist 0
        wait_for_condition 50 20 {
            [s blocked_clients] == 1
        } else {
            fail "the client did not block"
        }
        # 2.4 MB of PINGs that cannot run while the BLPOP waits.
        catch {
            $c write [string repeat "PING\r\n" 400000]
            $c flush
        }
        lassign [read_available $c 2000] data closed
        catch {$c close}
        assert_equal $closed 1
        assert_equal $data {}
        wait_for_log_lines "$::qbuf_log_prefix\"[string repeat {PING\\r\\n} 10]PING\")"
        assert_equal [count_log_lines {*max query buffer length: *flags=b *cmd=blpop *}] 1
        assert_equal [s blocked_clients] 0
        r ping
    } PONG
}
