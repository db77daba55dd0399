# Key deadlines: EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX XX GT LT, TTL PTTL
# EXPIRETIME PEXPIRETIME PERSIST, lazy expiry on access and active expiry in
# the background.

start_server {tags {expire}} {
    test {EXPIRE sets a TTL and replies 1} {
        r flushall
        r set k v
        assert_equal [r expire k 100] 1
        assert_range [r ttl k] 99 100
        assert_range [r pttl k] 99000 100000
        assert_equal [r get k] v
    }

    test {EXPIRE on a missing key replies 0} {
        assert_equal [r expire nokey 100] 0
        assert_equal [r pexpire nokey 100] 0
        assert_equal [r expireat nokey 4102444800] 0
        assert_equal [r pexpireat nokey 4102444800000] 0
        assert_equal [r exists nokey] 0
    }

    test {PEXPIRE, EXPIREAT and PEXPIREAT} {
        r set k v
        assert_equal [r pexpire k 50000] 1
        assert_range [r pttl k] 49000 50000
        set at [expr {[clock seconds] + 200}]
        assert_equal [r expireat k $at] 1
        assert_equal [r expiretime k] $at
        assert_range [r ttl k] 198 200
        set atms [expr {[clock milliseconds] + 300000}]
        assert_equal [r pexpireat k $atms] 1
        assert_equal [r pexpiretime k] $atms
        assert_range [r pttl k] 298000 300000
    }

    test {TTL and PTTL of missing keys and keys without a TTL} {
        r set plain v
        assert_equal [r ttl nokey] -2
        assert_equal [r pttl nokey] -2
        assert_equal [r ttl plain] -1
        assert_equal [r pttl plain] -1
        assert_reply_raw [srv client] {ttl nokey} {:-2}
        assert_reply_raw [srv client] {pttl plain} {:-1}
    }

    test {TTL rounds to the nearest second} {
        r set k v px 1400
        assert_equal [r ttl k] 1
        r set k v px 1900
        assert_equal [r ttl k] 2
        r set k v px 100000
        assert_equal [r ttl k] 100
    }

    test {EXPIRETIME and PEXPIRETIME} {
        r set k v
        assert_equal [r expiretime k] -1
        assert_equal [r pexpiretime k] -1
        assert_equal [r expiretime nokey] -2
        assert_equal [r pexpiretime nokey] -2
        r pexpireat k 4102444800123
        assert_equal [r pexpiretime k] 4102444800123
        assert_equal [r expiretime k] 4102444800
        r pexpireat k 4102444800500
        assert_equal [r expiretime k] 4102444801
    }

    test {The largest deadline PEXPIREAT accepts} {
        r set k v
        assert_equal [r pexpireat k 9223372036854775807] 1
        assert_equal [r pexpiretime k] 9223372036854775807
        assert_equal [r expiretime k] 9223372036854776
        assert_morethan [r pttl k] 9000000000000000000
        assert_equal [r get k] v
    }

    test {A time in the past deletes the key and replies 1} {
        r config resetstat
        foreach cmd {{expire k 0} {expire k -10} {pexpire k -1} {expireat k 1} {pexpireat k 0}
                     {pexpireat k -9223372036854775808} {pexpire k -9223372036854775808}} {
            r set k v
            assert_equal [r {*}$cmd] 1 $cmd
            assert_equal [r exists k] 0 $cmd
        }
        # A deletion by EXPIRE is not an expiry.
        assert_equal [s expired_keys] 0
    }

    test {NX sets a TTL only when there is none} {
        r set k v
        assert_equal [r expire k 100 nx] 1
        assert_equal [r expire k 200 nx] 0
        assert_range [r ttl k] 99 100
        assert_equal [r expire nokey 100 nx] 0
    }

    test {XX sets a TTL only when there is one} {
        r set k v
        assert_equal [r expire k 100 xx] 0
        assert_equal [r ttl k] -1
        r expire k 100
        assert_equal [r expire k 200 xx] 1
        assert_range [r ttl k] 199 200
    }

    test {GT only extends a TTL; no TTL counts as infinite} {
        r set k v
        set t [expr {[clock seconds] + 100}]
        assert_equal [r expireat k $t gt] 0
        assert_equal [r ttl k] -1
        r expireat k $t
        assert_equal [r expireat k [expr {$t - 50}] gt] 0
        assert_equal [r expireat k $t gt] 0
        assert_equal [r expireat k [expr {$t + 100}] gt] 1
        assert_range [r ttl k] 199 200
        assert_equal [r expire k 300 xx gt] 1
        assert_range [r ttl k] 299 300
    }

    test {LT only shortens a TTL; no TTL counts as infinite} {
        r set k v
        assert_equal [r expire k 100 lt] 1
        assert_range [r ttl k] 99 100
        assert_equal [r expire k 200 lt] 0
        set t [r pexpiretime k]
        assert_equal [r pexpireat k $t lt] 0
        assert_equal [r expire k 50 lt] 1
        assert_range [r ttl k] 49 50
        assert_equal [r expire k 40 xx lt] 1
        r persist k
        assert_equal [r expire k 40 xx lt] 0
        assert_equal [r ttl k] -1
    }

    test {Options are case insensitive and work on every form} {
        r set k v
        assert_equal [r pexpire k 100000 NX] 1
        assert_equal [r pexpire k 200000 Gt] 1
        assert_equal [r pexpireat k [expr {[clock milliseconds] + 50000}] lT] 1
        assert_equal [r expireat k [expr {[clock seconds] + 10}] xX] 1
        assert_range [r ttl k] 9 10
    }

    test {A past time with a failing condition keeps the key} {
        r set k v
        assert_equal [r expire k -1 xx] 0
        assert_equal [r exists k] 1
        r expire k 100
        assert_equal [r expire k -1 gt] 0
        assert_equal [r exists k] 1
        assert_equal [r expire k -1 lt] 1
        assert_equal [r exists k] 0
    }

    test {EXPIRE option errors} {
        r set k v
        set nx {ERR NX and XX, GT or LT options at the same time are not compatible}
        set gtlt {ERR GT and LT options at the same time are not compatible}
        assert_error $nx {r expire k 100 nx xx}
        assert_error $nx {r expire k 100 nx gt}
        assert_error $nx {r expire k 100 lt nx}
        assert_error $nx {r pexpireat k 100 xx nx}
        assert_error $gtlt {r expire k 100 gt lt}
        assert_error $gtlt {r pexpire k 100 xx gt lt}
        assert_error {ERR Unsupported option foo} {r expire k 100 foo}
        assert_error {ERR Unsupported option bar} {r expire k 100 nx bar}
        # Options are checked before the time argument.
        assert_error {ERR Unsupported option bar} {r expire k foo bar}
        assert_error $nx {r expire k foo nx xx}
        assert_equal [r ttl k] -1
    }

    test {EXPIRE time argument errors} {
        r set k v
        assert_error {ERR value is not an integer or out of range} {r expire k foo}
        assert_error {ERR value is not an integer or out of range} {r expire k 1.5}
        assert_error {ERR value is not an integer or out of range} {r pexpire k 9223372036854775808}
        assert_error {ERR invalid expire time in 'expire' command} {r expire k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expire' command} {r expire k -9223372036854775807}
        assert_error {ERR invalid expire time in 'pexpire' command} {r pexpire k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expireat' command} {r expireat k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expireat' command} {r expireat k 9223372036854776}
        assert_equal [r ttl k] -1
        assert_equal [r expireat k 9223372036854775] 1
    }

    test {Arity errors} {
        assert_error {ERR wrong number of arguments for 'expire' command} {r expire k}
        assert_error {ERR wrong number of arguments for 'pexpireat' command} {r pexpireat k}
        assert_error {ERR wrong number of arguments for 'ttl' command} {r ttl}
        assert_error {ERR wrong number of arguments for 'pttl' command} {r pttl a b}
        assert_error {ERR wrong number of arguments for 'expiretime' command} {r expiretime}
        assert_error {ERR wrong number of arguments for 'persist' command} {r persist}
    }

    test {PERSIST} {
        r set k v ex 100
        assert_equal [r persist k] 1
        assert_equal [r ttl k] -1
        assert_equal [r persist k] 0
        assert_equal [r persist nokey] 0
        assert_equal [r get k] v
    }

    test {SET drops the TTL, SET KEEPTTL keeps it} {
        r set k v ex 100
        r set k v2
        assert_equal [r ttl k] -1
        r set k v ex 100
        r set k v3 keepttl
        assert_range [r ttl k] 99 100
    }

    test {Lazy expiry: an expired key is gone for every command} {
        r flushall
        r debug set-active-expire 0
        r config resetstat
        foreach k {a b c d e f g} { r set $k v px 1 }
        r set live v
        after 20
        # Still stored until something looks at it.
        assert_equal [r dbsize] 8
        assert_equal [r get a] {}
        assert_equal [r exists b] 0
        assert_equal [r ttl c] -2
        assert_equal [r type d] none
        assert_equal [r del e] 0
        assert_equal [r expire f 100] 0
        assert_equal [r persist g] 0
        assert_equal [r dbsize] 1
        assert_equal [s expired_keys] 7
        r debug set-active-expire 1
    }

    test {KEYS hides expired keys without deleting them} {
        r flushall
        r debug set-active-expire 0
        r set gone v px 1
        r set live v
        after 20
        assert_equal [r keys *] {live}
        assert_equal [r dbsize] 2
        assert_equal [r randomkey] live
        r debug set-active-expire 1
    }

    test {A key expires at its deadline, not before} {
        r flushall
        r set k v px 300
        after 100
        assert_equal [r get k] v
        after 400
        assert_equal [r get k] {}
    }

    test {Active expiry removes keys nobody reads} {
        r flushall
        r config resetstat
        # One transaction: every key is created in the same instant, so none
        # can expire before the count below, however slow the machine.
        r multi
        for {set i 0} {$i < 100} {incr i} { r set key:$i v px 300 }
        r dbsize
        assert_equal [lindex [r exec] end] 100
        wait_for_condition 50 100 {
            [r dbsize] == 0
        } else {
            fail "keys with a 100ms TTL were not expired actively"
        }
        assert_equal [s expired_keys] 100
    }

    test {Active expiry leaves live keys alone} {
        r flushall
        for {set i 0} {$i < 300} {incr i} {
            r set short:$i v px 100
            r set long:$i v ex 1000
            r set plain:$i v
        }
        wait_for_condition 50 100 {
            [r dbsize] == 600
        } else {
            fail "short-lived keys were not expired"
        }
        after 300
        assert_equal [r dbsize] 600
        assert_equal [llength [r keys long:*]] 300
        assert_equal [llength [r keys plain:*]] 300
    }

    test {Active expiry works in every database} {
        r flushall
        foreach db {0 5 15} {
            r select $db
            for {set i 0} {$i < 50} {incr i} { r set k$i v px 100 }
        }
        foreach db {0 5 15} {
            r select $db
            wait_for_condition 50 100 {
                [r dbsize] == 0
            } else {
                fail "keys of db $db were not expired"
            }
        }
        r select 0
    }

    test {DEBUG SET-ACTIVE-EXPIRE 0 stops active expiry} {
        r flushall
        r debug set-active-expire 0
        for {set i 0} {$i < 50} {incr i} { r set k$i v px 50 }
        after 500
        assert_equal [r dbsize] 50
        r debug set-active-expire 1
        wait_for_condition 50 100 {
            [r dbsize] == 0
        } else {
            fail "keys were not expired after re-enabling active expiry"
        }
    }

    test {Nothing expires while clients are paused} {
        r flushall
        r set k v px 100
        r set live v
        r client pause 2000 write
        after 400
        # Reads see the key as gone, but it stays stored until the pause ends.
        assert_equal [r get k] {}
        assert_equal [r exists k] 0
        assert_equal [r dbsize] 2
        r client unpause
        wait_for_condition 50 100 {
            [r dbsize] == 1
        } else {
            fail "the key was not expired after the pause"
        }
    }

    test {Active expiry of many keys at once} {
        r flushall
        set rd [redis_deferring_client]
        set n 20000
        for {set i 0} {$i < $n} {incr i} { $rd set key:$i v px 200 }
        for {set i 0} {$i < $n} {incr i} { $rd read }
        $rd close
        r set survivor v
        wait_for_condition 100 100 {
            [r dbsize] == 1
        } else {
            fail "[r dbsize] keys left"
        }
        assert_equal [r get survivor] v
        assert_morethan_equal [s expired_keys] $n
    }

    test {INFO expiry statistics} {
        set info [r info stats]
        assert_match {*expired_keys:*} $info
        assert_match {*expire_cycle_cpu_milliseconds:*} $info
        assert {[string is double -strict [getInfoProperty $info expired_stale_perc]]}
        assert {[string is integer -strict [getInfoProperty $info expired_time_cap_reached_count]]}
        r config resetstat
        assert_equal [s expired_keys] 0
        assert_equal [s expired_stale_perc] 0.00
    }

    test {INFO keyspace counts keys with a TTL and their average TTL} {
        r flushall
        for {set i 0} {$i < 100} {incr i} { r set v$i x ex 1000 }
        for {set i 0} {$i < 50} {incr i} { r set p$i x }
        assert_match {*db0:keys=150,expires=100,avg_ttl=*} [r info keyspace]
        wait_for_condition 50 100 {
            [regexp {avg_ttl=([0-9]+)} [r info keyspace] -> avg] && $avg > 900000 && $avg <= 1000000
        } else {
            fail "avg_ttl was not estimated: [r info keyspace]"
        }
    }

    test {avg_ttl of a TTL of 2e17 ms stays right (no overflow in the average)} {
        r flushall
        r set k v
        r pexpire k 200000000000000000
        wait_for_condition 50 100 {
            [regexp {avg_ttl=(-?[0-9]+)} [r info keyspace] -> avg] && $avg != 0
        } else {
            fail "avg_ttl was not estimated: [r info keyspace]"
        }
        # Several more rounds fold the same figure into the average.
        after 1000
        regexp {avg_ttl=(-?[0-9]+)} [r info keyspace] -> avg
        assert_lessthan 199999999990000000 $avg
        assert_lessthan_equal $avg 200000000000000000
    }

    test {Randomized TTL operations match a model} {
        r flushall
        # Deadlines are far away, so nothing expires during the test; the
        # model only tracks which keys have one and how they compare.
        set model {}
        set keys {a b c d e}
        set base [expr {[clock milliseconds] + 1000000}]
        for {set i 0} {$i < 2000} {incr i} {
            set k [lindex $keys [randomInt 5]]
            set when [expr {$base + [randomInt 1000] * 1000}]
            set cur [expr {[dict exists $model $k] ? [dict get $model $k] : "none"}]
            switch [randomInt 6] {
                0 {
                    r set $k v
                    dict set model $k -1
                }
                1 {
                    set flag [lindex {nx xx gt lt {}} [randomInt 5]]
                    set ok [expr {$cur ne "none"}]
                    if {$ok} {
                        switch $flag {
                            nx { set ok [expr {$cur == -1}] }
                            xx { set ok [expr {$cur != -1}] }
                            gt { set ok [expr {$cur != -1 && $when > $cur}] }
                            lt { set ok [expr {$cur == -1 || $when < $cur}] }
                        }
                    }
                    assert_equal [r pexpireat $k $when {*}$flag] $ok "pexpireat $flag on $cur"
                    if {$ok} { dict set model $k $when }
                }
                2 {
                    set expect [expr {$cur eq "none" ? -2 : $cur}]
                    assert_equal [r pexpiretime $k] $expect
                }
                3 {
                    set ok [expr {$cur ne "none" && $cur != -1}]
                    assert_equal [r persist $k] $ok
                    if {$ok} { dict set model $k -1 }
                }
                4 {
                    assert_equal [r del $k] [expr {$cur ne "none"}]
                    dict unset model $k
                }
                5 {
                    set k2 [lindex $keys [randomInt 5]]
                    if {$cur eq "none"} {
                        assert_error {ERR no such key} {r rename $k $k2}
                    } else {
                        r rename $k $k2
                        dict unset model $k
                        dict set model $k2 $cur
                    }
                }
            }
        }
        foreach k $keys {
            set expect [expr {[dict exists $model $k] ? [dict get $model $k] : -2}]
            assert_equal [r pexpiretime $k] $expect
        }
    }
}
