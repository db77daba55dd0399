# Streams through every persistence path: the RDB file (SAVE and DEBUG
# RELOAD, versions 9 and 10), DUMP/RESTORE, the AOF rewrite, and files both
# ways with the real Redis 7.0.15 (skipped when it is absent). A stream
# with consumer groups cannot be loaded yet, and a damaged node is refused.

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

    test {A stream with consumer groups from Redis is refused with its reason} {
        set dir [file normalize [file join $::opt(tmpdir) "sp-oracle2.[pid]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no]
        set o [oracle_client $ox]
        $o xadd g 1-1 a b
        $o xgroup create g grp 0
        set payload [$o dump g]
        oracle_stop $ox
        catch {r restore g2 0 $payload} e
        list [r exists g2] [string match {*ERR*} $e]
    } {0 1}
}
