# The generic keyspace commands: DEL UNLINK EXISTS TOUCH TYPE KEYS SCAN
# RANDOMKEY RENAME RENAMENX MOVE COPY SWAPDB OBJECT, hit/miss accounting and
# a randomized run checked against a model of two databases.

start_server {tags {keyspace}} {
    test {DEL and UNLINK count only the keys that existed} {
        r flushall
        r set a 1
        r set b 2
        r set c 3
        assert_equal [r del a nokey a] 1
        assert_equal [r unlink b c nokey] 2
        assert_equal [r dbsize] 0
        assert_error {ERR wrong number of arguments for 'unlink' command} {r unlink}
    }

    test {EXISTS and TOUCH count repeated keys each time} {
        r flushall
        r set a 1
        assert_equal [r exists a a nokey] 2
        assert_equal [r touch a a nokey] 2
        assert_equal [r touch nokey] 0
        assert_error {ERR wrong number of arguments for 'touch' command} {r touch}
    }

    test {TYPE of a string and of a missing key} {
        r flushall
        r set s v
        assert_equal [r type s] string
        assert_equal [r type nokey] none
        assert_reply_raw [srv client] {type s} {+string}
        assert_reply_raw [srv client] {type nokey} {+none}
        assert_error {ERR wrong number of arguments for 'type' command} {r type a b}
    }

    test {KEYS with glob patterns} {
        r flushall
        foreach k {foo foo1 foo2 bar baz x*y {a[b}} { r set $k 1 }
        assert_equal [lsort [r keys *]] [lsort {foo foo1 foo2 bar baz x*y {a[b}}]
        assert_equal [lsort [r keys foo*]] {foo foo1 foo2}
        assert_equal [lsort [r keys ba?]] {bar baz}
        assert_equal [lsort [r keys {ba[rz]}]] {bar baz}
        assert_equal [lsort [r keys {ba[^r]}]] {baz}
        assert_equal [r keys {x\*y}] {x*y}
        assert_equal [r keys {a\[b}] [list {a[b}]
        assert_equal [r keys nomatch*] {}
        assert_reply_raw [srv client] {keys nomatch*} {*0}
        assert_error {ERR wrong number of arguments for 'keys' command} {r keys}
    }

    test {KEYS on an empty database} {
        r flushall
        assert_equal [r keys *] {}
    }

    test {SCAN returns every key exactly once over a full iteration} {
        r flushall
        for {set i 0} {$i < 1000} {incr i} { r set key:$i $i }
        set cur 0
        set seen {}
        set calls 0
        while 1 {
            lassign [r scan $cur] cur keys
            lappend seen {*}$keys
            incr calls
            if {$cur == 0} break
        }
        assert_equal [llength [lsort -unique $seen]] 1000
        assert_morethan $calls 10
    }

    test {SCAN COUNT bounds the work per call} {
        set cur 0
        set seen {}
        while 1 {
            lassign [r scan $cur count 200] cur keys
            assert_lessthan [llength $keys] 400
            lappend seen {*}$keys
            if {$cur == 0} break
        }
        assert_equal [llength [lsort -unique $seen]] 1000
        # A COUNT over the table size returns everything in one call.
        lassign [r scan 0 count 100000] cur keys
        assert_equal $cur 0
        assert_equal [llength $keys] 1000
    }

    test {SCAN MATCH filters by glob} {
        set cur 0
        set seen {}
        while 1 {
            lassign [r scan $cur match key:1?? count 50] cur keys
            lappend seen {*}$keys
            if {$cur == 0} break
        }
        assert_equal [llength [lsort -unique $seen]] 100
        foreach k $seen { assert_match key:1?? $k }
        lassign [r scan 0 match * count 100000] cur keys
        assert_equal [llength $keys] 1000
    }

    test {SCAN TYPE filters by type name, case insensitively} {
        lassign [r scan 0 type string count 100000] cur keys
        assert_equal [llength $keys] 1000
        lassign [r scan 0 type STRING count 100000] cur keys
        assert_equal [llength $keys] 1000
        lassign [r scan 0 type list count 100000] cur keys
        assert_equal $keys {}
        lassign [r scan 0 type nosuchtype count 100000] cur keys
        assert_equal $cur 0
        assert_equal $keys {}
        lassign [r scan 0 match key:5 type string count 100000] cur keys
        assert_equal $keys {key:5}
    }

    test {SCAN reply shape} {
        r flushall
        r set only 1
        assert_reply_raw [srv client] {scan 0 count 100} {*2 {$1} 0 *1 {$4} only}
        r flushall
        assert_reply_raw [srv client] {scan 0} {*2 {$1} 0 *0}
    }

    test {SCAN cursor parsing} {
        r flushall
        r set k v
        assert_error {ERR invalid cursor} {r scan foo}
        assert_error {ERR invalid cursor} {r scan " 0"}
        assert_error {ERR invalid cursor} {r scan "0 "}
        assert_error {ERR invalid cursor} {r scan 0x10}
        assert_error {ERR invalid cursor} {r scan 18446744073709551616}
        assert_equal [r scan +0 count 100] {0 k}
        assert_equal [lindex [r scan 18446744073709551615] 0] 0
    }

    test {SCAN option errors} {
        assert_error {ERR syntax error} {r scan 0 count 0}
        assert_error {ERR syntax error} {r scan 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r scan 0 count foo}
        assert_error {ERR value is not an integer or out of range} {r scan 0 count 9223372036854775808}
        assert_error {ERR syntax error} {r scan 0 match}
        assert_error {ERR syntax error} {r scan 0 count}
        assert_error {ERR syntax error} {r scan 0 type}
        assert_error {ERR syntax error} {r scan 0 foo bar}
        assert_error {ERR wrong number of arguments for 'scan' command} {r scan}
    }

    test {SCAN skips and deletes expired keys} {
        r flushall
        r debug set-active-expire 0
        for {set i 0} {$i < 20} {incr i} { r set live:$i 1 }
        for {set i 0} {$i < 20} {incr i} { r set gone:$i 1 px 1 }
        after 20
        assert_equal [r dbsize] 40
        lassign [r scan 0 count 1000] cur keys
        assert_equal [llength $keys] 20
        foreach k $keys { assert_match live:* $k }
        assert_equal [r dbsize] 20
        r debug set-active-expire 1
    }

    test {RANDOMKEY} {
        r flushall
        assert_equal [r randomkey] {}
        assert_reply_raw [srv client] {randomkey} {{$-1}}
        r set only 1
        assert_equal [r randomkey] only
        for {set i 0} {$i < 50} {incr i} { r set k$i 1 }
        set seen {}
        for {set i 0} {$i < 200} {incr i} { dict set seen [r randomkey] 1 }
        assert_morethan [dict size $seen] 10
        foreach k [dict keys $seen] { assert_equal [r exists $k] 1 }
        assert_error {ERR wrong number of arguments for 'randomkey' command} {r randomkey x}
    }

    test {RANDOMKEY never returns an expired key} {
        r flushall
        r debug set-active-expire 0
        for {set i 0} {$i < 30} {incr i} { r set gone:$i 1 px 1 }
        r set live 1
        after 20
        for {set i 0} {$i < 20} {incr i} { assert_equal [r randomkey] live }
        r flushall
        for {set i 0} {$i < 10} {incr i} { r set gone:$i 1 px 1 }
        after 20
        assert_equal [r randomkey] {}
        assert_equal [r dbsize] 0
        r debug set-active-expire 1
    }

    test {RENAME moves the value and the TTL} {
        r flushall
        r set src hello
        r pexpire src 100000
        assert_equal [r rename src dst] OK
        assert_equal [r exists src] 0
        assert_equal [r get dst] hello
        assert_range [r pttl dst] 90000 100000
        r set plain v
        assert_equal [r rename plain other] OK
        assert_equal [r ttl other] -1
    }

    test {RENAME overwrites the destination and its TTL} {
        r flushall
        r set a va
        r set b vb ex 1000
        assert_equal [r rename a b] OK
        assert_equal [r get b] va
        assert_equal [r ttl b] -1
    }

    test {RENAME errors and renaming a key to itself} {
        r flushall
        assert_error {ERR no such key} {r rename nokey x}
        assert_error {ERR no such key} {r rename nokey nokey}
        r set same v ex 100
        assert_equal [r rename same same] OK
        assert_equal [r get same] v
        assert_range [r ttl same] 90 100
        assert_error {ERR wrong number of arguments for 'rename' command} {r rename x}
    }

    test {RENAMENX} {
        r flushall
        r set a 1
        r set b 2
        assert_equal [r renamenx a b] 0
        assert_equal [r get a] 1
        assert_equal [r renamenx a c] 1
        assert_equal [r exists a] 0
        assert_equal [r get c] 1
        assert_equal [r renamenx c c] 0
        assert_error {ERR no such key} {r renamenx nokey x}
    }

    test {RENAME of an expired key is an error} {
        r flushall
        r debug set-active-expire 0
        r set old v px 1
        after 20
        assert_error {ERR no such key} {r rename old new}
        assert_equal [r exists new] 0
        r debug set-active-expire 1
    }

    test {MOVE to another database} {
        r flushall
        r set m v
        r pexpire m 100000
        assert_equal [r move m 1] 1
        assert_equal [r exists m] 0
        r select 1
        assert_equal [r get m] v
        assert_range [r pttl m] 90000 100000
        r select 0
    }

    test {MOVE does not overwrite and ignores missing keys} {
        r flushall
        r set m here
        r select 1
        r set m there
        r select 0
        assert_equal [r move m 1] 0
        assert_equal [r get m] here
        assert_equal [r move nokey 1] 0
        r select 1
        assert_equal [r get m] there
        r select 0
    }

    test {MOVE errors} {
        r set m v
        assert_error {ERR source and destination objects are the same} {r move m 0}
        assert_error {ERR source and destination objects are the same} {r move nokey 0}
        assert_error {ERR DB index is out of range} {r move m 16}
        assert_error {ERR DB index is out of range} {r move m -1}
        assert_error {ERR value is not an integer or out of range} {r move m foo}
        assert_error {ERR wrong number of arguments for 'move' command} {r move m}
    }

    test {COPY within a database makes an independent copy} {
        r flushall
        r set src abc
        assert_equal [r copy src dst] 1
        assert_equal [r get dst] abc
        r set src changed
        assert_equal [r get dst] abc
        assert_equal [r copy nokey dst2] 0
        assert_equal [r exists dst2] 0
    }

    test {COPY keeps the TTL and the encoding} {
        r flushall
        r set n 123
        r set e hello
        r set raw [string repeat x 100]
        r pexpire e 100000
        foreach {k enc} {n int e embstr raw raw} {
            assert_equal [r copy $k $k.copy] 1
            assert_equal [r object encoding $k.copy] $enc
            assert_equal [r get $k.copy] [r get $k]
        }
        assert_range [r pttl e.copy] 90000 100000
        assert_equal [r ttl n.copy] -1
        # A copy of a shared integer is a private object.
        assert_equal [r object refcount n.copy] 1
    }

    test {COPY does not overwrite unless REPLACE} {
        r flushall
        r set a 1
        r set b 2 ex 1000
        assert_equal [r copy a b] 0
        assert_equal [r get b] 2
        assert_equal [r copy a b replace] 1
        assert_equal [r get b] 1
        assert_equal [r ttl b] -1
        assert_equal [r copy a b REPLACE] 1
    }

    test {COPY to another database} {
        r flushall
        r set a v
        assert_equal [r copy a a db 1] 1
        assert_equal [r copy a a db 1] 0
        r set a v2
        assert_equal [r copy a a db 1 replace] 1
        assert_equal [r copy a a replace db 1] 1
        assert_equal [r copy a b db 2 db 1] 1
        r select 1
        assert_equal [r get a] v2
        assert_equal [r get b] v2
        r select 2
        assert_equal [r dbsize] 0
        r select 0
    }

    test {COPY errors} {
        r flushall
        r set a v
        assert_error {ERR source and destination objects are the same} {r copy a a}
        assert_error {ERR source and destination objects are the same} {r copy a a db 0}
        assert_error {ERR source and destination objects are the same} {r copy nokey nokey}
        assert_error {ERR DB index is out of range} {r copy a b db 16}
        assert_error {ERR DB index is out of range} {r copy a b db -1}
        assert_error {ERR value is not an integer or out of range} {r copy a b db foo}
        assert_error {ERR syntax error} {r copy a b db}
        assert_error {ERR syntax error} {r copy a b foo}
        assert_error {ERR wrong number of arguments for 'copy' command} {r copy a}
    }

    test {SWAPDB exchanges the contents of two databases} {
        r flushall
        r set a db0 ex 1000
        r select 1
        r set b db1
        r select 0
        assert_equal [r swapdb 0 1] OK
        assert_equal [r get a] {}
        assert_equal [r get b] db1
        r select 1
        assert_equal [r get a] db0
        assert_range [r ttl a] 990 1000
        r select 0
        assert_equal [r swapdb 1 0] OK
        assert_equal [r get a] db0
        assert_equal [r swapdb 0 0] OK
        assert_equal [r get a] db0
    }

    test {SWAPDB is seen by other connections on those databases} {
        r flushall
        set c [redis_client]
        $c select 3
        r set mine 1
        r swapdb 0 3
        assert_equal [$c get mine] 1
        assert_equal [r exists mine] 0
        $c close
    }

    test {SWAPDB errors} {
        assert_error {ERR invalid first DB index} {r swapdb foo 1}
        assert_error {ERR invalid second DB index} {r swapdb 1 foo}
        assert_error {ERR DB index is out of range} {r swapdb 0 16}
        assert_error {ERR DB index is out of range} {r swapdb -1 0}
        assert_error {ERR wrong number of arguments for 'swapdb' command} {r swapdb 1}
    }

    test {OBJECT ENCODING of strings} {
        r flushall
        r set i 12345
        r set e abc
        r set r [string repeat a 45]
        assert_equal [r object encoding i] int
        assert_equal [r object encoding e] embstr
        assert_equal [r object encoding r] raw
        assert_equal [r object encoding nokey] {}
        assert_reply_raw [srv client] {object encoding nokey} {{$-1}}
        assert_reply_raw [srv client] {object encoding e} {{$6} embstr}
    }

    test {OBJECT REFCOUNT} {
        r set shared 100
        r set private 100000
        assert_equal [r object refcount shared] 2147483647
        assert_equal [r object refcount private] 1
        assert_equal [r object refcount nokey] {}
    }

    test {OBJECT FREQ needs an LFU policy} {
        r set k v
        assert_error {ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.} {r object freq k}
        assert_equal [r object freq nokey] {}
    }

    test {Overwriting a key keeps its LFU counter, as Redis does} {
        r config set maxmemory-policy allkeys-lfu
        r set lfu v
        for {set i 0} {$i < 300} {incr i} { r get lfu }
        set before [r object freq lfu]
        assert_morethan $before 5
        # A short string over the short one (rewritten in place), a longer
        # one, an integer, and a big string (a new entry each time).
        foreach value [list w longer-than-the-first-value 123456789 [string repeat x 100]] {
            r set lfu $value
            assert_morethan_equal [r object freq lfu] $before
        }
        r config set maxmemory-policy noeviction
    }

    test {OBJECT IDLETIME is refused under an LFU policy} {
        r config set maxmemory-policy allkeys-lfu
        assert_error {ERR An LFU maxmemory policy is selected, idle time not tracked.*} {r object idletime k}
        r config set maxmemory-policy noeviction
        assert_equal [r object idletime nokey] {}
    }

    test {OBJECT argument errors and HELP} {
        assert_error {ERR wrong number of arguments for 'object' command} {r object}
        assert_error {ERR unknown subcommand 'foo'. Try OBJECT HELP.} {r object foo k}
        assert_error {ERR wrong number of arguments for 'object|encoding' command} {r object encoding a b}
        assert_error {ERR wrong number of arguments for 'object|help' command} {r object help x}
        set help [r object help]
        assert_match {OBJECT <subcommand> *} [lindex $help 0]
        foreach sub {ENCODING FREQ IDLETIME REFCOUNT HELP} {
            assert {[lsearch -glob $help "$sub*"] >= 0}
        }
    }

    test {OBJECT IDLETIME grows, reads reset it, inspection does not} {
        r flushall
        r set idle v ex 1000
        r set fresh v
        after 2500
        assert_morethan_equal [r object idletime idle] 2
        # None of these count as an access.
        r object encoding idle
        r type idle
        r exists idle
        r ttl idle
        r pttl idle
        r expiretime idle
        r keys *
        r scan 0
        assert_morethan_equal [r object idletime idle] 2
        # Reads and TOUCH do.
        r get idle
        assert_range [r object idletime idle] 0 1
        r touch fresh
        assert_range [r object idletime fresh] 0 1
    }

    test {Keyspace hits and misses} {
        r flushall
        r set k v
        r config resetstat
        r exists k nokey
        assert_equal [s keyspace_hits] 1
        assert_equal [s keyspace_misses] 1
        r config resetstat
        r type k
        r object encoding nokey
        r touch k
        assert_equal [s keyspace_hits] 2
        assert_equal [s keyspace_misses] 1
        r config resetstat
        r rename k k
        r move k 1
        r del nokey
        r keys *
        r randomkey
        r dbsize
        assert_equal [s keyspace_hits] 0
        assert_equal [s keyspace_misses] 0
        r set k v
        r config resetstat
        r copy k k2
        assert_equal [s keyspace_hits] 1
        assert_equal [s keyspace_misses] 0
    }

    test {Binary key names} {
        r flushall
        set k "a\x00b\r\nc"
        r set $k v
        assert_equal [r exists $k] 1
        assert_equal [r keys "a*"] [list $k]
        assert_equal [lindex [r scan 0] 1] [list $k]
        assert_equal [r rename $k "$k-2"] OK
        assert_equal [r get "$k-2"] v
        assert_equal [r copy "$k-2" $k] 1
        assert_equal [r type $k] string
    }

    test {Randomized keyspace operations match a model} {
        r flushall
        # model: db index -> dict of key -> value
        set model [dict create 0 {} 1 {}]
        set keys {k0 k1 k2 k3 k4 k5 k6 k7}
        set db 0
        for {set i 0} {$i < 3000} {incr i} {
            set k [lindex $keys [randomInt [llength $keys]]]
            set k2 [lindex $keys [randomInt [llength $keys]]]
            set other [expr {1 - $db}]
            set here [dict get $model $db]
            set there [dict get $model $other]
            switch [randomInt 10] {
                0 {
                    set v [randomInt 1000]
                    assert_equal [r set $k $v] OK
                    dict set here $k $v
                }
                1 {
                    assert_equal [r del $k] [dict exists $here $k]
                    dict unset here $k
                }
                2 {
                    if {![dict exists $here $k]} {
                        assert_error {ERR no such key} {r rename $k $k2}
                    } else {
                        assert_equal [r rename $k $k2] OK
                        set v [dict get $here $k]
                        dict unset here $k
                        dict set here $k2 $v
                    }
                }
                3 {
                    if {![dict exists $here $k]} {
                        assert_error {ERR no such key} {r renamenx $k $k2}
                    } elseif {$k eq $k2 || [dict exists $here $k2]} {
                        assert_equal [r renamenx $k $k2] 0
                    } else {
                        assert_equal [r renamenx $k $k2] 1
                        dict set here $k2 [dict get $here $k]
                        dict unset here $k
                    }
                }
                4 {
                    assert_equal [r exists $k $k2] [expr {[dict exists $here $k] + [dict exists $here $k2]}]
                }
                5 {
                    assert_equal [r type $k] [expr {[dict exists $here $k] ? "string" : "none"}]
                    if {[dict exists $here $k]} {
                        assert_equal [r get $k] [dict get $here $k]
                    } else {
                        assert_equal [r get $k] {}
                    }
                }
                6 {
                    set moved [expr {[dict exists $here $k] && ![dict exists $there $k]}]
                    assert_equal [r move $k $other] $moved
                    if {$moved} {
                        dict set there $k [dict get $here $k]
                        dict unset here $k
                    }
                }
                7 {
                    set replace [randomInt 2]
                    set cmd [list copy $k $k2]
                    if {$replace} { lappend cmd replace }
                    if {$k eq $k2} {
                        assert_error {ERR source and destination objects are the same} {r {*}$cmd}
                    } else {
                        set ok [expr {[dict exists $here $k] && ($replace || ![dict exists $here $k2])}]
                        assert_equal [r {*}$cmd] $ok
                        if {$ok} { dict set here $k2 [dict get $here $k] }
                    }
                }
                8 {
                    set ok [expr {[dict exists $here $k] && ![dict exists $there $k2]}]
                    assert_equal [r copy $k $k2 db $other] $ok
                    if {$ok} { dict set there $k2 [dict get $here $k] }
                }
                9 {
                    # Switch databases now and then, or swap them.
                    if {[randomInt 2]} {
                        r select $other
                        set db $other
                        set tmp $here
                        set here $there
                        set there $tmp
                        set other [expr {1 - $db}]
                    } else {
                        assert_equal [r swapdb 0 1] OK
                        set tmp $here
                        set here $there
                        set there $tmp
                    }
                }
            }
            dict set model $db $here
            dict set model $other $there
            if {$i % 100 == 0} {
                assert_equal [r dbsize] [dict size $here]
                assert_equal [lsort [r keys *]] [lsort [dict keys $here]]
            }
        }
        foreach d {0 1} {
            r select $d
            set expect [dict get $model $d]
            assert_equal [lsort [r keys *]] [lsort [dict keys $expect]]
            dict for {k v} $expect { assert_equal [r get $k] $v }
        }
        r select 0
    }
}

# Cases found by utils/difftest.py (Ember against redis-server 7.0.15).
start_server {tags {keyspace}} {
    test {KEYS glob sets read "x-y" as a range even when y is ']' or '\'} {
        r flushall
        foreach k {- a b ] ^ \\} { r set $k 1 }
        # "[a-]" is the range a..']' with the set left open
        assert_equal [lsort [r keys {[a-]}]] [lsort {] ^ a}]
        assert_equal [lsort [r keys {[a-]]}]] [lsort {] ^ a}]
        # an escaped byte is a literal and never starts a range
        assert_equal [lsort [r keys {[\a-z]}]] [lsort {- a}]
        assert_equal [lsort [r keys {[a-\]}]] [lsort {\\ ] ^ a}]
    }

    test {An empty key matches only KEYS * and SCAN without MATCH} {
        r flushall
        r set "" e
        r set a 1
        assert_equal [lsort [r keys *]] [lsort {{} a}]
        assert_equal [r keys **] {a}
        assert_equal [r keys {[^b]*}] {a}
        assert_equal [lsort [lindex [r scan 0 count 100] 1]] [lsort {{} a}]
        assert_equal [lindex [r scan 0 match ** count 100] 1] {a}
    }

    test {DB index out of the int range: the error text of Redis 7.0} {
        r select 0
        r set k v
        set e {ERR value is out of range, value must between -2147483648 and 2147483647}
        assert_error $e {r select 9223372036854775807}
        assert_error $e {r move k 4294967296}
        assert_error $e {r copy k k2 db -2147483649}
        assert_error {ERR DB index is out of range} {r select 2147483647}
    }
}

# DEBUG reads the key tables through db.c without side effects.
start_server {tags {keyspace}} {
    test {DEBUG OBJECT shows an expired key without expiring it} {
        r flushall
        r debug set-active-expire 0
        r set k v px 1
        after 20
        assert_match {Value at:* refcount:1 encoding:embstr *} [r debug object k]
        assert_equal [r dbsize] 1
        assert_equal [r exists k] 0
        assert_equal [r dbsize] 0
        assert_error {ERR no such key} {r debug object k}
        r debug set-active-expire 1
    }

    test {DEBUG HTSTATS reports the key table and the expires table} {
        r set a 1
        r set b 2 ex 100
        set stats [r debug htstats 0]
        assert_match "\\\[Dictionary HT\\\]\n*\\\[Expires HT\\\]\n*" $stats
        assert_error {ERR Out of range database} {r debug htstats 16}
    }
}
