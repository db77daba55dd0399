# Streams through every persistence path: the RDB file (SAVE and DEBUG
# RELOAD, versions 9 and 10), DUMP/RESTORE, the AOF rewrite, and files both
# ways with the real Redis 7.0.15 (skipped when it is absent), with and
# without consumer groups (their PELs, consumers and read counters); a
# damaged payload is refused and DEBUG DIGEST covers the groups.

# A stream with several nodes, deleted entries, same-field and other-field
# records, and a max deleted ID.
proc sp_fill {c key} {
    $c config set stream-node-max-entries 4
    for {set i 1} {$i <= 20} {incr i} {
        if {$i % 3 == 0} {
            $c xadd $key $i-1 other $i extra x
        } else {
            $c xadd $key $i-1 f $i g [expr {$i * 2}]
        }
    }
    $c xdel $key 5-1 6-1 7-1
    $c xadd empty 9-9 a b
    $c xdel empty 9-9
    $c config set stream-node-max-entries 100
}

# Three groups on the stream at key: g1 with entries pending for alice and
# bob and an idle consumer carol, g2 at the end, g3 read with NOACK from a
# given counter.
proc sp_groups {c key} {
    $c xgroup create $key g1 0
    $c xgroup create $key g2 $
    $c xgroup create $key g3 3-1 entriesread 2
    $c xreadgroup group g1 alice count 3 streams $key >
    $c xreadgroup group g1 bob count 2 streams $key >
    $c xgroup createconsumer $key g1 carol
    $c xreadgroup group g3 x noack streams $key >
}

# What the groups of key hold, times left out: each group's XINFO GROUPS
# entry, its PEL as id/consumer/deliveries, its consumers' names and
# pending counts.
proc sp_groups_state {c key} {
    set out {}
    foreach g [$c xinfo groups $key] {
        set name [dict get $g name]
        set pel {}
        foreach e [$c xpending $key $name - + 1000] { lappend pel [lreplace $e 2 2] }
        set consumers {}
        foreach cons [$c xinfo consumers $key $name] { lappend consumers [dict get $cons name] [dict get $cons pending] }
        lappend out $g $pel $consumers
    }
    return $out
}

proc sp_state {c key} {
    list [$c xrange $key - +] [$c xlen $key] [$c xrevrange $key + - count 3] [$c xlen empty] \
        [catch {$c xadd empty 9-9 a b} e] $e
}

start_server {tags {stream rdb persistence}} {
    test {A stream survives SAVE and DEBUG RELOAD, in RDB versions 10 and 9} {
        set out {}
        foreach version {10 9} {
            r flushall
            sp_fill [srv client] s
            set before [sp_state [srv client] s]
            r del empty
            r xadd empty 9-9 a b
            r xdel empty 9-9
            set digest [r debug digest]
            r config set rdb-version $version
            r debug reload
            r config set rdb-version 10
            lappend out [expr {[r debug digest] eq $digest || $version == 9}] [string equal [sp_state [srv client] s] $before]
        }
        set out
    } {1 1 1 1}

    test {DUMP and RESTORE of a stream} {
        r flushall
        sp_fill [srv client] s
        set want [r xrange s - +]
        set payload [r dump s]
        r del s
        r restore s 0 $payload
        list [string equal [r xrange s - +] $want] [r type s] [r object encoding s]
    } {1 stream stream}

    test {A damaged stream payload is refused and the server stays up} {
        r flushall
        sp_fill [srv client] s
        set payload [r dump s]
        set bad 0
        for {set i 0} {$i < 300} {incr i} {
            set pos [expr {int(rand() * ([string length $payload] - 10))}]
            set p [string replace $payload $pos $pos [binary format c [expr {int(rand() * 256) - 128}]]]
            if {[catch {r restore t 0 $p replace}]} { incr bad } else { r xrange t - + ; r xrevrange t + - }
        }
        list [expr {$bad > 0}] [r ping]
    } {1 PONG}

    test {Consumer groups survive DEBUG RELOAD in RDB versions 10 and 9; DEBUG DIGEST covers them} {
        r flushall
        sp_fill [srv client] s
        set plain [r debug digest]
        sp_groups [srv client] s
        set digest [r debug digest]
        assert {$digest ne $plain}
        set full [r xinfo stream s full count 0]
        r debug reload
        assert_equal [r debug digest] $digest
        assert_equal [r xinfo stream s full count 0] $full
        set state [sp_groups_state [srv client] s]
        r config set rdb-version 9
        r debug reload
        r config set rdb-version 10
        # Version 9 has no read counters (7.0 estimates them on load): the
        # PELs and consumers are what must come back.
        set after [sp_groups_state [srv client] s]
        foreach {g pel cons} $state {ag apel acons} $after {
            assert_equal $apel $pel
            assert_equal $acons $cons
            assert_equal [dict get $ag last-delivered-id] [dict get $g last-delivered-id]
        }
        r xgroup setid s g1 6-1
        assert {[r debug digest] ne $digest}
    }

    test {DUMP and RESTORE of a stream with groups} {
        r flushall
        sp_fill [srv client] s
        sp_groups [srv client] s
        set want [r xinfo stream s full count 0]
        set payload [r dump s]
        r del s
        r restore s 0 $payload
        string equal [r xinfo stream s full count 0] $want
    } {1}

    test {A damaged payload of a stream with groups is refused and the server stays up} {
        r flushall
        sp_fill [srv client] s
        sp_groups [srv client] s
        set payload [r dump s]
        set bad 0
        for {set i 0} {$i < 300} {incr i} {
            set pos [expr {int(rand() * ([string length $payload] - 10))}]
            set p [string replace $payload $pos $pos [binary format c [expr {int(rand() * 256) - 128}]]]
            if {[catch {r restore t 0 $p replace}]} {
                incr bad
            } else {
                r xinfo stream t full
                catch {r xpending t g1 - + 100}
                catch {r xautoclaim t g1 z 0 0}
            }
        }
        list [expr {$bad > 0}] [r ping]
    } {1 PONG}

    test {A stream survives an AOF rewrite and a restart} {
        r flushall
        sp_fill [srv client] s
        set before [sp_state [srv client] s]
        r config set appendonly yes
        wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0 && [s aof_rewrite_scheduled] == 0} else {
            fail "the AOF rewrite did not finish"
        }
        r bgrewriteaof
        wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0} else { fail "BGREWRITEAOF did not finish" }
        r config rewrite
        restart_server
        set after [sp_state [srv client] s]
        r config set appendonly no
        string equal $after $before
    } {1} {external:skip}

    test {Consumer groups survive an AOF rewrite (XGROUP CREATE, XCLAIM, CREATECONSUMER) and a restart} {
        r flushall
        r config set aof-use-rdb-preamble no
        sp_fill [srv client] s
        sp_groups [srv client] s
        set before [sp_groups_state [srv client] s]
        set digest [r debug digest]
        r config set appendonly yes
        wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0 && [s aof_rewrite_scheduled] == 0} else {
            fail "the AOF rewrite did not finish"
        }
        r bgrewriteaof
        wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0} else { fail "BGREWRITEAOF did not finish" }
        set base [glob [file join [srv dir] appendonlydir *.base.aof]]
        set f [open $base rb]
        set text [read $f]
        close $f
        set words [string map [list "\r\n" " "] $text]
        assert_match {*XGROUP $6 CREATE $1 s $2 g3 $4 20-1 $11 ENTRIESREAD $2 20 *} $words
        assert_match {*XCLAIM $1 s $2 g1 $5 alice $1 0 $3 1-1 $4 TIME $13 * $10 RETRYCOUNT $1 1 $6 JUSTID $5 FORCE *} $words
        assert_match {*XGROUP $14 CREATECONSUMER $1 s $2 g1 $5 carol *} $words
        r config rewrite
        restart_server
        set after [sp_groups_state [srv client] s]
        set digest_after [r debug digest]
        r config set appendonly no
        r config set aof-use-rdb-preamble yes
        list [string equal $after $before] [string equal $digest_after $digest]
    } {1 1} {external:skip}
}

if {![file executable /usr/bin/redis-server]} {
    puts "stream-persistence: /usr/bin/redis-server not found, skipping the interop tests"
    return
}

source tests/support/oracle.tcl

start_server {tags {stream rdb interop external:skip}} {
    test {Redis 7.0 loads Ember's stream, and Ember loads Redis's} {
        r flushall
        sp_fill [srv client] s
        set want [sp_state [srv client] s]
        r save
        set dir [file normalize [file join $::opt(tmpdir) "sp-oracle.[pid]"]]
        file mkdir $dir
        file copy -force [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
        assert_match {*RDB looks OK*} [exec /usr/bin/redis-check-rdb [file join $dir dump.rdb]]
        set ox [oracle_start $dir --appendonly no]
        set o [oracle_client $ox]
        set got_redis [sp_state $o s]
        $o del empty
        $o xadd empty 9-9 a b
        $o xdel empty 9-9
        $o save
        oracle_stop $ox
        r flushall
        file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
        r debug reload nosave
        list [string equal $got_redis $want] [string equal [sp_state [srv client] s] $want]
    } {1 1}

    test {A DUMP of a stream with groups is the same bytes in both servers, and RESTOREs both ways} {
        set dir [file normalize [file join $::opt(tmpdir) "sp-oracle2.[pid]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no]
        set o [oracle_client $ox]
        sp_fill $o s
        sp_groups $o s
        set payload [$o dump s]
        set want [$o xinfo stream s full count 0]
        r flushall
        r restore s 0 $payload
        set ours [r dump s]
        $o restore s2 0 $ours
        set back [$o xinfo stream s2 full count 0]
        oracle_stop $ox
        list [string equal [r xinfo stream s full count 0] $want] [string equal $ours $payload] [string equal $back $want]
    } {1 1 1}

    test {Redis 7.0 loads Ember's stream groups from an RDB file, and Ember loads Redis's} {
        r flushall
        sp_fill [srv client] s
        sp_groups [srv client] s
        set want [sp_groups_state [srv client] s]
        set want_full [r xinfo stream s full count 0]
        r save
        set dir [file normalize [file join $::opt(tmpdir) "sp-oracle3.[pid]"]]
        file mkdir $dir
        file copy -force [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
        assert_match {*RDB looks OK*} [exec /usr/bin/redis-check-rdb [file join $dir dump.rdb]]
        set ox [oracle_start $dir --appendonly no]
        set o [oracle_client $ox]
        set got_redis [$o xinfo stream s full count 0]
        $o xack s g1 1-1
        set want_after [sp_groups_state $o s]
        $o save
        oracle_stop $ox
        r flushall
        file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
        r debug reload nosave
        list [string equal $got_redis $want_full] [string equal [sp_groups_state [srv client] s] $want_after]
    } {1 1}
}
