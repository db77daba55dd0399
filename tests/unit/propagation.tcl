# The propagation seam, seen through its test observer (DEBUG PROPAGATION):
# what each command records for replay (as sent, rewritten to a
# deterministic form, or nothing when it changed nothing), SELECT on a
# database change, MULTI/EXEC around several effects of one command, expiry
# (lazy and active) as DEL or UNLINK, blocked clients served through call()
# with their effects propagated, and how those clients are counted in INFO
# commandstats and errorstats. The expected streams were taken from the
# append-only file of Redis 7.0.15 running the same commands.

# Starts recording from scratch: a fresh observer gets a SELECT first.
proc prop_restart {} {
    r debug propagation off
    r debug propagation on
}

proc prop_stream {} {
    r debug propagation get
}

# The value of one cmdstat_/errorstat_ line of INFO, or "".
proc info_line {section name} {
    foreach line [split [r info $section] "\r\n"] {
        if {[string first "$name:" $line] == 0} {
            return [string range $line [expr {[string length $name] + 1}] end]
        }
    }
    return ""
}

# The calls= and failed_calls= fields of a command's statistics.
proc calls_of {cmd} {
    set line [info_line commandstats cmdstat_$cmd]
    regexp {calls=(\d+),} $line _ calls
    regexp {failed_calls=(\d+)} $line _ failed
    return [list $calls $failed]
}

proc wait_blocked {n} {
    wait_for_condition 100 10 {
        [s blocked_clients] == $n
    } else {
        fail "expected $n blocked clients, INFO says [s blocked_clients]"
    }
}

# Asserts that a recorded deadline is within a second of now + ms.
proc assert_deadline {when ms} {
    set expected [expr {[clock milliseconds] + $ms}]
    assert {$when > $expected - 1000 && $when <= $expected + 1000}
}

start_server {tags {propagation}} {
    test {Propagation is recorded only while the observer is on} {
        r set before 1
        assert_equal [prop_stream] {}
        prop_restart
        r set k v
        r debug propagation off
        r set after 1
        assert_equal [prop_stream] {}
        r del before after k
    }

    test {A write is propagated as sent, after a SELECT of its database} {
        prop_restart
        r set k v
        r rpush l a b
        assert_equal [prop_stream] {{SELECT 0} {set k v} {rpush l a b}}
        r del k l
    }

    test {SELECT is emitted when the database changes, once} {
        prop_restart
        r select 3
        r set a 1
        r set b 1
        r select 0
        r set a 1
        r select 3
        r get a
        r del a b
        r select 0
        r del a
        assert_equal [prop_stream] {{SELECT 3} {set a 1} {set b 1} {SELECT 0} {set a 1} {SELECT 3} {del a b} {SELECT 0} {del a}}
    }

    test {A write that changes nothing propagates nothing} {
        r sadd s a
        r set str v
        prop_restart
        r del missing
        r sadd s a
        r srem s zz
        r expire missing 100
        r expire str 100 xx
        r set str w nx
        r getex str
        r getdel missing
        r spop missing
        r lpop missing
        r zpopmin missing
        r get str
        r srandmember s
        assert_equal [prop_stream] {}
        r del s str
    }

    test {FLUSHALL and FLUSHDB are propagated even on an empty dataset} {
        r flushall
        prop_restart
        r flushall
        r flushdb
        assert_equal [prop_stream] {{SELECT 0} flushall flushdb}
    }

    test {Relative and absolute expires are propagated as PEXPIREAT} {
        r set k v
        prop_restart
        r expire k 100
        r pexpire k 200000
        r expireat k 99999999999
        r pexpireat k 99999999999999
        r expire k 300 xx lt
        set s [prop_stream]
        assert_equal [llength $s] 6
        assert_match {PEXPIREAT k *} [lindex $s 1]
        assert_deadline [lindex $s 1 2] 100000
        assert_deadline [lindex $s 2 2] 200000
        assert_equal [lrange $s 3 4] {{PEXPIREAT k 99999999999000} {PEXPIREAT k 99999999999999}}
        assert_match {PEXPIREAT k * xx lt} [lindex $s 5]
        assert_deadline [lindex $s 5 2] 300000
        r del k
    }

    test {An expire in the past is propagated as DEL, or UNLINK with lazyfree-lazy-expire} {
        r set k v
        r set u v
        prop_restart
        r expire k -1
        r config set lazyfree-lazy-expire yes
        r pexpireat u 1
        r config set lazyfree-lazy-expire no
        assert_equal [prop_stream] {{SELECT 0} {DEL k} {UNLINK u}}
    }

    test {SET with an expire, SETEX and PSETEX are propagated as SET key value PXAT} {
        prop_restart
        r set k v ex 100
        r set k v px 200000
        r set k v exat 99999999999
        r set k v pxat 99999999999999 get
        r setex k 300 v
        r psetex k 400000 v
        r set k v keepttl
        set s [prop_stream]
        assert_equal [llength $s] 8
        foreach i {1 2 5 6} ms {100000 200000 300000 400000} {
            assert_match {SET k v PXAT *} [lindex $s $i]
            assert_deadline [lindex $s $i 4] $ms
        }
        assert_equal [lrange $s 3 4] {{SET k v PXAT 99999999999000} {SET k v PXAT 99999999999999}}
        assert_equal [lindex $s 7] {set k v keepttl}
        r del k
    }

    test {GETEX and GETDEL are propagated as PEXPIREAT, PERSIST, DEL or UNLINK} {
        r set k v
        r set d1 v
        r set d2 v
        r set gone v
        prop_restart
        r getex k ex 100
        r getex k pxat 99999999999999
        r getex k persist
        r getex k persist
        r getdel d1
        r config set lazyfree-lazy-user-del yes
        r getdel d2
        r config set lazyfree-lazy-user-del no
        r getex gone exat 1
        set s [prop_stream]
        assert_match {PEXPIREAT k *} [lindex $s 1]
        assert_deadline [lindex $s 1 2] 100000
        assert_equal [lrange $s 2 end] {{PEXPIREAT k 99999999999999} {PERSIST k} {DEL d1} {UNLINK d2} {DEL gone}}
        r del k
    }

    test {INCRBYFLOAT and HINCRBYFLOAT are propagated as the value they stored} {
        r set n 10
        r hset h f 1.5
        prop_restart
        r incrbyfloat n 1.5e3
        r hincrbyfloat h f 1e2
        r hincrbyfloat h g 2
        assert_equal [prop_stream] {{SELECT 0} {SET n 1510 KEEPTTL} {HSET h f 101.5} {HSET h g 2}}
        r del n h
    }

    test {SPOP is propagated as SREM, or as DEL when the whole set goes} {
        r del s
        r sadd s a b c d e f g h i j
        prop_restart
        set one [r spop s]
        set two [r spop s 2]
        set s [prop_stream]
        assert_equal [lrange $s 0 1] [list {SELECT 0} [list SREM s $one]]
        assert_equal [lindex $s 2] MULTI
        assert_equal [lsort [lrange $s 3 4]] [lsort [list [list SREM s [lindex $two 0]] [list SREM s [lindex $two 1]]]]
        assert_equal [lindex $s 5] EXEC
        assert_equal [llength $s] 6
        prop_restart
        set rest [r spop s 6]
        set s [prop_stream]
        assert_equal [llength $s] 9
        assert_equal [lindex $s 1] MULTI
        assert_equal [lindex $s end] EXEC
        foreach m $rest op [lrange $s 2 7] {
            assert_equal $op [list SREM s $m]
        }
        prop_restart
        r spop s 10
        assert_equal [prop_stream] {{SELECT 0} {DEL s}}
    }

    test {SPOP of members stored as integers propagates their text} {
        r del s
        r sadd s 1 2 3 4 5 6 7 8 9 10
        prop_restart
        set popped [r spop s 9]
        set s [prop_stream]
        assert_equal [llength $s] 12
        set members {}
        foreach op [lrange $s 2 10] {
            assert_equal [lrange $op 0 1] {SREM s}
            lappend members [lindex $op 2]
        }
        assert_equal [lsort $members] [lsort $popped]
        r del s
    }

    test {Blocking commands that find data are propagated as their non-blocking twins} {
        r del l m z
        r rpush l a b c d e f g
        r zadd z 1 a 2 b 3 c 4 d 5 e 6 f
        prop_restart
        r blpop l 0
        r brpop l 0
        r blmove l m LEFT right 0
        r brpoplpush l m 0
        r blmpop 0 1 l left count 2
        r lmpop 1 l right count 10
        r bzpopmin z 0
        r bzpopmax z 0
        r bzmpop 0 1 z min count 3
        r zmpop 1 z max count 10
        r zpopmin missing
        assert_equal [prop_stream] {{SELECT 0} {LPOP l} {RPOP l} {LMOVE l m LEFT right} {RPOPLPUSH l m} {LPOP l 2} {RPOP l 1} {ZPOPMIN z} {ZPOPMAX z} {ZPOPMIN z 3} {ZPOPMAX z 1}}
        r del m
    }

    test {A served blocked client propagates its pop after the write that fed it} {
        r del l1 l2
        set rd1 [redis_deferring_client]
        set rd2 [redis_deferring_client]
        $rd1 blpop l1 0
        $rd2 blpop l1 0
        wait_blocked 2
        prop_restart
        r rpush l1 x y
        assert_equal [$rd1 read] {l1 x}
        assert_equal [$rd2 read] {l1 y}
        assert_equal [prop_stream] {{SELECT 0} {rpush l1 x y} {LPOP l1} {LPOP l1}}
        $rd1 blmove l1 l2 left right 0
        $rd2 blpop l2 0
        wait_blocked 2
        prop_restart
        r rpush l1 z
        assert_equal [$rd1 read] z
        assert_equal [$rd2 read] {l2 z}
        assert_equal [prop_stream] {{SELECT 0} {rpush l1 z} {LMOVE l1 l2 left right} {LPOP l2}}
        $rd1 close
        $rd2 close
    }

    test {A served client pops from the key that became ready, in its own database} {
        set rd [redis_deferring_client]
        $rd select 5
        $rd read
        $rd bzmpop 0 2 za zb max count 5
        wait_blocked 1
        prop_restart
        r select 5
        r zadd zb 1 a 2 b
        r select 0
        assert_equal [$rd read] {zb {{b 2} {a 1}}}
        assert_equal [prop_stream] {{SELECT 5} {zadd zb 1 a 2 b} {ZPOPMAX zb 2}}
        $rd close
    }

    test {A lazily expired key is propagated as DEL, inside MULTI with the write that met it} {
        r debug set-active-expire 0
        r set a 1
        r set b 1
        r set c 1
        r pexpire a 1
        r pexpire b 1
        r pexpire c 1
        after 20
        prop_restart
        r get a
        r incr b
        r config set lazyfree-lazy-expire yes
        r exists c
        r config set lazyfree-lazy-expire no
        r debug set-active-expire 1
        assert_equal [prop_stream] {{SELECT 0} {DEL a} MULTI {DEL b} {incr b} EXEC {UNLINK c}}
        r del b
    }

    test {Several lazily expired keys and the write come in one MULTI} {
        r debug set-active-expire 0
        r set e 1
        r set x 1
        r pexpire e 1
        r pexpire x 1
        after 20
        prop_restart
        r mset e 1 x 2
        r debug set-active-expire 1
        assert_equal [prop_stream] {{SELECT 0} MULTI {DEL e} {DEL x} {mset e 1 x 2} EXEC}
        r del e x
    }

    test {Active expiry propagates each deletion on its own} {
        r select 2
        r set gone 1
        r select 0
        prop_restart
        r select 2
        r pexpire gone 50
        r select 0
        wait_for_condition 100 10 {
            [llength [prop_stream]] == 3
        } else {
            fail "the active expiry of the key was not propagated: [prop_stream]"
        }
        set s [prop_stream]
        assert_match {{SELECT 2} {PEXPIREAT gone *} *} $s
        assert_equal [lindex $s 2] {DEL gone}
    }

    test {The observer keeps the last 1000 commands} {
        prop_restart
        for {set j 0} {$j < 1100} {incr j} {
            r set k $j
        }
        set s [prop_stream]
        assert_equal [llength $s] 1000
        assert_equal [lindex $s 0] {set k 100}
        assert_equal [lindex $s end] {set k 1099}
        r debug propagation reset
        assert_equal [prop_stream] {}
        r set k x
        assert_equal [prop_stream] {{set k x}}
        r debug propagation off
        r del k
    }
}

start_server {tags {propagation}} {
    test {A served blocked command counts one call and no LPOP} {
        r config resetstat
        set rd [redis_deferring_client]
        $rd blpop served 0
        wait_blocked 1
        assert_equal [calls_of blpop] {1 0}
        r rpush served x
        assert_equal [$rd read] {served x}
        assert_equal [calls_of blpop] {1 0}
        assert_equal [info_line commandstats cmdstat_lpop] {}
        $rd close
    }

    test {A served blocked command that fails counts a failed call} {
        r config resetstat
        r del src
        r set dst notalist
        set rd [redis_deferring_client]
        $rd blmove src dst left left 0
        wait_blocked 1
        r rpush src x
        assert_error {WRONGTYPE*} {$rd read}
        assert_equal [calls_of blmove] {1 1}
        assert_equal [info_line errorstats errorstat_WRONGTYPE] {count=1}
        $rd close
        r del src dst
    }

    test {A timed-out blocked command is a successful call} {
        r config resetstat
        assert_equal [r blpop nothing 0.05] {}
        assert_equal [calls_of blpop] {1 0}
    }

    test {CLIENT UNBLOCK counts a failed call, with an UNBLOCKED error for ERROR} {
        set rd [redis_deferring_client]
        $rd client id
        set id [$rd read]
        r config resetstat
        $rd blpop nothing 0
        wait_blocked 1
        assert_equal [r client unblock $id] 1
        assert_equal [$rd read] {}
        assert_equal [calls_of blpop] {1 1}
        assert_equal [info_line errorstats errorstat_UNBLOCKED] {}
        r config resetstat
        $rd blpop nothing 0
        wait_blocked 1
        assert_equal [r client unblock $id error] 1
        assert_error {UNBLOCKED client unblocked via CLIENT UNBLOCK} {$rd read}
        assert_equal [calls_of blpop] {1 1}
        assert_equal [info_line errorstats errorstat_UNBLOCKED] {count=1}
        assert_equal [calls_of client|unblock] {1 1}
        $rd close
    }

    test {Serving a blocked client is not a new command in total_commands_processed} {
        set rd [redis_deferring_client]
        $rd blpop counted 0
        wait_blocked 1
        set before [s total_commands_processed]
        r rpush counted x
        assert_equal [$rd read] {counted x}
        # The RPUSH and the INFO that reads the counter.
        assert_equal [s total_commands_processed] [expr {$before + 2}]
        $rd close
    }
}
