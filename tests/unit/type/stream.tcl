# The stream type without consumer groups: XADD (IDs given, "ms-*" and
# generated, NOMKSTREAM, MAXLEN/MINID with = and ~, LIMIT), XRANGE and
# XREVRANGE (exclusive bounds, COUNT), XLEN, XDEL, XTRIM, XSETID, XREAD and
# its BLOCK (several streams, "$", RESP3 map), every error text of 7.0,
# node boundaries (stream-node-max-entries / -bytes), propagation of
# generated IDs and approximate trims, keyspace events, and a randomized
# run of XADD/XDEL/XTRIM against a Tcl list model checked with XRANGE and
# XREVRANGE.

# The IDs of an XRANGE/XREVRANGE reply.
proc stream_ids {reply} {
    set ids {}
    foreach e $reply { lappend ids [lindex $e 0] }
    return $ids
}

start_server {tags {stream}} {
    test {XADD with explicit IDs, XLEN, TYPE and OBJECT ENCODING} {
        r del s
        assert_equal [r xadd s 1-1 f v] 1-1
        assert_equal [r xadd s 5 f v] 5-0
        assert_equal [r xadd s 5-* f v] 5-1
        assert_equal [r xadd s 6-* f v] 6-0
        assert_equal [r xlen s] 4
        assert_equal [r type s] stream
        assert_equal [r object encoding s] stream
    }

    test {XADD refuses IDs that are not above the top item} {
        r del s
        assert_error {ERR The ID specified in XADD must be greater than 0-0} {r xadd s 0-0 f v}
        r xadd s 5-5 f v
        assert_error {ERR The ID specified in XADD is equal or smaller than the target stream top item} {r xadd s 5-5 f v}
        assert_error {ERR The ID specified in XADD is equal or smaller than the target stream top item} {r xadd s 4-* f v}
        assert_error {ERR The ID specified in XADD is equal or smaller than the target stream top item} {r xadd s 5 f v}
    }

    test {XADD 0-* on an empty stream and ms-* after the largest sequence} {
        r del s s3
        assert_equal [r xadd s 0-* f v] 0-1
        r xadd s3 5-18446744073709551615 f v
        assert_error {ERR Elements are too large to be stored} {r xadd s3 5-* f v}
        assert_equal [r xadd s3 6-* f v] 6-0
    }

    test {XADD at the last possible ID and after it} {
        r del s
        r xadd s 18446744073709551615-18446744073709551614 f v
        assert_equal [r xadd s 18446744073709551615-* f v] 18446744073709551615-18446744073709551615
        assert_error {ERR The stream has exhausted the last possible ID*} {r xadd s * f v}
        assert_error {ERR The stream has exhausted the last possible ID*} {r xadd s 1-1 f v}
    }

    test {XADD * generates increasing IDs from the clock} {
        r del s
        set a [r xadd s * f 1]
        set b [r xadd s * f 2]
        lassign [split $a -] ams aseq
        lassign [split $b -] bms bseq
        assert {$bms > $ams || ($bms == $ams && $bseq == $aseq + 1)}
        assert {abs($ams - [clock milliseconds]) < 60000}
        # A top item in the future: the clock is behind, the sequence grows.
        r xadd s 99999999999999-7 f v
        assert_equal [r xadd s * f v] 99999999999999-8
    }

    test {XADD argument errors} {
        r del s
        assert_error {ERR wrong number of arguments for 'xadd' command} {r xadd s 6 a}
        assert_error {ERR wrong number of arguments for 'xadd' command} {r xadd s 6 a 1 b}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xadd s abc a 1}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xadd s 1-2-3 a 1}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xadd s -1 a 1}
        assert_error {ERR value is not an integer or out of range} {r xadd s maxlen ~ abc 7 a 1}
        assert_error {ERR The MAXLEN argument must be >= 0.} {r xadd s maxlen -1 7 a 1}
        assert_error {ERR syntax error, LIMIT cannot be used without specifying a trimming strategy} {r xadd s limit 10 7 a 1}
        assert_error {ERR syntax error, LIMIT cannot be used without the special ~ option} {r xadd s maxlen 5 limit 10 7 a 1}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xadd s minid abc 7 a 1}
        assert_equal [r exists s] 0
        r set str x
        assert_error {WRONGTYPE*} {r xadd str * a 1}
    }

    test {XADD NOMKSTREAM does not create the key} {
        r del s
        assert_equal [r xadd s nomkstream * f v] {}
        assert_equal [r exists s] 0
        r xadd s 1-1 f v
        assert_equal [r xadd s nomkstream 2-1 f v] 2-1
    }

    test {XADD with MAXLEN and MINID trims exactly} {
        r del s
        for {set i 1} {$i <= 10} {incr i} { r xadd s $i-0 f $i }
        assert_equal [r xadd s maxlen 5 11-0 f 11] 11-0
        assert_equal [stream_ids [r xrange s - +]] {7-0 8-0 9-0 10-0 11-0}
        r xadd s minid = 9 12-0 f 12
        assert_equal [stream_ids [r xrange s - +]] {9-0 10-0 11-0 12-0}
        r xadd s MAXLEN = 0 13-0 f 13
        assert_equal [r xlen s] 0
        assert_equal [r exists s] 1
    }

    test {XRANGE and XREVRANGE with bounds, exclusive bounds and COUNT} {
        r del s
        foreach id {1-1 2-1 3-1 4-1 5-1} { r xadd s $id f v }
        assert_equal [stream_ids [r xrange s - +]] {1-1 2-1 3-1 4-1 5-1}
        assert_equal [stream_ids [r xrange s 2 4]] {2-1 3-1 4-1}
        assert_equal [stream_ids [r xrange s (2-1 (4-1]] {3-1}
        assert_equal [stream_ids [r xrange s (5 +]] {5-1}
        assert_equal [stream_ids [r xrange s - + count 2]] {1-1 2-1}
        assert_equal [stream_ids [r xrevrange s + - count 2]] {5-1 4-1}
        assert_equal [stream_ids [r xrevrange s (5 (3]] {5-1 4-1 3-1}
        assert_equal [stream_ids [r xrevrange s 4 2]] {4-1 3-1 2-1}
        assert_equal [r xrange s 5-0 3-0] {}
        assert_equal [r xrange s - + count -1] {}
        assert_equal [r xrange s {(0-1} {(0-1}] {}
        assert_equal [stream_ids [r xrange s 00002 { 3}]] {2-1 3-1}
        assert_equal [r xrange nokey - +] {}
    }

    test {XRANGE reply shape and field/value pairs} {
        r del s
        r xadd s 1-1 a 1 b 2
        r xadd s 2-1 a 3 b 4
        r xadd s 3-1 b 5 a 6
        r xadd s 4-1 x {}
        assert_equal [r xrange s - +] {{1-1 {a 1 b 2}} {2-1 {a 3 b 4}} {3-1 {b 5 a 6}} {4-1 {x {}}}}
        assert_equal [r xrevrange s + -] {{4-1 {x {}}} {3-1 {b 5 a 6}} {2-1 {a 3 b 4}} {1-1 {a 1 b 2}}}
    }

    test {XRANGE errors} {
        r del s
        r xadd s 1-1 f v
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xrange s abc +}
        assert_error {ERR value is not an integer or out of range} {r xrange s - + count abc}
        assert_error {ERR syntax error} {r xrange s - + count}
        assert_error {ERR syntax error} {r xrange s - + foo 1}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xrange s (- +}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xrange s - (+}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xrange s 5- +}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xrange s 18446744073709551616 +}
        assert_error {ERR invalid start ID for the interval} {r xrange s (18446744073709551615-18446744073709551615 +}
        assert_error {ERR invalid end ID for the interval} {r xrange s - (0-0}
        r set str x
        assert_error {WRONGTYPE*} {r xrange str - +}
    }

    test {XRANGE COUNT 0 is a null reply} {
        r del s
        r xadd s 1-1 f v
        assert_equal [raw_reply r {xrange s - + count 0} 1] {*-1}
        assert_equal [raw_reply r {xrange s - + count -3} 1] {*-1}
        assert_equal [raw_reply r {xrange nokey - +} 1] {*0}
    }

    test {XDEL removes entries, leaves the key, counts what existed} {
        r del s
        foreach id {1-1 2-1 3-1} { r xadd s $id f v }
        assert_equal [r xdel s 2-1 2-1 9-9] 1
        assert_equal [stream_ids [r xrange s - +]] {1-1 3-1}
        assert_equal [r xdel s 1-1 3-1] 2
        assert_equal [r xlen s] 0
        assert_equal [r exists s] 1
        assert_equal [r xdel nokey 1-1] 0
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xdel s abc}
        assert_error {ERR wrong number of arguments for 'xdel' command} {r xdel s}
        # The last ID stays: a smaller one is still refused.
        assert_error {*equal or smaller*} {r xadd s 2-1 f v}
    }

    test {XTRIM by MAXLEN and MINID, exact and approximate} {
        r del s
        r config set stream-node-max-entries 10
        for {set i 1} {$i <= 35} {incr i} { r xadd s $i-0 f $i }
        assert_equal [r xtrim s maxlen ~ 22] 10
        assert_equal [r xlen s] 25
        assert_equal [r xtrim s maxlen ~ 22 limit 5] 0
        assert_equal [r xtrim s maxlen = 22] 3
        assert_equal [lindex [stream_ids [r xrange s - + count 1]] 0] 14-0
        assert_equal [r xtrim s minid 20] 6
        assert_equal [lindex [stream_ids [r xrange s - + count 1]] 0] 20-0
        # Nodes are 11-20 (only 20 left) and 21-30, both below 35: 11.
        assert_equal [r xtrim s minid ~ 35] 11
        assert_equal [r xlen s] 5
        assert_equal [r xtrim nokey maxlen 1] 0
        r config set stream-node-max-entries 100
    }

    test {XTRIM errors} {
        r del s
        r xadd s 1-1 f v
        assert_error {ERR wrong number of arguments for 'xtrim' command} {r xtrim s}
        assert_error {ERR wrong number of arguments for 'xtrim' command} {r xtrim s maxlen}
        assert_error {ERR syntax error} {r xtrim s foo 1}
        assert_error {ERR syntax error} {r xtrim nokey foo 1}
        assert_error {ERR syntax error, LIMIT cannot be used without the special ~ option} {r xtrim s maxlen 1 limit 5}
        assert_error {ERR The LIMIT argument must be >= 0.} {r xtrim s maxlen ~ 1 limit -1}
        r set str x
        assert_error {WRONGTYPE*} {r xtrim str maxlen 1}
    }

    test {Nodes split at stream-node-max-entries and stream-node-max-bytes} {
        r del s
        r config set stream-node-max-entries 3
        for {set i 1} {$i <= 10} {incr i} { r xadd s $i-0 f $i }
        assert_equal [r xtrim s maxlen ~ 5] 3
        r config set stream-node-max-entries 0
        r config set stream-node-max-bytes 60
        r del s
        for {set i 1} {$i <= 10} {incr i} { r xadd s $i-0 field [string repeat x 20] }
        assert_equal [r xtrim s maxlen ~ 1] 9
        r config set stream-node-max-entries 100
        r config set stream-node-max-bytes 4096
    }

    test {XREAD from one and several streams, COUNT, $} {
        r del s s2
        foreach id {1-1 2-1 3-1} { r xadd s $id f v }
        r xadd s2 1-1 g w
        assert_equal [r xread count 1 streams s s2 0 0] {{s {{1-1 {f v}}}} {s2 {{1-1 {g w}}}}}
        assert_equal [r xread streams s 2] {{s {{2-1 {f v}} {3-1 {f v}}}}}
        assert_equal [r xread streams s s2 3-1 0] {{s2 {{1-1 {g w}}}}}
        assert_equal [r xread streams s {$}] {}
        assert_equal [r xread streams nokey 0] {}
        assert_equal [r xread count -5 streams s 2-1] {{s {{3-1 {f v}}}}}
        assert_equal [r xread streams s 18446744073709551615-18446744073709551615] {}
        assert_equal [raw_reply r {xread streams nokey 0} 1] {*-1}
        # Past the last live entry nothing is served, even below last_id.
        r xdel s 3-1
        assert_equal [r xread streams s s2 2-1 0] {{s2 {{1-1 {g w}}}}}
    }

    test {XREAD errors} {
        r del s
        r xadd s 1-1 f v
        r set str x
        assert_error {ERR wrong number of arguments for 'xread' command} {r xread streams s}
        assert_error {ERR Unbalanced XREAD list of streams*} {r xread streams s s2 0}
        assert_error {ERR syntax error} {r xread foo streams s 0}
        assert_error {ERR value is not an integer or out of range} {r xread count x streams s 0}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xread streams s +}
        assert_error {ERR The > ID can be specified only when calling XREADGROUP*} {r xread streams s >}
        assert_error {ERR timeout is not an integer or out of range} {r xread block abc streams s 0}
        assert_error {ERR timeout is negative} {r xread block -1 streams s 0}
        assert_error {WRONGTYPE*} {r xread streams s str 9 0}
        assert_error {WRONGTYPE*} {r xread streams nokey str 0 $}
    }

    test {XREAD in RESP3 is a map; a key may appear twice} {
        r del s
        r xadd s 1-1 f v
        r xadd s 3-1 f v
        r hello 3
        set entry1 {*1 *2 $3 1-1 *2 $1 f $1 v}
        set entry3 {*1 *2 $3 3-1 *2 $1 f $1 v}
        assert_equal [raw_reply r {xread count 1 streams s s 0 2} 23] [list %2 \$1 s {*}$entry1 \$1 s {*}$entry3]
        assert_equal [raw_reply r {xread streams nokey 0} 1] {_}
        r hello 2
    }

    test {COPY of a stream is independent} {
        r del s d
        r xadd s 1-1 f v
        r xadd s 2-1 f w
        r copy s d
        r xdel s 1-1
        assert_equal [stream_ids [r xrange d - +]] {1-1 2-1}
        assert_equal [stream_ids [r xrange s - +]] {2-1}
        assert_error {*equal or smaller*} {r xadd d 2-1 f v}
    }

    test {XADD propagates the generated ID and the exact trim} {
        r del s
        r config set stream-node-max-entries 2
        for {set i 1} {$i <= 7} {incr i} { r xadd s $i-0 f $i }
        r debug propagation off
        r debug propagation on
        set id [r xadd s maxlen ~ 3 limit 2 * f 8]
        r xadd s 99999999999999-* f v
        r xadd s minid ~ 0 * f 9
        r xtrim s maxlen ~ 2
        r xadd s maxlen 3 999999999999999-5 f v
        set stream [r debug propagation get]
        r debug propagation off
        r config set stream-node-max-entries 100
        assert_match "*{xadd s maxlen = 6 limit 2 $id f 8}*{xadd s 99999999999999-0 f v}*" $stream
        assert_match "*{xadd s minid = *}*{xtrim s maxlen = *}*{xadd s maxlen 3 999999999999999-5 f v}*" $stream
    }

    test {Stream keyspace events: xadd, xtrim, xdel} {
        r config set notify-keyspace-events Et
        set rd [redis_deferring_client]
        $rd psubscribe __keyevent@*
        $rd read
        r del s
        r xadd s maxlen 0 1-1 f v
        r xadd s 2-1 f v
        r xdel s 2-1
        r xtrim s maxlen 0
        r xadd s 3-1 f v
        r xtrim s maxlen 0
        foreach event {xadd xtrim xadd xdel xadd xtrim} {
            assert_match "__keyevent@*__:$event" [lindex [$rd read] 2]
        }
        $rd close
        r config set notify-keyspace-events {}
    }

    test {Randomized XADD/XDEL/XTRIM against a Tcl list model} {
        foreach {entries bytes} {100 4096 4 4096 0 80} {
            r config set stream-node-max-entries $entries
            r config set stream-node-max-bytes $bytes
            r del s
            set model {}
            set next 1
            for {set step 0} {$step < 1500} {incr step} {
                set op [randomInt 10]
                if {$op < 6} {
                    set id "$next-[randomInt 3]"
                    incr next [expr {1 + [randomInt 3]}]
                    set fields [list f [randomInt 100]]
                    if {[randomInt 2]} { lappend fields g [randstring 0 20 alpha] }
                    r xadd s $id {*}$fields
                    lappend model [list $id $fields]
                } elseif {$op < 8 && [llength $model]} {
                    set victim [lindex $model [randomInt [llength $model]] 0]
                    assert_equal [r xdel s $victim] 1
                    set idx [lsearch -exact -index 0 $model $victim]
                    set model [lreplace $model $idx $idx]
                } elseif {$op == 8} {
                    set keep [randomInt 60]
                    set removed [r xtrim s maxlen $keep]
                    set drop [expr {max(0, [llength $model] - $keep)}]
                    assert_equal $removed $drop
                    set model [lrange $model $drop end]
                } else {
                    assert_equal [r xlen s] [llength $model]
                    assert_equal [r xrange s - +] $model
                    assert_equal [r xrevrange s + -] [lreverse $model]
                    if {[llength $model]} {
                        set a [randomInt [llength $model]]
                        set b [expr {$a + [randomInt 10]}]
                        set start [lindex $model $a 0]
                        set end [lindex $model [expr {min($b, [llength $model] - 1)}] 0]
                        assert_equal [r xrange s $start $end] [lrange $model $a $b]
                        assert_equal [r xrange s ($start + count 3] [lrange $model [expr {$a + 1}] [expr {$a + 3}]]
                    }
                }
            }
            assert_equal [r xrange s - +] $model
        }
        r config set stream-node-max-entries 100
        r config set stream-node-max-bytes 4096
    }
}

# Waits until INFO reports n blocked clients.
proc stream_wait_blocked {n} {
    wait_for_condition 100 20 {
        [s blocked_clients] == $n
    } else {
        fail "expected $n blocked clients, INFO says [s blocked_clients]"
    }
}

start_server {tags {stream}} {
    test {XREAD BLOCK waits for XADD; $ is the last ID when the wait began} {
        r del s
        r xadd s 1-1 f v
        set rd1 [redis_deferring_client]
        set rd2 [redis_deferring_client]
        $rd1 xread block 0 streams s {$}
        $rd2 xread block 0 count 5 streams nokey s 0 {$}
        stream_wait_blocked 2
        r xadd s 2-1 g w
        assert_equal [$rd1 read] {{s {{2-1 {g w}}}}}
        assert_equal [$rd2 read] {{s {{2-1 {g w}}}}}
        stream_wait_blocked 0
        $rd1 close
        $rd2 close
    }

    test {XREAD BLOCK with data available answers at once} {
        r del s
        r xadd s 1-1 f v
        assert_equal [r xread block 0 streams s 0] {{s {{1-1 {f v}}}}}
    }

    test {XREAD BLOCK times out with a null reply} {
        r del s
        set rd [redis_deferring_client]
        $rd xread block 50 streams s 0
        assert_equal [$rd read] {}
        $rd close
        set rd [redis_deferring_client]
        $rd readraw 1
        $rd xread block 50 streams s 0
        assert_equal [$rd read] {*-1}
        $rd close
    }

    test {XREAD BLOCK is not woken by a key of another type, and not inside MULTI} {
        r del s
        set rd [redis_deferring_client]
        $rd xread block 0 streams s 0
        stream_wait_blocked 1
        r lpush s x
        r del s
        r xadd s 5-5 f v
        assert_equal [$rd read] {{s {{5-5 {f v}}}}}
        $rd close
        r multi
        r xread block 0 streams s {$}
        assert_equal [r exec] {{}}
    }

    test {CLIENT UNBLOCK of a blocked XREAD} {
        set rd [redis_deferring_client]
        $rd client id
        set id [$rd read]
        $rd xread block 0 streams s {$}
        stream_wait_blocked 1
        assert_equal [r client unblock $id] 1
        assert_equal [$rd read] {}
        $rd close
    }
}

start_server {tags {stream}} {
    test {XSETID moves the last ID; XADD then refuses smaller IDs} {
        r del s
        r xadd s 5-1 f v
        r xadd s 6-1 f v
        assert_equal [r xsetid s 9] OK
        assert_error {*equal or smaller*} {r xadd s 9 f v}
        assert_equal [r xadd s 9-* f v] 9-1
        assert_equal [r xsetid s 10 entriesadded 10 maxdeletedid 3] OK
    }

    test {XSETID errors} {
        r del s
        assert_error {ERR no such key} {r xsetid s 1-1}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xsetid s abc}
        r xadd s 5-1 f v
        r xadd s 6-1 f v
        assert_error {ERR The ID specified in XSETID is smaller than the target stream top item} {r xsetid s 5-5}
        assert_error {ERR entries_added must be positive} {r xsetid s 9 entriesadded -1}
        assert_error {ERR The entries_added specified in XSETID is smaller than the target stream length} {r xsetid s 9 entriesadded 1}
        assert_error {ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id} {r xsetid s 9 maxdeletedid 10}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xsetid s 9 maxdeletedid abc}
        assert_error {ERR syntax error} {r xsetid s 9 foo}
        assert_error {ERR syntax error} {r xsetid s 9 entriesadded}
        r set str x
        assert_error {WRONGTYPE*} {r xsetid str 9}
        assert_error {ERR Invalid stream ID specified as stream command argument} {r xsetid nokey abc}
    }

    test {XSETID on an emptied stream accepts any ID; the xsetid event fires} {
        r del s
        r xadd s 5-1 f v
        r xdel s 5-1
        r config set notify-keyspace-events Et
        set rd [redis_deferring_client]
        $rd psubscribe __keyevent@*
        $rd read
        assert_equal [r xsetid s 0-1] OK
        assert_match {__keyevent@*__:xsetid} [lindex [$rd read] 2]
        $rd close
        r config set notify-keyspace-events {}
        assert_equal [r xadd s 0-2 f v] 0-2
    }
}
