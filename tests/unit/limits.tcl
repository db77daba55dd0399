# Limits on clients: maxclients, idle timeout, output buffer limits.

start_server {tags {limits} overrides {maxclients 5}} {
    test {maxclients is reported by CONFIG GET and INFO} {
        assert_equal [r config get maxclients] {maxclients 5}
        assert_match "*maxclients:5\r\n*" [r info clients]
    }

    test {The client over maxclients gets an error and is closed} {
        # The default client is one of the five.
        set clients {}
        for {set i 0} {$i < 4} {incr i} {
            set c [redis_client]
            assert_equal [$c ping] PONG
            lappend clients $c
        }
        set extra [redis_deferring_client]
        set e [assert_error * {$extra read}]
        assert_equal $e {ERR max number of clients reached}
        assert_equal [connection_closed $extra] 1
        $extra close
        assert_equal [s rejected_connections] 1
        # Once a slot is free, a new client is accepted.
        [lindex $clients 0] close
        wait_for_condition 50 20 {
            [s connected_clients] == 4
        } else {
            fail "closed client not gone"
        }
        set c [redis_client]
        assert_equal [$c ping] PONG
        $c close
        foreach c [lrange $clients 1 end] { $c close }
    }
}

start_server {tags {limits} overrides {timeout 1}} {
    test {An idle client is closed after timeout seconds} {
        assert_equal [r config get timeout] {timeout 1}
        set c [redis_client]
        assert_equal [$c ping] PONG
        assert_equal [connection_closed $c 4000] 1
        $c close
    }

    test {A client that keeps talking is not closed} {
        set c [redis_client]
        for {set i 0} {$i < 8} {incr i} {
            assert_equal [$c ping] PONG
            after 250
        }
        $c close
    }

    test {Subscribed clients are not subject to timeout} {
        needs_commands subscribe publish
        set sub [redis_deferring_client]
        $sub subscribe ch
        assert_equal [$sub read] {subscribe ch 1}
        after 2500
        set pub [redis_client]
        assert_equal [$pub publish ch hi] 1
        $pub close
        assert_equal [$sub read] {message ch hi}
        $sub close
    }
}

start_server {tags {limits} overrides {client-output-buffer-limit {normal 100kb 0 0}}} {
    test {client-output-buffer-limit normal is read back} {
        set limits [lindex [r config get client-output-buffer-limit] 1]
        assert_match {normal 102400 0 0 *} $limits
    }

    test {A client that does not read its big replies is disconnected} {
        r set bigvalue [string repeat x 50000]
        set c [redis_deferring_client]
        $c client setname slowreader
        # The server may close the connection before all requests are sent.
        catch {
            for {set i 0} {$i < 1000} {incr i} {
                $c get bigvalue
            }
        }
        wait_for_condition 100 50 {
            [string first name=slowreader [r client list]] < 0
        } else {
            fail "client over its output buffer limit was not closed"
        }
        wait_for_log_lines {*scheduled to be closed ASAP for overcoming of output buffer limits*}
        $c close
        assert_equal [r ping] PONG
    }

    test {A client reading its replies is not disconnected} {
        set c [redis_client]
        for {set i 0} {$i < 200} {incr i} {
            assert_equal [string length [$c get bigvalue]] 50000
        }
        $c close
    }
}

start_server {tags {limits} overrides {client-output-buffer-limit {normal 0 100kb 3}}} {
    test {Over the soft output limit a client is closed only once it stays over for the seconds given} {
        r set bigvalue [string repeat x 50000]
        set c [redis_deferring_client]
        $c client setname softreader
        catch {
            for {set i 0} {$i < 400} {incr i} {
                $c get bigvalue
            }
        }
        # The replies pile up in the server, over the soft limit...
        wait_for_condition 100 20 {
            [regexp {name=softreader .*omem=([1-9][0-9]*)} [r client list]]
        } else {
            fail "the replies never piled up in the server"
        }
        set over_at [clock milliseconds]
        # ...which alone does not close the client, as the hard limit would.
        assert_match {*name=softreader*} [r client list]
        wait_for_condition 200 50 {
            [string first name=softreader [r client list]] < 0
        } else {
            fail "client over its soft output limit was never closed"
        }
        assert_morethan [expr {[clock milliseconds] - $over_at}] 2000
        wait_for_log_lines {*name=softreader*scheduled to be closed ASAP for overcoming of output buffer limits*}
        $c close
    }
}

start_server {tags {limits external:skip}} {
    test {protected-mode as configured by the test config} {
        assert_equal [r config get protected-mode] {protected-mode no}
    }
}

start_server {tags {limits} overrides {protected-mode yes}} {
    test {protected-mode yes still accepts loopback clients} {
        assert_equal [r config get protected-mode] {protected-mode yes}
        assert_equal [r ping] PONG
    }
}

# 127.0.0.2 is loopback but not one of the two addresses protected mode
# trusts, so a client connecting from it stands in for a remote one.
proc connect_from {myaddr} {
    set fd [socket -myaddr $myaddr [srv host] [srv port]]
    fconfigure $fd -translation binary -buffering none
    return $fd
}

start_server {tags {limits external:skip} overrides {protected-mode yes bind {127.0.0.1 127.0.0.2}}} {
    test {protected-mode yes refuses a non-local client with -DENIED} {
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        assert_match {-DENIED *protected mode*} $line
    }

    test {protected-mode yes lets a non-local client in once a password is set} {
        r config set requirepass secret
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        r auth secret
        r config set requirepass ""
        assert_equal [string trimright $line "\r"] {-NOAUTH Authentication required.}
    }

    test {protected-mode no lets a non-local client in} {
        r config set protected-mode no
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        r config set protected-mode yes
        assert_equal [string trimright $line "\r"] {+PONG}
    }
}

start_server {tags {limits external:skip} overrides {unixsocket ember-test.sock unixsocketperm 700}} {
    test {The unix socket accepts clients with the configured permissions} {
        set path [file join [lindex [r config get dir] 1] ember-test.sock]
        assert_equal [file exists $path] 1
        assert_equal [format %o [expr {[file attributes $path -permissions] & 0777}]] 700
        # Tcl has no unix sockets: redis-cli (a test dependency) connects.
        assert_equal [exec redis-cli -s $path ping] PONG
        assert_match {*flags=U*} [exec redis-cli -s $path client info]
    }

    test {A unix socket client is named by the configured socket path on both ends} {
        set path [file join [lindex [r config get dir] 1] ember-test.sock]
        set info [exec redis-cli -s $path client info]
        assert_match "id=* addr=ember-test.sock:0 laddr=ember-test.sock:0 fd=* *events=r *" $info
    }

    test {A TCP client shows its peer, our end, a descriptor and its read handler} {
        set info [r client info]
        assert_match "id=* addr=127.0.0.1:* laddr=127.0.0.1:[srv port] fd=* * flags=N *events=r *" $info
        regexp { fd=(-?\d+) } $info -> fd
        assert_equal [expr {$fd > 2}] 1
    }
}

# Starts the server binary under `ulimit -n nofile` (soft and hard, so it
# cannot raise the limit) with a bare command line, and waits until it is
# ready or has exited. Returns {pid port logfile}.
proc start_server_with_ulimit {nofile args} {
    set port [::srv::find_port]
    set dir [file normalize [file join $::opt(tmpdir) "ulimit.[pid].$port"]]
    file mkdir $dir
    set log [file join $dir log]
    set cmd [list $::opt(server_binary) --port $port --bind 127.0.0.1 --save "" --appendonly no \
        --dir $dir --logfile $log {*}$args]
    set pid [exec sh -c "ulimit -n $nofile && exec \"\$@\"" sh {*}$cmd &]
    wait_for_condition 200 20 {
        [string match "*Ready to accept connections*" [::srv::read_file $log]] ||
        ![process_is_alive $pid]
    } else {
        catch {exec kill -9 $pid}
        fail "server under ulimit -n $nofile neither started nor exited"
    }
    return [list $pid $port $log]
}

proc stop_server_with_ulimit {pid} {
    catch {exec kill $pid}
    wait_for_process_exit $pid
}

tags {limits external:skip} {
    test {Under a low ulimit -n, maxclients is lowered to the limit minus 32 reserved descriptors} {
        lassign [start_server_with_ulimit 200 --maxclients 10000] pid port log
        try {
            set c [redis 127.0.0.1 $port]
            set got [$c config get maxclients]
            set info [$c info clients]
            $c close
        } finally {
            stop_server_with_ulimit $pid
        }
        assert_equal $got {maxclients 168}
        assert_match "*maxclients:168\r\n*" $info
        set text [::srv::read_file $log]
        assert_match {*You requested maxclients of 10000 requiring at least 10032 max file descriptors.*} $text
        assert_match {*Server can't set maximum open files to 10032 because of OS error: *} $text
        assert_match {*Current maximum open files is 200. maxclients has been reduced to 168 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.*} $text
    }

    test {A ulimit -n that leaves no room for clients stops the server at start-up} {
        lassign [start_server_with_ulimit 32 --maxclients 100] pid port log
        set exited [wait_for_process_exit $pid 2000]
        stop_server_with_ulimit $pid
        assert_equal $exited 1
        assert_match {*Your current 'ulimit -n' of 32 is not enough for the server to start. Please increase your open file limit to at least 132. Exiting.*} [::srv::read_file $log]
    }

    test {A ulimit -n large enough leaves maxclients alone} {
        lassign [start_server_with_ulimit 1000 --maxclients 500] pid port log
        try {
            set c [redis 127.0.0.1 $port]
            set got [$c config get maxclients]
            $c close
        } finally {
            stop_server_with_ulimit $pid
        }
        assert_equal $got {maxclients 500}
        assert_no_match {*maxclients has been reduced*} [::srv::read_file $log]
    }
}

# The servers above wrote into directories of their own; the runner cleans
# only the ones start_server made.
if {!$::opt(dont_clean)} {
    file delete -force {*}[glob -nocomplain [file join $::opt(tmpdir) "ulimit.[pid].*"]]
}

# The default maxclients (10000) holds: that many idle clients are served,
# the next one is refused. The idle clients are held by a python3 helper
# (Tcl's sockets slow down badly past a few thousand); it needs more than
# 10,000 descriptors, and so does the server.
set ::idle_clients_helper {
import resource, socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard != resource.RLIM_INFINITY and hard < n + 100:
    print("nofile", hard, flush=True)
    sys.exit(0)
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 100 if hard == resource.RLIM_INFINITY else hard, hard))
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
socks[-1].sendall(b"PING\r\n")
print("ready", socks[-1].recv(100).decode().strip(), flush=True)
sys.stdin.read()
}

start_server {tags {limits slow}} {
    test {10000 idle clients are accepted and the 10001st is refused} {
        set maxclients [lindex [r config get maxclients] 1]
        if {$maxclients != 10000} {
            error "the server lowered maxclients to $maxclients: its ulimit -n is too low for 10000 clients" {} SKIP
        }
        # The default client is one of the 10000.
        set helper [open |[list python3 -c $::idle_clients_helper [srv port] 9999 2>@1] r+]
        set status [gets $helper]
        if {[lindex $status 0] eq "nofile"} {
            close $helper
            error "the hard ulimit -n ([lindex $status 1]) does not allow 10000 client sockets" {} SKIP
        }
        try {
            assert_equal $status {ready +PONG}
            wait_for_condition 500 20 {
                [s connected_clients] == 10000
            } else {
                fail "only [s connected_clients] clients connected"
            }
            set extra [socket 127.0.0.1 [srv port]]
            fconfigure $extra -translation binary -blocking 1
            set line [gets $extra]
            set eof_after [expr {[gets $extra rest] < 0 && [eof $extra]}]
            close $extra
        } finally {
            close $helper
        }
        assert_equal $line "-ERR max number of clients reached\r"
        assert_equal $eof_after 1
        assert_equal [s rejected_connections] 1
        wait_for_condition 500 20 {
            [s connected_clients] == 1
        } else {
            fail "[s connected_clients] clients left after the helper exited"
        }
        assert_equal [r ping] PONG
    }
}

# A command whose reply length the user chose (a huge negative count) must
# stop building it once the client is over its output limit: the client is
# closed and the server goes on serving the others.
start_server {tags {limits} overrides {client-output-buffer-limit {normal 64mb 64mb 0}}} {
    r sadd s a b c
    r zadd z 1 a 2 b 3 c
    r hset h a 1 b 2 c 3
    foreach cmd {
        {srandmember s -9223372036854775807}
        {zrandmember z -9223372036854775807}
        {zrandmember z -4611686018427387903 withscores}
        {hrandfield h -9223372036854775807}
        {hrandfield h -4611686018427387903 withvalues}
    } {
        test "[string toupper [lindex $cmd 0]] [lrange $cmd 2 end] closes the client at the output limit" {
            set rd [redis_deferring_client]
            $rd {*}$cmd
            assert_equal [connection_closed $rd 60000] 1
            $rd close
            set start [clock milliseconds]
            assert_equal [r ping] PONG
            assert_lessthan [expr {[clock milliseconds] - $start}] 1000
            assert_equal [r scard s] 3
        }
    }

    test {The largest counts accepted with scores or values are LONG_MAX / 2} {
        assert_error {ERR value is out of range} {r zrandmember z -4611686018427387904 withscores}
        assert_error {ERR value is out of range} {r hrandfield h -4611686018427387904 withvalues}
        assert_equal [llength [r zrandmember z 4611686018427387903 withscores]] 6
        assert_equal [llength [r hrandfield h 4611686018427387903 withvalues]] 6
    }
}
