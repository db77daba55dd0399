# String arithmetic: INCR DECR INCRBY DECRBY INCRBYFLOAT — results,
# encodings, overflow, parsing of the stored value and of the argument,
# float formatting, TTLs kept, and a randomized check against Tcl's own
# (arbitrary precision) integers.

# The encoding of the value at key: OBJECT ENCODING when the server has it,
# otherwise the encoding field of DEBUG OBJECT (the same names).
proc incr_encoding {key} {
    if {[lindex [r command info object] 0] ne ""} {
        return [r object encoding $key]
    }
    regexp {encoding:(\S+)} [r debug object $key] -> enc
    return $enc
}

# The reference count of the value at key, from DEBUG OBJECT.
proc incr_refcount {key} {
    regexp {refcount:(\d+)} [r debug object $key] -> rc
    return $rc
}

start_server {tags {"incr"}} {
    test {INCR and DECR on a missing key start from 0} {
        r del a b
        assert_equal [r incr a] 1
        assert_equal [r incr a] 2
        assert_equal [r decr b] -1
        assert_equal [r decr b] -2
        assert_equal [r get a] 2
        assert_equal [r get b] -2
        assert_reply_raw [srv client] {incr a} {:3}
    }

    test {INCRBY and DECRBY} {
        r del a
        assert_equal [r incrby a 10] 10
        assert_equal [r incrby a -25] -15
        assert_equal [r decrby a 5] -20
        assert_equal [r decrby a -120] 100
        assert_equal [r incrby a 0] 100
        assert_equal [r get a] 100
    }

    test {INCR on int, embstr and raw numeric strings} {
        r set a 100
        assert_equal [incr_encoding a] int
        assert_equal [r incr a] 101
        # An embstr that is a number without being int-encoded cannot
        # happen through SET, but APPEND makes a raw one.
        r del b
        r append b 1
        r append b 0
        assert_equal [incr_encoding b] raw
        assert_equal [r incr b] 11
        assert_equal [incr_encoding b] int
        r set c 17179869184
        assert_equal [r incrby c 17179869184] 34359738368
    }

    test {INCR results are int-encoded, small ones shared} {
        r set a 9997
        r incr a
        assert_equal [incr_encoding a] int
        assert_equal [incr_refcount a] 2147483647
        r incr a
        assert_equal [r get a] 9999
        assert_equal [incr_refcount a] 2147483647
        r incr a
        assert_equal [r get a] 10000
        assert_equal [incr_refcount a] 1
        # A private int is updated in place and stays private.
        r incr a
        assert_equal [incr_refcount a] 1
        assert_equal [r get a] 10001
        r decrby a 10001
        assert_equal [r get a] 0
        assert_equal [incr_refcount a] 2147483647
    }

    test {INCR does not change other keys sharing a value} {
        r set a 5
        r set b 5
        r incr a
        assert_equal [r get a] 6
        assert_equal [r get b] 5
        r set a 20000
        r incrby a 1
        r set b 20000
        r incr b
        assert_equal [r mget a b] {20001 20001}
    }

    test {INCR against values that are not integers} {
        set err {ERR value is not an integer or out of range}
        foreach v {" 1" "1 " "01" "-0" "+1" "1.5" "abc" "" "1e3" "0x10" "9223372036854775808" "-9223372036854775809" "12345678901234567890123"} {
            r set s $v
            assert_error $err {r incr s}
            assert_error $err {r decr s}
            assert_error $err {r incrby s 1}
            assert_error $err {r decrby s 1}
            assert_equal [r get s] $v
        }
    }

    test {INCRBY and DECRBY with an increment that is not an integer} {
        set err {ERR value is not an integer or out of range}
        r set a 1
        foreach v {1.5 abc "" " 1" "+1" "99999999999999999999" "9223372036854775808"} {
            assert_error $err {r incrby a $v}
            assert_error $err {r decrby a $v}
        }
        # The increment is checked before the key.
        r set s abc
        assert_error $err {r incrby s 1.5}
        assert_equal [r get a] 1
    }

    test {INCR overflow} {
        set err {ERR increment or decrement would overflow}
        r set n 9223372036854775807
        assert_equal [incr_encoding n] int
        assert_error $err {r incr n}
        assert_error $err {r incrby n 1}
        assert_error $err {r decrby n -1}
        assert_equal [r get n] 9223372036854775807
        r set n -9223372036854775808
        assert_error $err {r decr n}
        assert_error $err {r incrby n -1}
        assert_error $err {r decrby n 1}
        assert_equal [r incrby n 9223372036854775807] -1
        r set n 1
        assert_error $err {r incrby n 9223372036854775807}
        assert_equal [r incrby n -9223372036854775808] -9223372036854775807
        assert_equal [r decrby n 1] -9223372036854775808
        r set n 0
        assert_equal [r incrby n -9223372036854775808] -9223372036854775808
        assert_equal [r incrby n 9223372036854775807] -1
    }

    test {DECRBY of LLONG_MIN} {
        r set n 10
        assert_error {ERR decrement would overflow} {r decrby n -9223372036854775808}
        r del nokey
        assert_error {ERR decrement would overflow} {r decrby nokey -9223372036854775808}
        assert_equal [r exists nokey] 0
        assert_equal [r decrby n 9223372036854775807] -9223372036854775797
    }

    test {INCR keeps the TTL} {
        needs_commands ttl expire
        r set a 10
        r expire a 100
        r incr a
        assert_range [r ttl a] 90 100
        r set a 20000 ex 100
        r incr a
        assert_range [r ttl a] 90 100
        r incrbyfloat a 1.5
        assert_range [r ttl a] 90 100
        assert_equal [r get a] 20002.5
    }

    test {INCR family against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        set err {WRONGTYPE Operation against a key holding the wrong kind of value}
        assert_error $err {r incr l}
        assert_error $err {r decr l}
        assert_error $err {r incrby l 1}
        assert_error $err {r decrby l 1}
        assert_error $err {r incrbyfloat l 1}
        # INCRBYFLOAT looks at the key first, INCRBY at the increment first.
        assert_error $err {r incrbyfloat l abc}
        assert_error {ERR value is not an integer or out of range} {r incrby l abc}
    }

    test {INCR family arity} {
        assert_error {ERR wrong number of arguments for 'incr' command} {r incr}
        assert_error {ERR wrong number of arguments for 'decr' command} {r decr a b}
        assert_error {ERR wrong number of arguments for 'incrby' command} {r incrby a}
        assert_error {ERR wrong number of arguments for 'decrby' command} {r decrby a 1 2}
        assert_error {ERR wrong number of arguments for 'incrbyfloat' command} {r incrbyfloat a}
    }

    # -------------------------------------------------------- INCRBYFLOAT

    test {INCRBYFLOAT on a missing key} {
        r del f
        assert_equal [r incrbyfloat f 1.5] 1.5
        assert_equal [r get f] 1.5
        assert_reply_raw [srv client] {incrbyfloat f 1} {{$3} 2.5}
    }

    test {INCRBYFLOAT formatting} {
        foreach {start incr expected} {
            10.5 0.1 10.6
            10.6 -5e3 -4989.39999999999999991
            3.0 0 3
            1.1 1.1 2.2
            0 1e-20 0
            0 5.0e3 5000
            0 0x10 16
            0 1.23456789012345678901234 1.23456789012345679
            2 0.12345678901234567890123 2.12345678901234568
            2.12345678901234568 -1.12345678901234567 1.00000000000000001
            0 12345678901234567890123456789 12345678901234567890421678080
            -0.0 -0 0
            1 -1 0
            0.5 -1 -0.5
            5 -5.5 -0.5
            100 .5 100.5
            1e2 1 101
            -1 0.75 -0.25
        } {
            r set f $start
            assert_equal [r incrbyfloat f $incr] $expected "incrbyfloat $start $incr"
            assert_equal [r get f] $expected
        }
    }

    test {INCRBYFLOAT of huge values prints every digit} {
        r set f 0
        set reply [r incrbyfloat f 1e308]
        assert_equal [string length $reply] 308
        assert_match {99999999999999999996685879655845645660560099847*} $reply
        # Long doubles go well past the range of doubles.
        r set f 1e4000
        assert_equal [string length [r incrbyfloat f 1]] 4000
        r set f 0
        assert_equal [string length [r incrbyfloat f 1.5e4000]] 4001
    }

    test {INCRBYFLOAT stores an embstr, never an int} {
        r set f 1
        assert_equal [incr_encoding f] int
        assert_equal [r incrbyfloat f 1] 2
        assert_equal [incr_encoding f] embstr
        # And INCR works on the result.
        assert_equal [r incr f] 3
        r set f 1.5
        r incrbyfloat f 0.5
        assert_equal [r incr f] 3
    }

    test {INCRBYFLOAT refuses NaN and Infinity} {
        r set f 1
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f inf}
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f -inf}
        r set f inf
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f 1}
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f -inf}
        # Beyond the range of long doubles: not a number at all.
        r set f 1e5000
        assert_error {ERR value is not a valid float} {r incrbyfloat f 1}
        r set f 1.1e4932
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f 1.1e4932}
        assert_equal [r get f] 1.1e4932
    }

    test {INCRBYFLOAT against values and increments that are not floats} {
        set err {ERR value is not a valid float}
        r set f 1
        foreach v {nan abc "" " 1" "1 " "1e-5000" "1.5.5" "1,5"} {
            assert_error $err {r incrbyfloat f $v}
        }
        assert_equal [r get f] 1
        foreach v {abc " 1" "1 " "" "nan"} {
            r set s $v
            assert_error $err {r incrbyfloat s 1}
            assert_equal [r get s] $v
        }
        r del nokey
        assert_error $err {r incrbyfloat nokey abc}
        assert_equal [r exists nokey] 0
    }

    test {INCRBYFLOAT of a value with a leading plus or exponent} {
        r set f +1.5
        assert_equal [r incrbyfloat f 1] 2.5
        r set f 1e3
        assert_equal [r incrbyfloat f 0] 1000
    }

    # ------------------------------------------------------------- random

    test {Random INCRBY DECRBY INCR DECR against Tcl integers} {
        r flushall
        set model [dict create]
        set keys {a b c}
        set max 9223372036854775807
        set min -9223372036854775808
        for {set i 0} {$i < 1000} {incr i} {
            set key [lindex $keys [randomInt 3]]
            set cur [if {[dict exists $model $key]} {dict get $model $key} else {string cat 0}]
            switch [randomInt 6] {
                0 { set cmd incr; set delta 1; set args {} }
                1 { set cmd decr; set delta -1; set args {} }
                2 {
                    set cmd incrby
                    set delta [expr {[randomInt 2000000] - 1000000}]
                    set args [list $delta]
                }
                3 {
                    set cmd decrby
                    set n [expr {[randomInt 2000000] - 1000000}]
                    set delta [expr {-$n}]
                    set args [list $n]
                }
                4 {
                    # Jump near the limits to exercise overflow.
                    set cmd incrby
                    set delta [expr {rand() < 0.5 ? $max - [randomInt 1000] : $min + [randomInt 1000]}]
                    set args [list $delta]
                }
                5 {
                    set v [expr {[randomInt 30000] - 15000}]
                    r set $key $v
                    dict set model $key $v
                    continue
                }
            }
            set want [expr {$cur + $delta}]
            if {$want > $max || $want < $min} {
                assert_error {ERR increment or decrement would overflow} {r $cmd $key {*}$args}
            } else {
                assert_equal [r $cmd $key {*}$args] $want "$cmd $key $args from $cur"
                dict set model $key $want
            }
        }
        foreach key $keys {
            if {[dict exists $model $key]} {
                assert_equal [r get $key] [dict get $model $key]
                assert_equal [incr_encoding $key] int
            }
        }
    }

    test {Random INCRBYFLOAT of integers matches integer arithmetic} {
        r set f 0
        set total 0
        for {set i 0} {$i < 200} {incr i} {
            set d [expr {[randomInt 200000] - 100000}]
            incr total $d
            assert_equal [r incrbyfloat f $d] $total
        }
        assert_equal [r get f] $total
    }
}
