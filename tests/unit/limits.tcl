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

start_server {tags {limits}} {
    test {protected-mode as configured by the test config} {
        assert_equal [r config get protected-mode] {protected-mode no}
    } {external:skip}
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

start_server {tags {limits} overrides {protected-mode yes bind {127.0.0.1 127.0.0.2}}} {
    test {protected-mode yes refuses a non-local client with -DENIED} {
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        assert_match {-DENIED *protected mode*} $line
    } {external:skip}

    test {protected-mode yes lets a non-local client in once a password is set} {
        r config set requirepass secret
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        r auth secret
        r config set requirepass ""
        assert_equal [string trimright $line "\r"] {-NOAUTH Authentication required.}
    } {external:skip}

    test {protected-mode no lets a non-local client in} {
        r config set protected-mode no
        set fd [connect_from 127.0.0.2]
        puts -nonewline $fd "PING\r\n"
        set line [gets $fd]
        close $fd
        r config set protected-mode yes
        assert_equal [string trimright $line "\r"] {+PONG}
    } {external:skip}
}

start_server {tags {limits} overrides {unixsocket ember-test.sock unixsocketperm 700}} {
    test {The unix socket accepts clients with the configured permissions} {
        set path [file join [lindex [r config get dir] 1] ember-test.sock]
        assert_equal [file exists $path] 1
        assert_equal [format %o [expr {[file attributes $path -permissions] & 0777}]] 700
        # Tcl has no unix sockets: redis-cli (a test dependency) connects.
        assert_equal [exec redis-cli -s $path ping] PONG
        assert_match {*flags=U*} [exec redis-cli -s $path client info]
    } {external:skip}
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
            assert_equal [connection_closed $rd 20000] 1
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
