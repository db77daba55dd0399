# Stream consumer groups: XGROUP (CREATE with MKSTREAM, ENTRIESREAD and
# "$", SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP), XREADGROUP (">",
# history IDs, COUNT, NOACK, several streams, RESP3), XACK, XPENDING (summary
# and extended forms, IDLE, consumer filter), XCLAIM (IDLE, TIME,
# RETRYCOUNT, FORCE, JUSTID, LASTID), XAUTOCLAIM (COUNT, JUSTID, deleted
# entries), every error text of Redis 7.0.15, keyspace events, what is
# propagated (XCLAIM / XGROUP SETID forms as 7.0 writes them), blocking
# XREADGROUP (woken by XADD, told when its group or key goes, served as
# non-blocking in MULTI and scripts), and a randomized run against a model
# of the PEL. Every expected reply was checked against redis-server 7.0.15.

# Waits until INFO reports n blocked clients.
proc cg_wait_blocked {n} {
    wait_for_condition 100 20 {
        [s blocked_clients] == $n
    } else {
        fail "expected $n blocked clients, INFO says [s blocked_clients]"
    }
}

# A stream s with entries 1-1 .. n-1 (field f, value i) and group g at 0.
proc cg_fill {n} {
    r del s
    for {set i 1} {$i <= $n} {incr i} { r xadd s $i-1 f $i }
    r xgroup create s g 0
}

# The IDs of a list of entries.
proc cg_ids {entries} {
    set ids {}
    foreach e $entries { lappend ids [lindex $e 0] }
    return $ids
}

start_server {tags {stream}} {
    test {XGROUP CREATE: MKSTREAM, $, BUSYGROUP and the key-must-exist error} {
        r del s
        assert_error {ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.} {r xgroup create s g $}
        assert_equal [r xgroup create s g $ mkstream] OK
        assert_equal [r type s] stream
        assert_equal [r xlen s] 0
        assert_error {BUSYGROUP Consumer Group name already exists} {r xgroup create s g $ mkstream}
        assert_equal [r xgroup create s g7 0 MKSTREAM MKSTREAM] OK
        assert_equal [r xgroup create s g8 0 MKSTREAM ENTRIESREAD 1] OK
        assert_equal [r xgroup create s g9 0 ENTRIESREAD 1 MKSTREAM] OK
    }

    test {XGROUP argument errors} {
        r del s
        r xgroup create s g $ mkstream
        assert_error {ERR value for ENTRIESREAD must be positive or -1} {r xgroup create s g2 0 entriesread -5}
        assert_error {ERR value is not an integer or out of range} {r xgroup create s g2 0 entriesread abc}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xgroup create s g2 zz}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.} {r xgroup CREATE s g2 0 FOO}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.} {r xgroup setid s g 0 FOO 1}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.} {r xgroup setid s g 0 entriesread}
        assert_error {ERR value for ENTRIESREAD must be positive or -1} {r xgroup setid s g 0 entriesread -2}
        assert_error {NOGROUP No such consumer group 'nog' for key name 's'} {r xgroup setid s nog 0}
        assert_error {ERR The XGROUP subcommand requires the key to exist.*} {r xgroup setid nokey g 0}
        assert_error {NOGROUP No such consumer group 'nog' for key name 's'} {r xgroup createconsumer s nog c}
        assert_error {NOGROUP No such consumer group 'nog' for key name 's'} {r xgroup delconsumer s nog c}
        assert_error {ERR unknown subcommand 'FOO'. Try XGROUP HELP.} {r xgroup FOO s}
        assert_error {ERR wrong number of arguments for 'xgroup|create' command} {r xgroup create s}
        assert_error {ERR wrong number of arguments for 'xgroup' command} {r xgroup}
        r set str x
        assert_error {WRONGTYPE*} {r xgroup create str g 0}
    }

    test {XGROUP CREATECONSUMER, DELCONSUMER and DESTROY replies} {
        cg_fill 3
        assert_equal [r xgroup createconsumer s g c1] 1
        assert_equal [r xgroup createconsumer s g c1] 0
        r xreadgroup group g c2 count 2 streams s >
        assert_equal [r xgroup delconsumer s g c2] 2
        assert_equal [r xgroup delconsumer s g c2] 0
        assert_equal [lindex [r xpending s g] 0] 0
        assert_equal [r xgroup destroy s nog] 0
        assert_equal [r xgroup destroy s g] 1
        assert_equal [r xinfo groups s] {}
    }

    test {XGROUP HELP} {
        set help [r xgroup help]
        assert_equal [lindex $help 0] {XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help 1] {CREATE <key> <groupname> <id|$> [option]}
        assert_equal [lindex $help end-1] HELP
        assert_equal [llength $help] 17
    }

    test {XREADGROUP with > delivers new entries once and fills the PEL} {
        cg_fill 3
        assert_equal [r xreadgroup group g c count 2 streams s >] {{s {{1-1 {f 1}} {2-1 {f 2}}}}}
        assert_equal [r xreadgroup group g c streams s >] {{s {{3-1 {f 3}}}}}
        assert_equal [r xreadgroup group g c streams s >] {}
        assert_equal [lrange [r xpending s g] 0 2] {3 1-1 3-1}
        assert_equal [lindex [r xpending s g] 3] {{c 3}}
    }

    test {XREADGROUP with an ID reads the consumer's history after it, deleted entries as nil} {
        cg_fill 4
        r xreadgroup group g c streams s >
        r xdel s 3-1
        assert_equal [r xreadgroup group g c streams s 0] {{s {{1-1 {f 1}} {2-1 {f 2}} {3-1 {}} {4-1 {f 4}}}}}
        assert_equal [r xreadgroup group g c streams s 3-1] {{s {{4-1 {f 4}}}}}
        assert_equal [r xreadgroup group g c count 1 streams s 0] {{s {{1-1 {f 1}}}}}
        assert_equal [r xreadgroup group g other streams s 0] {{s {}}}
        # Each history read delivered again: 1-1 went out three times.
        assert_equal [lindex [r xpending s g - + 1] 0 3] 3
    }

    test {XREADGROUP creates the consumer only when it serves something} {
        cg_fill 1
        r xreadgroup group g c streams s >
        assert_equal [r xreadgroup group g idle streams s >] {}
        assert_equal [r xgroup createconsumer s g idle] 1
        r xreadgroup group g hist streams s 0
        assert_equal [r xgroup createconsumer s g hist] 0
    }

    test {XREADGROUP NOACK delivers without a PEL entry} {
        cg_fill 2
        assert_equal [r xreadgroup group g c noack streams s >] {{s {{1-1 {f 1}} {2-1 {f 2}}}}}
        assert_equal [lindex [r xpending s g] 0] 0
        assert_equal [dict get [lindex [r xinfo groups s] 0] last-delivered-id] 2-1
    }

    test {XREADGROUP moves an entry pending elsewhere to the new reader} {
        cg_fill 2
        r xreadgroup group g a streams s >
        r xgroup setid s g 0
        r xreadgroup group g b count 1 streams s >
        assert_match {{2-1 a * 1}} [r xpending s g - + 10 a]
        assert_match {{1-1 b * 1}} [r xpending s g - + 10 b]
    }

    test {XREADGROUP on several streams, and in RESP3 as a map} {
        r del s t
        r xadd s 1-1 f 1
        r xadd t 1-1 f 2
        r xgroup create s g 0
        r xgroup create t g 0
        assert_equal [r xreadgroup group g c streams s t > >] {{s {{1-1 {f 1}}}} {t {{1-1 {f 2}}}}}
        r hello 3
        assert_equal [r xreadgroup group g c streams s t 0 0] {s {{1-1 {f 1}}} t {{1-1 {f 2}}}}
        r hello 2
    }

    test {XREADGROUP errors} {
        cg_fill 1
        assert_error {ERR wrong number of arguments for 'xreadgroup' command} {r xreadgroup group g c streams s}
        assert_error {ERR Missing GROUP option for XREADGROUP} {r xreadgroup count 1 block 1 streams s >}
        assert_error {ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.} {r xread group g c streams s 0}
        assert_error {ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.} {r xread noack streams s 0}
        assert_error {NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option} {r xreadgroup group nog c streams s >}
        assert_error {NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option} {r xreadgroup group g c streams nokey >}
        assert_error {ERR The $ ID is meaningless in the context of XREADGROUP*} {r xreadgroup group g c streams s $}
        assert_error {ERR Unbalanced XREAD list of streams*} {r xreadgroup group g c streams s > 0}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xreadgroup group g c streams s zz}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xreadgroup group g c streams s (0}
        assert_error {ERR timeout is negative} {r xreadgroup group g c block -1 streams s 0}
        assert_error {ERR syntax error} {r xreadgroup group g c foo streams s 0}
        r set str x
        assert_error {WRONGTYPE*} {r xreadgroup group g c streams str >}
    }

    test {XACK acknowledges only pending IDs, all or nothing on a bad ID} {
        cg_fill 3
        r xreadgroup group g c streams s >
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xack s g 1-1 zz}
        assert_equal [lindex [r xpending s g] 0] 3
        assert_equal [r xack s g 1-1 1-1 9-9] 1
        assert_equal [r xack s nog 2-1] 0
        assert_equal [r xack nokey g 2-1] 0
        assert_equal [lindex [r xpending s g] 0] 2
        r set str x
        assert_error {WRONGTYPE*} {r xack str g 1-1}
    }

    test {XPENDING summary and extended forms} {
        cg_fill 4
        assert_equal [r xpending s g] {0 {} {} {}}
        r xreadgroup group g a count 1 streams s >
        r xreadgroup group g b streams s >
        assert_equal [r xpending s g] {4 1-1 4-1 {{a 1} {b 3}}}
        set ext [r xpending s g - + 10]
        assert_equal [cg_ids $ext] {1-1 2-1 3-1 4-1}
        assert_equal [lindex $ext 1 1] b
        assert {[lindex $ext 1 2] >= 0}
        assert_equal [lindex $ext 1 3] 1
        assert_equal [cg_ids [r xpending s g (1-1 + 10]] {2-1 3-1 4-1}
        assert_equal [cg_ids [r xpending s g - (4-1 2]] {1-1 2-1}
        assert_equal [cg_ids [r xpending s g - + 10 a]] {1-1}
        assert_equal [r xpending s g - + 10 nobody] {}
        assert_equal [r xpending s g - + -1] {}
        assert_equal [cg_ids [r xpending s g IDLE 0 - + 10 b]] {2-1 3-1 4-1}
        assert_equal [r xpending s g IDLE 100000 - + 10] {}
    }

    test {XPENDING errors} {
        cg_fill 1
        assert_error {NOGROUP No such key 's' or consumer group 'nog'} {r xpending s nog}
        assert_error {NOGROUP No such key 'nokey' or consumer group 'g'} {r xpending nokey g}
        assert_error {ERR value is not an integer or out of range} {r xpending s g - + abc}
        assert_error {ERR syntax error} {r xpending s g - +}
        assert_error {ERR syntax error} {r xpending s g IDLE 10 - +}
        assert_error {ERR syntax error} {r xpending s g IDLE 10}
        assert_error {ERR value is not an integer or out of range} {r xpending s g IDLE abc - + 10}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xpending s g ( + 10}
        r set str x
        assert_error {WRONGTYPE*} {r xpending str g}
    }

    test {XCLAIM moves entries, with RETRYCOUNT, IDLE, TIME, JUSTID and FORCE} {
        cg_fill 3
        r xreadgroup group g a streams s >
        assert_equal [r xclaim s g b 0 1-1] {{1-1 {f 1}}}
        assert_match {{1-1 b * 2}} [r xpending s g - + 1]
        assert_equal [r xclaim s g b 0 1-1 justid] {1-1}
        assert_match {{1-1 b * 2}} [r xpending s g - + 1]
        r xclaim s g c 0 2-1 retrycount 7 idle 5000 justid
        set p [lindex [r xpending s g 2-1 2-1 1] 0]
        assert_equal [lrange $p 0 1] {2-1 c}
        assert {[lindex $p 2] >= 5000}
        assert_equal [lindex $p 3] 7
        set t [expr {[clock milliseconds] - 60000}]
        r xclaim s g c 0 3-1 time $t justid
        assert {[lindex [r xpending s g 3-1 3-1 1] 0 2] >= 60000}
        # A min-idle-time not reached leaves the entry where it is.
        assert_equal [r xclaim s g d 3600000 1-1] {}
        # FORCE creates a PEL entry for an entry never delivered.
        r xadd s 4-1 f 4
        assert_equal [r xclaim s g d 0 4-1] {}
        assert_equal [r xclaim s g d 0 4-1 force justid] {4-1}
        assert_equal [r xclaim s g d 0 9-9 force] {}
        assert_equal [lindex [r xpending s g] 0] 4
    }

    test {XCLAIM drops pending entries deleted from the stream, and LASTID moves the group} {
        cg_fill 3
        r xreadgroup group g a streams s >
        r xdel s 2-1
        assert_equal [r xclaim s g b 0 1-1 2-1 3-1 justid] {1-1 3-1}
        assert_equal [cg_ids [r xpending s g - + 10]] {1-1 3-1}
        r xclaim s g b 0 1-1 lastid 5-5
        assert_equal [dict get [lindex [r xinfo groups s] 0] last-delivered-id] 5-5
        r xclaim s g b 0 1-1 lastid 2-2
        assert_equal [dict get [lindex [r xinfo groups s] 0] last-delivered-id] 5-5
    }

    test {XCLAIM errors} {
        cg_fill 1
        assert_error {ERR wrong number of arguments for 'xclaim' command} {r xclaim s g c 0}
        assert_error {NOGROUP No such key 's' or consumer group 'nog'} {r xclaim s nog c 0 1-1}
        assert_error {NOGROUP No such key 'nokey' or consumer group 'g'} {r xclaim nokey g c 0 1-1}
        assert_error {ERR Invalid min-idle-time argument for XCLAIM} {r xclaim s g c abc 1-1}
        assert_error {ERR Invalid IDLE option argument for XCLAIM} {r xclaim s g c 0 1-1 idle abc}
        assert_error {ERR Invalid TIME option argument for XCLAIM} {r xclaim s g c 0 1-1 time abc}
        assert_error {ERR Invalid RETRYCOUNT option argument for XCLAIM} {r xclaim s g c 0 1-1 retrycount abc}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xclaim s g c 0 1-1 lastid zz}
        assert_error {ERR Unrecognized XCLAIM option 'FOO'} {r xclaim s g c 0 1-1 FOO}
        assert_error {ERR Unrecognized XCLAIM option 'zz'} {r xclaim s g c 0 zz}
        r set str x
        assert_error {WRONGTYPE*} {r xclaim str g c 0 1-1}
    }

    test {XAUTOCLAIM walks the PEL with a cursor and reports deleted entries} {
        cg_fill 5
        r xreadgroup group g a streams s >
        assert_equal [r xautoclaim s g b 0 0 count 2] {3-1 {{1-1 {f 1}} {2-1 {f 2}}} {}}
        r xdel s 3-1
        assert_equal [r xautoclaim s g b 0 3-1 count 2 justid] {5-1 4-1 3-1}
        assert_equal [r xautoclaim s g b 0 5-1] {0-0 {{5-1 {f 5}}} {}}
        assert_equal [cg_ids [r xpending s g - + 10 b]] {1-1 2-1 4-1 5-1}
        # JUSTID keeps the delivery count; a normal claim raises it.
        assert_equal [lindex [r xpending s g 4-1 4-1 1] 0 3] 1
        assert_equal [lindex [r xpending s g 1-1 1-1 1] 0 3] 2
        assert_equal [r xautoclaim s g c 3600000 0] {0-0 {} {}}
        assert_equal [lindex [r xautoclaim s g c 0 (1-1 justid] 1] {2-1 4-1 5-1}
    }

    test {XAUTOCLAIM errors} {
        cg_fill 1
        assert_error {ERR wrong number of arguments for 'xautoclaim' command} {r xautoclaim s g c 0}
        assert_error {NOGROUP No such key 's' or consumer group 'nog'} {r xautoclaim s nog c 0 0}
        assert_error {NOGROUP No such key 'nokey' or consumer group 'g'} {r xautoclaim nokey g c 0 0}
        assert_error {ERR Invalid min-idle-time argument for XAUTOCLAIM} {r xautoclaim s g c abc 0}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xautoclaim s g c 0 zz}
        assert_error {ERR COUNT must be > 0} {r xautoclaim s g c 0 0 count 0}
        assert_error {ERR COUNT must be > 0} {r xautoclaim s g c 0 0 count -1}
        assert_error {ERR syntax error} {r xautoclaim s g c 0 0 foo}
        r set str x
        assert_error {WRONGTYPE*} {r xautoclaim str g c 0 0}
    }

    test {Consumer group keyspace events} {
        r config set notify-keyspace-events Et
        set rd [redis_deferring_client]
        $rd psubscribe __keyevent@*
        $rd read
        r del s
        r xgroup create s g $ mkstream
        r xgroup createconsumer s g c
        r xadd s 1-1 f v
        r xreadgroup group g c2 streams s >
        r xclaim s g c3 0 1-1
        r xgroup setid s g 0
        r xgroup delconsumer s g c
        r xgroup destroy s g
        set got {}
        for {set i 0} {$i < 8} {incr i} { lappend got [lindex [$rd read] 2] }
        $rd close
        r config set notify-keyspace-events ""
        set got
    } {__keyevent@0__:xgroup-create __keyevent@0__:xgroup-createconsumer __keyevent@0__:xadd __keyevent@0__:xgroup-createconsumer __keyevent@0__:xgroup-createconsumer __keyevent@0__:xgroup-setid __keyevent@0__:xgroup-delconsumer __keyevent@0__:xgroup-destroy}

    test {UNLINK of a one-node stream with a big PEL frees it in the background} {
        cg_fill 100
        r xreadgroup group g c streams s >
        set before [s lazyfreed_objects]
        r unlink s
        wait_for_condition 100 50 {[s lazyfree_pending_objects] == 0} else { fail "lazy free did not finish" }
        cg_fill 100
        r unlink s
        expr {[s lazyfreed_objects] - $before}
    } {1}

    test {COPY copies the groups, their PELs and consumers} {
        cg_fill 2
        r xreadgroup group g c count 1 streams s >
        r del s2
        r copy s s2
        r xack s g 1-1
        assert_equal [r xpending s2 g] {1 1-1 1-1 {{c 1}}}
        assert_equal [r xpending s g] {0 {} {} {}}
    }
}

start_server {tags {stream}} {
    test {XREADGROUP propagates XCLAIM per delivered entry, XGROUP SETID for NOACK, nothing for history} {
        cg_fill 3
        r debug propagation off
        r debug propagation on
        r xreadgroup group g c count 1 streams s >
        r xreadgroup group g c noack count 1 streams s >
        r xreadgroup group g c streams s 0
        set got [r debug propagation get]
        r debug propagation off
        assert_match {*{XCLAIM s g c 0 1-1 TIME * RETRYCOUNT 1 FORCE JUSTID LASTID 1-1}*} $got
        assert_match {*{XGROUP SETID s g 2-1 ENTRIESREAD 2}*} $got
        assert_no_match {*xreadgroup*} $got
        assert_equal [llength [lsearch -all -glob $got {XCLAIM*}]] 1
    }

    test {XCLAIM and XAUTOCLAIM propagate the claimed NACKs, deleted ones as they were} {
        cg_fill 3
        r xreadgroup group g a streams s >
        r xdel s 2-1
        r debug propagation off
        r debug propagation on
        r xclaim s g b 0 1-1 retrycount 5
        r xautoclaim s g c 0 0 justid
        set got [r debug propagation get]
        r debug propagation off
        assert_match {*{XCLAIM s g b 0 1-1 TIME * RETRYCOUNT 5 FORCE JUSTID LASTID 3-1}*} $got
        assert_match {*{XCLAIM s g c 0 1-1 TIME * RETRYCOUNT 5 FORCE JUSTID LASTID 3-1}*} $got
        assert_match {*{XCLAIM s g a 0 2-1 TIME * RETRYCOUNT 1 FORCE JUSTID LASTID 3-1}*} $got
        assert_no_match {*xclaim s g b 0 1-1 retrycount*} $got
        assert_no_match {*xautoclaim*} $got
    }
}

start_server {tags {stream}} {
    test {Blocking XREADGROUP is served by XADD, in arrival order} {
        r del s
        r xgroup create s g $ mkstream
        set rd1 [redis_deferring_client]
        set rd2 [redis_deferring_client]
        $rd1 xreadgroup group g c1 block 0 streams s >
        $rd2 xreadgroup group g c2 block 0 streams s >
        cg_wait_blocked 2
        r xadd s 1-1 f 1
        assert_equal [$rd1 read] {{s {{1-1 {f 1}}}}}
        cg_wait_blocked 1
        r xadd s 2-1 f 2
        assert_equal [$rd2 read] {{s {{2-1 {f 2}}}}}
        assert_equal [r xpending s g] {2 1-1 2-1 {{c1 1} {c2 1}}}
        $rd1 close
        $rd2 close
    }

    test {A served XREADGROUP propagates its XCLAIM after the XADD that woke it} {
        r del s
        r xgroup create s g $ mkstream
        set rd [redis_deferring_client]
        $rd xreadgroup group g c block 0 streams s >
        cg_wait_blocked 1
        r debug propagation off
        r debug propagation on
        r xadd s 1-1 f 1
        assert_equal [$rd read] {{s {{1-1 {f 1}}}}}
        set got [r debug propagation get]
        r debug propagation off
        $rd close
        # The group's position follows (as Redis 7.2 sends it; 7.0.15 does
        # not, and its replicas keep a stale entries-read).
        assert_match {*{xadd s 1-1 f 1} MULTI {XCLAIM s g c 0 1-1 TIME * RETRYCOUNT 1 FORCE JUSTID LASTID 1-1} {XGROUP SETID s g 1-1 ENTRIESREAD 1} EXEC} $got
    }

    test {Blocking XREADGROUP times out with a null reply} {
        r del s
        r xgroup create s g $ mkstream
        set rd [redis_deferring_client]
        $rd xreadgroup group g c block 50 streams s >
        assert_equal [$rd read] {}
        $rd close
    }

    test {Blocking XREADGROUP learns that its group was destroyed} {
        r del s
        r xgroup create s g $ mkstream
        set rd [redis_deferring_client]
        $rd xreadgroup group g c block 0 streams s >
        cg_wait_blocked 1
        r xgroup destroy s g
        assert_error {NOGROUP the consumer group this client was blocked on no longer exists} {$rd read}
        $rd close
    }

    test {Blocking XREADGROUP learns that its key is gone: DEL, SET, RENAME, FLUSHALL} {
        foreach how {del set rename flushall} {
            r del s s2
            r xgroup create s g $ mkstream
            set rd [redis_deferring_client]
            $rd xreadgroup group g c block 0 streams s >
            cg_wait_blocked 1
            switch $how {
                del { r del s }
                set { r set s x }
                rename { r rename s s2 }
                flushall { r flushall }
            }
            assert_error {UNBLOCKED the stream key no longer exists} {$rd read}
            $rd close
        }
    }

    test {Blocking XREADGROUP learns that its key expired} {
        r del s
        r xgroup create s g $ mkstream
        r pexpire s 100
        set rd [redis_deferring_client]
        $rd xreadgroup group g c block 0 streams s >
        assert_error {UNBLOCKED the stream key no longer exists} {$rd read}
        $rd close
    }

    test {Blocking XREAD keeps waiting when its key is deleted; XGROUP SETID wakes nobody} {
        r del s
        r xgroup create s g $ mkstream
        set rd [redis_deferring_client]
        set rg [redis_deferring_client]
        $rd xread block 0 streams s $
        $rg xreadgroup group g c block 0 streams s >
        cg_wait_blocked 2
        r xgroup setid s g 0
        r del s
        cg_wait_blocked 1
        assert_error {UNBLOCKED*} {$rg read}
        r xadd s 1-1 f v
        assert_equal [$rd read] {{s {{1-1 {f v}}}}}
        $rd close
        $rg close
    }

    test {XREADGROUP BLOCK inside MULTI and from a script replies at once} {
        r del s
        r xgroup create s g $ mkstream
        r multi
        r xreadgroup group g c block 0 streams s >
        assert_equal [r exec] {{}}
        assert_equal [r eval {return redis.call('xreadgroup','group','g','c','block','0','streams','s','>')} 1 s] {}
    }
}

start_server {tags {stream}} {
    test {Random XADD/XDEL/XREADGROUP/XACK/XCLAIM against a model of the PEL} {
        r del s
        r xgroup create s g $ mkstream
        set pel [dict create]
        set live {}
        set next 1
        for {set i 0} {$i < 600} {incr i} {
            set op [randomInt 5]
            set who c[randomInt 3]
            if {$op == 0} {
                r xadd s $next-1 f $next
                lappend live $next-1
                incr next
            } elseif {$op == 1} {
                foreach e [lindex [r xreadgroup group g $who count [expr {1 + [randomInt 3]}] streams s >] 0 1] {
                    dict set pel [lindex $e 0] $who
                }
            } elseif {$op == 2 && [dict size $pel]} {
                set id [lindex [dict keys $pel] [randomInt [dict size $pel]]]
                assert_equal [r xack s g $id] 1
                dict unset pel $id
            } elseif {$op == 3 && [dict size $pel]} {
                set id [lindex [dict keys $pel] [randomInt [dict size $pel]]]
                set got [r xclaim s g $who 0 $id justid]
                if {[lsearch -exact $live $id] >= 0} {
                    assert_equal $got $id
                    dict set pel $id $who
                } else {
                    assert_equal $got {}
                    dict unset pel $id
                }
            } elseif {$op == 4 && [llength $live]} {
                set id [lindex $live [randomInt [llength $live]]]
                r xdel s $id
                set live [lsearch -all -inline -not -exact $live $id]
            }
        }
        set model {}
        foreach id [lsort -command {apply {{a b} {
            lassign [split $a -] am as
            lassign [split $b -] bm bs
            expr {$am != $bm ? ($am < $bm ? -1 : 1) : 0}
        }}} [dict keys $pel]] {
            lappend model [list $id [dict get $pel $id]]
        }
        set got {}
        foreach e [r xpending s g - + 10000] { lappend got [lrange $e 0 1] }
        assert_equal $got $model
        assert_equal [lindex [r xpending s g] 0] [dict size $pel]
    }
}
