# CLIENT PAUSE in detail, as Redis 7.0.15 behaves: what a WRITE pause
# holds (writes, PUBLISH, a write queued inside MULTI, an EXEC with
# writes), what it serves (reads, PING, an EXEC of reads only, the pausing
# commands themselves), what an ALL pause holds (everything, CLIENT
# UNPAUSE included), how held clients show (blocked_clients, flag b), the
# order in which they resume, and keys that expire while paused.

# Sends cmd on a new deferring client and waits until the server counts it
# among the blocked (held) clients; returns the client.
proc pause_held {cmd} {
    set c [redis_deferring_client]
    set before [s blocked_clients]
    $c {*}$cmd
    wait_for_condition 100 20 {
        [s blocked_clients] > $before
    } else {
        fail "$cmd was not held by the pause"
    }
    return $c
}

start_server {tags {introspection pause}} {
    test {CLIENT PAUSE WRITE holds PUBLISH and DEL of a missing key} {
        r client pause 100000 write
        set p [pause_held {publish ch hello}]
        set d [pause_held {del nosuchkey}]
        assert_equal [s blocked_clients] 2
        r client unpause
        assert_equal [$p read] 0
        assert_equal [$d read] 0
        $p close
        $d close
    }

    test {CLIENT PAUSE WRITE serves reads, PING, SUBSCRIBE and the pause commands} {
        set c [redis_client]
        r set k v
        r client pause 100000 write
        assert_equal [$c get k] v
        assert_equal [$c ping] PONG
        assert_equal [$c client pause 10 write] OK
        assert_equal [$c config set maxmemory 0] OK
        assert_equal [$c subscribe x] {subscribe x 1}
        assert_equal [$c unsubscribe] {unsubscribe x 0}
        r client unpause
        $c close
        r del k
    }

    test {CLIENT PAUSE WRITE holds a write as it is queued in MULTI} {
        set c [redis_deferring_client]
        $c multi
        assert_equal [$c read] OK
        r client pause 100000 write
        set before [s blocked_clients]
        $c set k 1
        wait_for_condition 100 20 {
            [s blocked_clients] > $before
        } else {
            fail "the queued write was not held"
        }
        $c get k
        $c exec
        r client unpause
        assert_equal [$c read] QUEUED
        assert_equal [$c read] QUEUED
        assert_equal [$c read] {OK 1}
        $c close
        r del k
    }

    test {CLIENT PAUSE WRITE serves an EXEC of reads and a queued CLIENT PAUSE} {
        set c [redis_client]
        r set k 2
        $c multi
        $c get k
        $c client pause 10 write
        r client pause 100000 write
        assert_equal [$c exec] {2 OK}
        r client unpause
        $c close
        r del k
    }

    test {A held client shows flag b in CLIENT LIST} {
        r client pause 100000 write
        set w [pause_held {set z 1}]
        set line [lsearch -inline [split [r client list] "\n"] *cmd=set*]
        assert_match {*flags=b *} $line
        r client unpause
        assert_equal [$w read] OK
        $w close
        r del z
    }

    test {Held clients resume in arrival order, each with its pipelined commands} {
        r del order
        r client pause 100000 write
        set c0 [pause_held {rpush order 0}]
        $c0 rpush order 0b
        set c1 [pause_held {rpush order 1}]
        set c2 [pause_held {rpush order 2}]
        r client unpause
        assert_equal [$c0 read] 1
        assert_equal [$c0 read] 2
        assert_equal [$c1 read] 3
        assert_equal [$c2 read] 4
        assert_equal [r lrange order 0 -1] {0 0b 1 2}
        foreach c [list $c0 $c1 $c2] { $c close }
        r del order
    }

    test {A key expiring during a pause reads as missing but stays counted} {
        r flushall
        r set keep v
        r set e v px 50
        r client pause 100000 write
        after 150
        assert_equal [r get e] {}
        assert_equal [r exists e] 0
        assert_equal [r ttl e] -2
        assert_equal [r type e] none
        assert_equal [r dbsize] 2
        assert_equal [r keys *] keep
        r client unpause
        wait_for_condition 100 20 {
            [r dbsize] == 1
        } else {
            fail "the expired key was not removed after the pause"
        }
        r flushall
    }

    test {CLIENT PAUSE ALL holds every command, CLIENT UNPAUSE too, until the timeout} {
        set c [redis_deferring_client]
        r client pause 500 all
        $c ping
        set u [redis_deferring_client]
        $u client unpause
        assert_equal [$c read] PONG
        assert_equal [$u read] OK
        $c close
        $u close
    }

    test {A client closed while held leaves the pause queue} {
        r client pause 100000 write
        set w [pause_held {set gone 1}]
        $w close
        wait_for_condition 100 20 {
            [s blocked_clients] == 0
        } else {
            fail "the closed client stayed held"
        }
        r client unpause
        assert_equal [r exists gone] 0
    }
}
