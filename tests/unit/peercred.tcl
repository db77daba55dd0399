# unixsocket-peercred-user UID:USER (an Ember directive, not in Redis): a
# client on the unix socket whose peer uid (SO_PEERCRED) is mapped is
# authenticated as that ACL user when it connects; others authenticate as
# usual. Tcl has no unix sockets, so redis-cli -s connects; a second uid is
# used through setpriv when the tests run as root.

set my_uid [exec id -u]
set other_uid 65534
set can_switch [expr {$my_uid == 0 && [auto_execok setpriv] ne ""}]

# ACL WHOAMI (or the error) of a redis-cli run on the socket, optionally
# as another uid.
proc peer_whoami {path {uid ""}} {
    set cmd [list redis-cli -s $path acl whoami]
    if {$uid ne ""} {
        set cmd [concat [list setpriv --reuid=$uid --regid=$uid --clear-groups] $cmd]
    }
    string trim [exec {*}$cmd]
}

start_server [list tags {acl peercred external:skip} overrides [list unixsocket ember-peer.sock unixsocketperm 777 \
        unixsocket-peercred-user "$my_uid:alice $other_uid:bob"]] {
    set path [file join [lindex [r config get dir] 1] ember-peer.sock]
    r acl setuser alice on >apw +@all ~*
    r acl setuser bob on >bpw +acl ~*
    r acl setuser default off

    test {CONFIG GET shows the mappings; they are fixed at start-up} {
        assert_equal [lindex [r config get unixsocket-peercred-user] 1] "$my_uid:alice $other_uid:bob"
        catch {r config set unixsocket-peercred-user 1:x} e
        assert_match {ERR CONFIG SET failed (possibly related to argument 'unixsocket-peercred-user') - can't set immutable config} $e
    }

    test {A mapped uid on the unix socket is its user without AUTH} {
        assert_equal [peer_whoami $path] alice
        assert_match {*user=alice*} [exec redis-cli -s $path client info]
    }

    test {A TCP client is not affected} {
        set c [redis_client]
        catch {$c acl whoami} e
        assert_equal $e {NOAUTH Authentication required.}
        $c close
    }

    # Connecting as another uid needs root and setpriv.
    if {$can_switch} {
        test {A second uid maps to its own user; an unmapped uid authenticates as usual} {
            assert_equal [peer_whoami $path $other_uid] bob
            assert_equal [peer_whoami $path 65533] {NOAUTH Authentication required.}
        }
    }

    test {A disabled mapped user is not logged in} {
        r acl setuser alice off
        assert_equal [peer_whoami $path] {NOAUTH Authentication required.}
        r acl setuser alice on
        assert_equal [peer_whoami $path] alice
    }
}

tags {acl peercred external:skip} {
    test {A bad mapping is refused at start-up} {
        set res [run_server_to_exit --port 0 --unixsocket-peercred-user nouid]
        assert_equal [dict get $res status] 1
        assert_match {*unixsocket-peercred-user takes UID:USER*} [dict get $res stderr]
    }
}
