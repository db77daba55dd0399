# The string type: SET and its options, the getters (GET GETSET GETDEL
# GETEX), SETNX SETEX PSETEX, MGET MSET MSETNX, APPEND STRLEN SETRANGE
# GETRANGE SUBSTR, LCS, the int/embstr/raw encodings and the size limit.
# Arithmetic (INCR and friends) lives in incr.tcl.

# The encoding of the value at key: OBJECT ENCODING when the server has it,
# otherwise the encoding field of DEBUG OBJECT (the same names).
proc str_encoding {key} {
    if {[lindex [r command info object] 0] ne ""} {
        return [r object encoding $key]
    }
    regexp {encoding:(\S+)} [r debug object $key] -> enc
    return $enc
}

# The reference count of the value at key, from DEBUG OBJECT.
proc str_refcount {key} {
    regexp {refcount:(\d+)} [r debug object $key] -> rc
    return $rc
}

# Length of the longest common subsequence of a and b, computed in Tcl.
proc lcs_length {a b} {
    set la [string length $a]
    set lb [string length $b]
    set prev [lrepeat [expr {$lb + 1}] 0]
    for {set i 1} {$i <= $la} {incr i} {
        set row [list 0]
        set ca [string index $a [expr {$i - 1}]]
        for {set j 1} {$j <= $lb} {incr j} {
            if {$ca eq [string index $b [expr {$j - 1}]]} {
                lappend row [expr {[lindex $prev [expr {$j - 1}]] + 1}]
            } else {
                set up [lindex $prev $j]
                set left [lindex $row [expr {$j - 1}]]
                lappend row [expr {$up > $left ? $up : $left}]
            }
        }
        set prev $row
    }
    return [lindex $prev $lb]
}

# 1 when s is a subsequence of t.
proc is_subsequence {s t} {
    set pos 0
    foreach ch [split $s ""] {
        set pos [string first $ch $t $pos]
        if {$pos < 0} { return 0 }
        incr pos
    }
    return 1
}

start_server {tags {"string"}} {
    # ------------------------------------------------------------ SET/GET

    test {SET and GET of binary, empty and large values} {
        r flushall
        set bin "a\x00b\r\n\xff"
        assert_equal [r set bin $bin] OK
        assert_equal [r get bin] $bin
        assert_equal [r set empty ""] OK
        assert_equal [r get empty] ""
        assert_reply_raw [srv client] {get empty} {{$0} {}}
        set big [string repeat "0123456789" 100000]
        assert_equal [r set big $big] OK
        assert_equal [r get big] $big
        assert_equal [r strlen big] 1000000
    }

    test {GET of a missing key is a null bulk (RESP2) and null (RESP3)} {
        r del nokey
        assert_equal [r get nokey] {}
        assert_reply_raw [srv client] {get nokey} {{$-1}}
        set c3 [redis_client -protocol 3]
        assert_reply_raw $c3 {get nokey} {_}
        $c3 close
    }

    test {SET NX and XX} {
        r del k
        assert_equal [r set k v1 xx] {}
        assert_equal [r exists k] 0
        assert_equal [r set k v1 nx] OK
        assert_equal [r set k v2 nx] {}
        assert_equal [r get k] v1
        assert_equal [r set k v3 xx] OK
        assert_equal [r get k] v3
        assert_reply_raw [srv client] {set k v4 nx} {{$-1}}
    }

    test {SET options are case insensitive and may repeat} {
        r del k
        assert_equal [r set k v Nx nX] OK
        assert_equal [r set k v2 xx XX] OK
        assert_equal [r set k v3 GeT get] v2
        assert_equal [r set k v4 keepttl KEEPTTL] OK
        assert_equal [r get k] v4
    }

    test {SET GET returns the old value} {
        r del k
        assert_equal [r set k v1 get] {}
        assert_equal [r set k v2 get] v1
        assert_equal [r get k] v2
        assert_reply_raw [srv client] {set k v3 get} {{$2} v2}
    }

    test {SET GET with NX and XX (allowed since 7.0)} {
        r del k
        assert_equal [r set k v1 nx get] {}
        assert_equal [r get k] v1
        # NX fails: the old value is still replied, nothing is written.
        assert_equal [r set k v2 nx get] v1
        assert_equal [r get k] v1
        assert_equal [r set k v3 xx get] v1
        assert_equal [r get k] v3
        r del k
        assert_equal [r set k v4 xx get] {}
        assert_equal [r exists k] 0
    }

    test {SET GET on a key of another type is WRONGTYPE and writes nothing} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r set l v get}
        assert_equal [r type l] list
        # Without GET the value is simply replaced.
        assert_equal [r set l v] OK
        assert_equal [r get l] v
    }

    test {SET option conflicts and unknown options are syntax errors} {
        r set k orig
        foreach optlist {
            {nx xx} {xx nx} {ex 10 px 100} {px 100 ex 10} {ex 10 exat 9999999999}
            {exat 9999999999 pxat 9999999999999} {ex 10 keepttl} {keepttl ex 10}
            {keepttl px 10} {pxat 99999999999999 keepttl} {persist} {ex} {px}
            {exat} {pxat} {nx ex} {foo} {get foo} {ex 10 10}
        } {
            assert_error {ERR syntax error} {r set k v {*}$optlist}
        }
        assert_equal [r get k] orig
    }

    test {SET with an invalid expire time} {
        r set k orig
        foreach o {ex px exat pxat} {
            assert_error {ERR invalid expire time in 'set' command} {r set k v $o 0}
            assert_error {ERR invalid expire time in 'set' command} {r set k v $o -1}
            assert_error {ERR value is not an integer or out of range} {r set k v $o abc}
            assert_error {ERR value is not an integer or out of range} {r set k v $o 1.5}
            assert_error {ERR value is not an integer or out of range} {r set k v $o 99999999999999999999}
        }
        # Seconds that overflow once turned into milliseconds.
        assert_error {ERR invalid expire time in 'set' command} {r set k v ex 9223372036854776}
        assert_error {ERR invalid expire time in 'set' command} {r set k v exat 9223372036854776}
        # Relative times that overflow once the current time is added.
        assert_error {ERR invalid expire time in 'set' command} {r set k v ex 9223372036854775}
        assert_error {ERR invalid expire time in 'set' command} {r set k v px 9223372036854775807}
        # The time is checked before GET replies anything.
        assert_error {ERR invalid expire time in 'set' command} {r set k v get ex 0}
        assert_equal [r get k] orig
    }

    test {SET EX PX EXAT PXAT set the time to live} {
        needs_commands ttl pttl
        r set k v ex 100
        assert_range [r ttl k] 90 100
        r set k v px 100000
        assert_range [r pttl k] 90000 100000
        r set k v exat [expr {[clock seconds] + 100}]
        assert_range [r ttl k] 90 100
        r set k v pxat [expr {[clock milliseconds] + 100000}]
        assert_range [r pttl k] 90000 100000
        # The last of repeated options wins.
        r set k v ex 10 ex 1000
        assert_range [r ttl k] 990 1000
        # An absolute time far away is accepted as is.
        r set k v pxat 9223372036854775807
        assert_morethan [r ttl k] 1000000000
    }

    test {SET without KEEPTTL drops the TTL, with KEEPTTL keeps it} {
        needs_commands ttl
        r set k v ex 100
        r set k v2
        assert_equal [r ttl k] -1
        r set k v ex 100
        r set k v3 keepttl
        assert_range [r ttl k] 90 100
        assert_equal [r get k] v3
        r set k v4 keepttl get
        assert_range [r ttl k] 90 100
        # NX refused: the TTL is untouched too.
        r set k v5 nx ex 5000
        assert_range [r ttl k] 90 100
    }

    test {SET with an expire time in the past stores a key that reads as missing} {
        r del k k2
        r set k old
        assert_equal [r set k v exat 1] OK
        assert_equal [r get k] {}
        assert_equal [r exists k] 0
        r set k old
        assert_equal [r set k v pxat 1 get] old
        assert_equal [r exists k] 0
        assert_equal [r set k2 v pxat 1 get] {}
        assert_equal [r exists k2] 0
    }

    test {SET expires after its time} {
        r set k v px 50
        assert_equal [r get k] v
        after 120
        assert_equal [r get k] {}
        assert_equal [r exists k] 0
    }

    test {SET arity} {
        assert_error {ERR wrong number of arguments for 'set' command} {r set k}
    }

    # --------------------------------------------------- SETNX SETEX PSETEX

    test {SETNX} {
        r del k
        assert_equal [r setnx k v1] 1
        assert_equal [r setnx k v2] 0
        assert_equal [r get k] v1
        assert_reply_raw [srv client] {setnx k v3} {:0}
        assert_error {ERR wrong number of arguments for 'setnx' command} {r setnx k}
    }

    test {SETNX against a key of another type does nothing} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_equal [r setnx l v] 0
        assert_equal [r type l] list
    }

    test {SETNX does not see an expired key as existing} {
        r set k old px 20
        after 60
        assert_equal [r setnx k new] 1
        assert_equal [r get k] new
    }

    test {SETEX and PSETEX} {
        r del k
        assert_equal [r setex k 100 v1] OK
        assert_equal [r get k] v1
        assert_equal [r psetex k 100000 v2] OK
        assert_equal [r get k] v2
        r psetex k 40 v3
        after 100
        assert_equal [r get k] {}
    }

    test {SETEX and PSETEX set the TTL} {
        needs_commands ttl pttl
        r setex k 100 v
        assert_range [r ttl k] 90 100
        r psetex k 100000 v
        assert_range [r pttl k] 90000 100000
    }

    test {SETEX and PSETEX errors} {
        r set k orig
        assert_error {ERR invalid expire time in 'setex' command} {r setex k 0 v}
        assert_error {ERR invalid expire time in 'setex' command} {r setex k -10 v}
        assert_error {ERR invalid expire time in 'setex' command} {r setex k 9223372036854776 v}
        assert_error {ERR invalid expire time in 'psetex' command} {r psetex k 0 v}
        assert_error {ERR invalid expire time in 'psetex' command} {r psetex k 9223372036854775807 v}
        assert_error {ERR value is not an integer or out of range} {r setex k abc v}
        assert_error {ERR value is not an integer or out of range} {r psetex k 1.5 v}
        assert_error {ERR wrong number of arguments for 'setex' command} {r setex k 10}
        assert_error {ERR wrong number of arguments for 'psetex' command} {r psetex k 10 v x}
        assert_equal [r get k] orig
    }

    # -------------------------------------------------- GETSET GETDEL GETEX

    test {GETSET} {
        r del k
        assert_equal [r getset k v1] {}
        assert_equal [r getset k v2] v1
        assert_equal [r get k] v2
        assert_reply_raw [srv client] {getset k v3} {{$2} v2}
    }

    test {GETSET drops the TTL} {
        needs_commands ttl
        r set k v ex 100
        assert_equal [r getset k v2] v
        assert_equal [r ttl k] -1
    }

    test {GETSET, GETDEL and GETEX against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        set err {WRONGTYPE Operation against a key holding the wrong kind of value}
        assert_error $err {r getset l v}
        assert_error $err {r getdel l}
        assert_error $err {r getex l}
        assert_error $err {r getex l ex 10}
        # The type is checked before the time.
        assert_error $err {r getex l ex abc}
        assert_equal [r type l] list
    }

    test {GETDEL} {
        r set k v
        assert_equal [r getdel k] v
        assert_equal [r exists k] 0
        assert_equal [r getdel k] {}
        assert_reply_raw [srv client] {getdel k} {{$-1}}
        r set n 12345
        assert_equal [r getdel n] 12345
        assert_error {ERR wrong number of arguments for 'getdel' command} {r getdel k x}
    }

    test {GETEX without options is GET} {
        r set k v
        assert_equal [r getex k] v
        assert_equal [r get k] v
        r del k
        assert_equal [r getex k] {}
    }

    test {GETEX EX PX EXAT PXAT PERSIST} {
        needs_commands ttl pttl
        r set k v
        assert_equal [r getex k ex 100] v
        assert_range [r ttl k] 90 100
        assert_equal [r getex k px 200000] v
        assert_range [r pttl k] 190000 200000
        assert_equal [r getex k exat [expr {[clock seconds] + 300}]] v
        assert_range [r ttl k] 290 300
        assert_equal [r getex k pxat [expr {[clock milliseconds] + 400000}]] v
        assert_range [r pttl k] 390000 400000
        assert_equal [r getex k persist] v
        assert_equal [r ttl k] -1
        assert_equal [r getex k persist] v
        assert_equal [r ttl k] -1
        # Plain GETEX leaves the TTL alone; repeats take the last value.
        r getex k ex 10 ex 500
        r getex k
        assert_range [r ttl k] 490 500
        assert_equal [r getex k PERSIST persist] v
        assert_equal [r ttl k] -1
    }

    test {GETEX with a past EXAT or PXAT deletes the key} {
        r flushall
        r set k v
        assert_equal [r getex k exat 1] v
        # Deleted at once, not merely expired: DBSIZE no longer counts it.
        assert_equal [r dbsize] 0
        r set k v
        assert_equal [r getex k pxat [expr {[clock milliseconds] - 1000}]] v
        assert_equal [r dbsize] 0
        assert_equal [r exists k] 0
    }

    test {GETEX on a missing key is null, even with a bad time} {
        r del k
        assert_equal [r getex k ex 100] {}
        assert_equal [r getex k ex 0] {}
        assert_equal [r getex k ex abc] {}
        assert_equal [r exists k] 0
        # Syntax errors are found first.
        assert_error {ERR syntax error} {r getex k foo}
    }

    test {GETEX errors} {
        r set k v
        foreach optlist {
            {persist ex 10} {ex 10 persist} {ex 10 px 10} {exat 10 pxat 10}
            {keepttl} {nx} {xx} {get} {ex} {pxat} {foo} {persist foo}
        } {
            assert_error {ERR syntax error} {r getex k {*}$optlist}
        }
        foreach o {ex px exat pxat} {
            assert_error {ERR invalid expire time in 'getex' command} {r getex k $o 0}
            assert_error {ERR invalid expire time in 'getex' command} {r getex k $o -5}
            assert_error {ERR value is not an integer or out of range} {r getex k $o abc}
        }
        assert_error {ERR invalid expire time in 'getex' command} {r getex k ex 9223372036854775}
        assert_error {ERR invalid expire time in 'getex' command} {r getex k px 9223372036854775807}
        assert_error {ERR wrong number of arguments for 'getex' command} {r getex}
        assert_equal [r get k] v
    }

    # -------------------------------------------------- MGET MSET MSETNX

    test {MSET and MGET} {
        r flushall
        assert_equal [r mset a 1 b 2 c "three words" d ""] OK
        assert_equal [r mget a b c d nokey] {1 2 {three words} {} {}}
        assert_reply_raw [srv client] {mget a nokey} {*2 {$1} 1 {$-1}}
        # A later pair for the same key wins.
        r mset x 1 x 2
        assert_equal [r get x] 2
    }

    test {MGET of a key of another type is null} {
        needs_commands lpush
        r del l
        r lpush l a
        r set s v
        assert_equal [r mget s l s] {v {} v}
    }

    test {MSET drops TTLs} {
        needs_commands ttl
        r set k v ex 100
        r mset k v2
        assert_equal [r ttl k] -1
    }

    test {MSET and MSETNX with an odd number of arguments} {
        assert_error {ERR wrong number of arguments for 'mset' command} {r mset a 1 b}
        assert_error {ERR wrong number of arguments for 'msetnx' command} {r msetnx a 1 b}
        assert_error {ERR wrong number of arguments for 'mset' command} {r mset a}
        assert_error {ERR wrong number of arguments for 'mget' command} {r mget}
    }

    test {MSETNX sets all keys or none} {
        r flushall
        assert_equal [r msetnx a 1 b 2] 1
        assert_equal [r mget a b] {1 2}
        assert_equal [r msetnx c 3 a 10] 0
        assert_equal [r exists c] 0
        assert_equal [r get a] 1
        assert_equal [r msetnx c 3 d 4] 1
        assert_equal [r mget c d] {3 4}
        # The same new key twice: both writes happen, the last wins.
        assert_equal [r msetnx e 1 e 2] 1
        assert_equal [r get e] 2
    }

    test {MSETNX sees keys of any type} {
        needs_commands lpush
        r del l m
        r lpush l a
        assert_equal [r msetnx m 1 l 2] 0
        assert_equal [r exists m] 0
    }

    # ---------------------------------------------------- APPEND STRLEN

    test {APPEND creates the key and extends it} {
        r del k
        assert_equal [r append k hello] 5
        assert_equal [r append k " world"] 11
        assert_equal [r get k] "hello world"
        assert_equal [r append k ""] 11
        set bin "\x00\xff\r\n"
        assert_equal [r append k $bin] 15
        assert_equal [r get k] "hello world$bin"
    }

    test {APPEND encodings} {
        r del a b c d
        r append a 123
        assert_equal [str_encoding a] int
        r append a 4
        assert_equal [str_encoding a] raw
        assert_equal [r get a] 1234
        r append b hello
        assert_equal [str_encoding b] embstr
        r append b x
        assert_equal [str_encoding b] raw
        r append c [string repeat x 45]
        assert_equal [str_encoding c] raw
        # A shared small integer is copied, not changed under other keys.
        r set d 5
        r set e 5
        r append d 5
        assert_equal [str_encoding d] raw
        assert_equal [r get d] 55
        assert_equal [r get e] 5
        assert_equal [str_encoding e] int
    }

    test {APPEND keeps the TTL} {
        needs_commands ttl
        r set k v ex 100
        r append k x
        assert_range [r ttl k] 90 100
    }

    test {APPEND against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_error {WRONGTYPE *} {r append l x}
    }

    test {APPEND many times builds the right string} {
        r del k
        set expected ""
        for {set i 0} {$i < 500} {incr i} {
            set piece [randstring 0 20 binary]
            append expected $piece
            assert_equal [r append k $piece] [string length $expected]
        }
        assert_equal [r get k] $expected
    }

    test {STRLEN of every encoding} {
        r del nokey
        assert_equal [r strlen nokey] 0
        r set i -12345
        assert_equal [str_encoding i] int
        assert_equal [r strlen i] 6
        r set e "hello"
        assert_equal [r strlen e] 5
        r set raw [string repeat a 100]
        assert_equal [r strlen raw] 100
        r set empty ""
        assert_equal [r strlen empty] 0
        assert_error {ERR wrong number of arguments for 'strlen' command} {r strlen}
    }

    test {STRLEN against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_error {WRONGTYPE *} {r strlen l}
    }

    # ------------------------------------------------------- SETRANGE

    test {SETRANGE on a missing key pads with zero bytes} {
        r del k
        assert_equal [r setrange k 0 abc] 3
        assert_equal [r get k] abc
        r del k
        assert_equal [r setrange k 3 abc] 6
        assert_equal [r get k] "\x00\x00\x00abc"
        assert_equal [str_encoding k] raw
    }

    test {SETRANGE with an empty value does not create the key} {
        r del k
        assert_equal [r setrange k 0 ""] 0
        assert_equal [r setrange k 100 ""] 0
        assert_equal [r exists k] 0
    }

    test {SETRANGE with an empty value on an existing key replies its length} {
        r set k hello
        assert_equal [r setrange k 100 ""] 5
        assert_equal [r get k] hello
        r set n 12
        assert_equal [r setrange n 0 ""] 2
        assert_equal [str_encoding n] int
    }

    test {SETRANGE overwrites and extends} {
        r set k "hello world"
        assert_equal [r setrange k 6 redis] 11
        assert_equal [r get k] "hello redis"
        assert_equal [r setrange k 6 "there you"] 15
        assert_equal [r get k] "hello there you"
        assert_equal [r setrange k 17 !] 18
        assert_equal [r get k] "hello there you\x00\x00!"
    }

    test {SETRANGE turns int and embstr values into raw} {
        r set n 12
        assert_equal [str_encoding n] int
        assert_equal [r setrange n 1 9] 2
        assert_equal [r get n] 19
        assert_equal [str_encoding n] raw
        r set e abc
        assert_equal [str_encoding e] embstr
        r setrange e 0 x
        assert_equal [str_encoding e] raw
        assert_equal [r get e] xbc
        # A shared integer is copied, not changed under other keys.
        r set s1 7
        r set s2 7
        r setrange s1 0 8
        assert_equal [r get s1] 8
        assert_equal [r get s2] 7
    }

    test {SETRANGE errors} {
        r set k v
        assert_error {ERR offset is out of range} {r setrange k -1 x}
        assert_error {ERR value is not an integer or out of range} {r setrange k abc x}
        assert_error {ERR value is not an integer or out of range} {r setrange k 1.0 x}
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange k 536870912 x}
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange k 9223372036854775807 x}
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange nokey 536870912 x}
        # Nothing to write: no size check either.
        assert_equal [r setrange k 536870912 ""] 1
        assert_equal [r get k] v
        assert_error {ERR wrong number of arguments for 'setrange' command} {r setrange k 0}
    }

    test {SETRANGE against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_error {WRONGTYPE *} {r setrange l 0 x}
        assert_error {WRONGTYPE *} {r setrange l 0 ""}
    }

    test {SETRANGE keeps the TTL} {
        needs_commands ttl
        r set k hello ex 100
        r setrange k 0 j
        assert_range [r ttl k] 90 100
        assert_equal [r get k] jello
    }

    # ------------------------------------------------ GETRANGE SUBSTR

    test {GETRANGE} {
        r set s hello
        foreach {start end expected} {
            0 -1 hello   0 0 h   1 3 ell   -3 -1 llo   0 100 hello
            4 100 o   2 1 {}   10 20 {}   5 5 {}   -1 -1 o   -100 2 hel
            -100 -101 {}   -1 -2 {}   -5 -5 h   0 -100 h   -100 -100 h
            -9223372036854775808 9223372036854775807 hello
        } {
            assert_equal [r getrange s $start $end] $expected "getrange s $start $end"
        }
    }

    test {GETRANGE of int-encoded, empty and missing values} {
        r set i 12345
        assert_equal [str_encoding i] int
        assert_equal [r getrange i 1 2] 23
        assert_equal [r getrange i -2 -1] 45
        r set i -7
        assert_equal [r getrange i 0 0] -
        r set empty ""
        assert_equal [r getrange empty 0 -1] {}
        assert_equal [r getrange empty 0 0] {}
        r del nokey
        assert_equal [r getrange nokey 0 -1] {}
        assert_reply_raw [srv client] {getrange nokey 0 -1} {{$0} {}}
    }

    test {GETRANGE of binary values} {
        set v "\x00\x01\xff\r\n"
        r set b $v
        assert_equal [r getrange b 0 -1] $v
        assert_equal [r getrange b 2 3] "\xff\r"
    }

    test {GETRANGE errors} {
        r set s hello
        assert_error {ERR value is not an integer or out of range} {r getrange s a 1}
        assert_error {ERR value is not an integer or out of range} {r getrange s 0 1.5}
        # Indexes are checked before the key is looked up.
        assert_error {ERR value is not an integer or out of range} {r getrange nokey a b}
        assert_error {ERR wrong number of arguments for 'getrange' command} {r getrange s 0}
    }

    test {GETRANGE against a key of another type} {
        needs_commands lpush
        r del l
        r lpush l a
        assert_error {WRONGTYPE *} {r getrange l 0 1}
    }

    test {SUBSTR is GETRANGE} {
        r set s hello
        assert_equal [r substr s 1 3] ell
        assert_equal [r substr s -3 -1] llo
        assert_equal [r substr nokey 0 1] {}
        assert_error {ERR wrong number of arguments for 'substr' command} {r substr s 0}
    }

    # ---------------------------------------------------------- encodings

    test {String encodings follow the value} {
        foreach {value enc} [list \
            0 int   9999 int   10000 int   -1 int \
            9223372036854775807 int   -9223372036854775808 int \
            9223372036854775808 embstr   123456789012345678901 embstr \
            01 embstr   -0 embstr   +1 embstr   " 1" embstr   1.5 embstr \
            "" embstr   abc embstr \
            [string repeat x 44] embstr   [string repeat x 45] raw \
            [string repeat 1 44] embstr   [string repeat 1 45] raw] {
            r set k $value
            assert_equal [str_encoding k] $enc "encoding of '$value'"
            assert_equal [r get k] $value
        }
    }

    test {Every writer of strings encodes like SET} {
        r flushall
        r mset m1 12 m2 hi m3 [string repeat z 50]
        assert_equal [list [str_encoding m1] [str_encoding m2] [str_encoding m3]] {int embstr raw}
        r msetnx n1 12 n2 hi
        assert_equal [list [str_encoding n1] [str_encoding n2]] {int embstr}
        r setnx s1 12
        r setex s2 100 12
        r psetex s3 100000 hi
        r getset s4 12
        assert_equal [list [str_encoding s1] [str_encoding s2] [str_encoding s3] [str_encoding s4]] {int int embstr int}
    }

    test {Small integers are shared, bigger ones are not} {
        r set a 9999
        assert_equal [str_refcount a] 2147483647
        r set b 10000
        assert_equal [str_refcount b] 1
        r set c -1
        assert_equal [str_refcount c] 1
    }

    test {No shared integers under an LRU or LFU maxmemory policy} {
        set oldmax [lindex [r config get maxmemory] 1]
        set oldpolicy [lindex [r config get maxmemory-policy] 1]
        r config set maxmemory 1gb
        r config set maxmemory-policy noeviction
        r set a 5
        assert_equal [str_refcount a] 2147483647
        r config set maxmemory-policy allkeys-lru
        r set a 5
        assert_equal [str_refcount a] 1
        assert_equal [str_encoding a] int
        r config set maxmemory-policy volatile-lfu
        r set a 6
        assert_equal [str_refcount a] 1
        r config set maxmemory-policy allkeys-random
        r set a 7
        assert_equal [str_refcount a] 2147483647
        r config set maxmemory $oldmax
        r config set maxmemory-policy $oldpolicy
        r set a 5
        assert_equal [str_refcount a] 2147483647
    }

    # ----------------------------------------------------- size limit

    test {Strings cannot grow past proto-max-bulk-len} {
        set old [lindex [r config get proto-max-bulk-len] 1]
        r config set proto-max-bulk-len 1mb
        set mb [expr {1024 * 1024}]
        r set big [string repeat a $mb]
        set err {ERR string exceeds maximum allowed size (proto-max-bulk-len)}
        assert_error $err {r append big a}
        assert_error $err {r setrange big $mb a}
        assert_error $err {r setrange nokey [expr {$mb - 1}] ab}
        assert_equal [r setrange big [expr {$mb - 1}] b] $mb
        assert_equal [r strlen big] $mb
        r del big2
        assert_equal [r setrange big2 [expr {$mb - 1}] c] $mb
        assert_equal [r getrange big2 -1 -1] c
        r config set proto-max-bulk-len $old
        assert_equal [r append big a] [expr {$mb + 1}]
        r del big big2
    }

    # ---------------------------------------------------------------- LCS

    test {LCS basics} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b] mytext
        assert_equal [r lcs b a] mytext
        assert_equal [r lcs a b len] 6
        assert_equal [r lcs a a] ohmytext
        r set n 1234ab
        r set m 12ab34
        assert_equal [r lcs n m] 12ab
    }

    test {LCS IDX} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b idx] {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}
        assert_equal [r lcs a b idx withmatchlen] {matches {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} len 6}
        assert_equal [r lcs a b idx minmatchlen 4] {matches {{{4 7} {5 8}}} len 6}
        assert_equal [r lcs a b idx withmatchlen minmatchlen 3] {matches {{{4 7} {5 8} 4}} len 6}
        assert_equal [r lcs a b idx minmatchlen -5] {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}
        assert_equal [r lcs a b idx minmatchlen 100] {matches {} len 6}
        assert_reply_raw [srv client] {lcs a b idx minmatchlen 4} \
            {*4 {$7} matches *1 *2 *2 :4 :7 *2 :5 :8 {$3} len :6}
    }

    test {LCS IDX in RESP3 is a map} {
        r mset a ohmytext b mynewtext
        set c3 [redis_client -protocol 3]
        assert_reply_raw $c3 {lcs a b idx withmatchlen minmatchlen 3} \
            {%2 {$7} matches *1 *3 *2 :4 :7 *2 :5 :8 :4 {$3} len :6}
        $c3 close
    }

    test {LCS ties and repeated bytes} {
        r mset x abcabcabc y cbacba
        assert_equal [r lcs x y] cbac
        assert_equal [r lcs x y idx withmatchlen] \
            {matches {{{8 8} {3 3} 1} {{6 6} {2 2} 1} {{4 4} {1 1} 1} {{2 2} {0 0} 1}} len 4}
        r mset x aaaa y aa
        assert_equal [r lcs x y idx] {matches {{{2 3} {0 1}}} len 2}
        r mset x 1234ab y 12ab34
        assert_equal [r lcs x y idx withmatchlen] {matches {{{4 5} {2 3} 2} {{0 1} {0 1} 2}} len 4}
    }

    test {LCS with missing keys and empty strings} {
        r del n1 n2
        assert_equal [r lcs n1 n2] {}
        assert_equal [r lcs n1 n2 len] 0
        assert_equal [r lcs n1 n2 idx] {matches {} len 0}
        r set a abc
        assert_equal [r lcs a n1 idx withmatchlen] {matches {} len 0}
        r set e ""
        assert_equal [r lcs a e] {}
        r set b xyz
        assert_equal [r lcs a b] {}
        assert_equal [r lcs a b idx] {matches {} len 0}
    }

    test {LCS of int-encoded values} {
        r set i1 12345
        r set i2 2468
        assert_equal [r lcs i1 i2] 24
        assert_equal [r lcs i1 i2 len] 2
    }

    test {LCS option errors} {
        r mset a ohmytext b mynewtext
        set both {ERR If you want both the length and indexes, please just use IDX.}
        assert_error $both {r lcs a b idx len}
        assert_error $both {r lcs a b len idx}
        assert_error {ERR syntax error} {r lcs a b minmatchlen}
        assert_error {ERR syntax error} {r lcs a b foo}
        assert_error {ERR value is not an integer or out of range} {r lcs a b minmatchlen abc}
        assert_error {ERR wrong number of arguments for 'lcs' command} {r lcs a}
        # Options that only shape IDX are accepted and ignored without it.
        assert_equal [r lcs a b withmatchlen] mytext
        assert_equal [r lcs a b minmatchlen 2] mytext
        assert_equal [r lcs a b len len] 6
    }

    test {LCS against keys of another type} {
        needs_commands lpush
        r del l
        r lpush l x
        r set a abc
        set err {ERR The specified keys must contain string values}
        assert_error $err {r lcs a l}
        assert_error $err {r lcs l a}
        assert_error $err {r lcs l nokey}
        # The types are checked before the options.
        assert_error $err {r lcs l a foo}
    }

    test {LCS refuses a table larger than proto-max-bulk-len} {
        set old [lindex [r config get proto-max-bulk-len] 1]
        r config set proto-max-bulk-len 1mb
        r set x [string repeat a 600]
        r set y [string repeat b 600]
        assert_error {ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len} {r lcs x y len}
        r set y [string repeat b 400]
        assert_equal [r lcs x y len] 0
        r config set proto-max-bulk-len $old
        r set y [string repeat b 600]
        assert_equal [r lcs x y len] 0
    }

    test {LCS of random strings agrees with a model} {
        for {set n 0} {$n < 60} {incr n} {
            # Few distinct bytes make long common subsequences.
            set a [randstring 0 40 compr]
            set b [randstring 0 40 compr]
            r mset a $a b $b
            set len [lcs_length $a $b]
            assert_equal [r lcs a b len] $len "lcs len of '$a' '$b'"
            set seq [r lcs a b]
            assert_equal [string length $seq] $len
            assert {[is_subsequence $seq $a] && [is_subsequence $seq $b]}
            set reply [r lcs a b idx withmatchlen]
            assert_equal [lindex $reply 3] $len
            set total 0
            foreach m [lindex $reply 1] {
                lassign $m ra rb mlen
                lassign $ra as ae
                lassign $rb bs be
                assert_equal $mlen [expr {$ae - $as + 1}]
                assert_equal $mlen [expr {$be - $bs + 1}]
                assert_equal [string range $a $as $ae] [string range $b $bs $be]
                incr total $mlen
            }
            assert_equal $total $len
        }
    }

    # ------------------------------------------------ randomized model

    test {Random SET APPEND SETRANGE GETRANGE INCRBY STRLEN GETDEL against a model} {
        r flushall
        set model [dict create]
        set keys {k0 k1 k2 k3 k4}
        for {set i 0} {$i < 1000} {incr i} {
            set key [lindex $keys [randomInt [llength $keys]]]
            # (Not through expr: it would turn " 12" or "0x1" into numbers.)
            set exists [dict exists $model $key]
            set cur [if {$exists} {dict get $model $key} else {string cat}]
            switch [randomInt 8] {
                0 {
                    if {[randomInt 2]} {
                        set v [expr {[randomInt 20000] - 10000}]
                    } else {
                        set v [randstring 0 60 binary]
                    }
                    assert_equal [r set $key $v] OK "op $i set"
                    dict set model $key $v
                }
                1 {
                    set v [randstring 0 10 binary]
                    append cur $v
                    assert_equal [r append $key $v] [string length $cur] "op $i append"
                    dict set model $key $cur
                }
                2 {
                    set off [randomInt 80]
                    set v [randstring 0 8 alpha]
                    set len [string length $cur]
                    if {$v eq ""} {
                        assert_equal [r setrange $key $off $v] $len "op $i setrange empty"
                    } else {
                        if {$off > $len} {
                            append cur [string repeat "\x00" [expr {$off - $len}]]
                        }
                        set end [expr {$off + [string length $v] - 1}]
                        if {$end >= [string length $cur]} {
                            set cur [string range $cur 0 [expr {$off - 1}]]$v
                        } else {
                            set cur [string replace $cur $off $end $v]
                        }
                        assert_equal [r setrange $key $off $v] [string length $cur] "op $i setrange $off"
                        dict set model $key $cur
                    }
                }
                3 {
                    set start [expr {[randomInt 100] - 50}]
                    set end [expr {[randomInt 100] - 50}]
                    set len [string length $cur]
                    if {$start < 0 && $end < 0 && $start > $end} {
                        set expected ""
                    } else {
                        if {$start < 0} { set start [expr {max(0, $len + $start)}] }
                        if {$end < 0} { set end [expr {max(0, $len + $end)}] }
                        set expected [string range $cur $start $end]
                    }
                    assert_equal [r getrange $key $start $end] $expected "op $i getrange $start $end"
                }
                4 {
                    set incr [expr {[randomInt 2000] - 1000}]
                    if {!$exists || [regexp {^(0|-?[1-9][0-9]{0,17})$} $cur]} {
                        set n [expr {($exists ? $cur : 0) + $incr}]
                        assert_equal [r incrby $key $incr] $n "op $i incrby"
                        dict set model $key $n
                    } else {
                        assert_error {ERR value is not an integer or out of range} {r incrby $key $incr}
                    }
                }
                5 {
                    assert_equal [r strlen $key] [string length $cur] "op $i strlen"
                }
                6 {
                    if {$exists} {
                        assert_equal [r getdel $key] $cur "op $i getdel"
                        dict unset model $key
                    } else {
                        assert_equal [r getdel $key] {}
                    }
                }
                7 {
                    if {$exists} {
                        assert_equal [r get $key] $cur "op $i get"
                    } else {
                        assert_equal [r get $key] {}
                    }
                }
            }
        }
        foreach key $keys {
            if {[dict exists $model $key]} {
                assert_equal [r get $key] [dict get $model $key]
            } else {
                assert_equal [r exists $key] 0
            }
        }
        assert_equal [r dbsize] [dict size $model]
    }
}

start_server {tags {string}} {
    test {SET over a short string: shorter, equal, longer, integer, big, back} {
        r set k abcdefgh
        foreach value [list abc xyz abcdefghijklmnop 42 12345678901 [string repeat y 60] tiny {}] {
            r set k $value
            assert_equal [r get k] $value
            assert_equal [r strlen k] [string length $value]
        }
        assert_encoding embstr k
    }

    test {SET over a key with a TTL drops it; KEEPTTL keeps it on the in-place path} {
        r set k longvalue ex 100
        r set k short keepttl
        assert_equal [r get k] short
        assert_range [r ttl k] 90 100
        r set k tiny
        assert_equal [r get k] tiny
        assert_equal [r ttl k] -1
    }

    test {SET NX and XX decide with one lookup, on absent, present and expired keys} {
        r del k
        assert_equal [r set k a xx] {}
        assert_equal [r exists k] 0
        assert_equal [r set k a nx] OK
        assert_equal [r set k b nx] {}
        assert_equal [r get k] a
        assert_equal [r set k b xx] OK
        assert_equal [r get k] b
        r debug set-active-expire 0
        r set k c px 1
        after 5
        assert_equal [r set k d xx] {}
        assert_equal [r exists k] 0
        r set k e px 1
        after 5
        assert_equal [r set k f nx get] {}
        assert_equal [r get k] f
        r debug set-active-expire 1
    }
}
