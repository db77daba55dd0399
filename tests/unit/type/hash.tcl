# The hash type: HSET HMSET HSETNX HGET HMGET HDEL HLEN HSTRLEN HEXISTS
# HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, on both
# encodings (listpack and hashtable), the conversion at
# hash-max-listpack-entries / hash-max-listpack-value, RESP2/RESP3 reply
# shapes, and a randomized run checked against a Tcl dict model.

# Fields and values of a small hash of each encoding. The hashtable one is
# made so by a value longer than hash-max-listpack-value (64).
set ::hash_long_value [string repeat x 100]
set ::hash_pairs(listpack) {a 1 b hello c -7 d 12345678901 e {}}
set ::hash_pairs(hashtable) [list a 1 b hello c -7 d 12345678901 e {} big $::hash_long_value]

# Fills key with pairs (after deleting it) and checks the encoding.
proc fill_hash {key encoding pairs} {
    r del $key
    r hset $key {*}$pairs
    assert_encoding $encoding $key
}

# The flat list of a dict sorted by key (for order-free comparisons).
proc sorted_pairs {pairs} {
    set out {}
    foreach k [lsort [dict keys $pairs]] { lappend out $k [dict get $pairs $k] }
    return $out
}

# Collects a whole hash by HSCAN (following the cursor); returns a dict.
proc hscan_all {key args} {
    set cursor 0
    set result {}
    while 1 {
        lassign [r hscan $key $cursor {*}$args] cursor items
        foreach {f v} $items { dict set result $f $v }
        if {$cursor == 0} break
    }
    return $result
}

start_server {tags {hash}} {
    foreach enc {listpack hashtable} {
        set pairs $::hash_pairs($enc)
        set n [expr {[llength $pairs] / 2}]

        test "HSET, HLEN, HGET, TYPE on a new hash ($enc)" {
            r del h
            assert_equal [r hset h {*}$pairs] $n
            assert_encoding $enc h
            assert_equal [r hlen h] $n
            assert_equal [r type h] hash
            foreach {f v} $pairs { assert_equal [r hget h $f] $v }
            assert_equal [r hget h nosuchfield] {}
        }

        test "HSET counts only new fields and overwrites values ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hset h a 2 b world] 0
            assert_equal [r hset h a 3 newfield v] 1
            assert_equal [r hget h a] 3
            assert_equal [r hget h b] world
            assert_equal [r hget h newfield] v
            assert_equal [r hlen h] [expr {$n + 1}]
            # The same field twice in one call: the last value wins.
            assert_equal [r hset h dup 1 dup 2] 1
            assert_equal [r hget h dup] 2
        }

        test "HMSET replies OK and sets every pair ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hmset h a x z zz] OK
            assert_equal [r hget h a] x
            assert_equal [r hget h z] zz
        }

        test "HSETNX sets only a missing field ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hsetnx h a other] 0
            assert_equal [r hget h a] 1
            assert_equal [r hsetnx h fresh value] 1
            assert_equal [r hget h fresh] value
            assert_encoding $enc h
        }

        test "HMGET with present and missing fields ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hmget h a nosuch b nosuch2] {1 {} hello {}}
        }

        test "HEXISTS and HSTRLEN ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hexists h a] 1
            assert_equal [r hexists h nosuch] 0
            assert_equal [r hstrlen h b] 5
            assert_equal [r hstrlen h a] 1
            assert_equal [r hstrlen h c] 2
            assert_equal [r hstrlen h d] 11
            assert_equal [r hstrlen h e] 0
            assert_equal [r hstrlen h nosuch] 0
        }

        test "HKEYS, HVALS, HGETALL ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [lsort [r hkeys h]] [lsort [dict keys $pairs]]
            assert_equal [lsort [r hvals h]] [lsort [dict values $pairs]]
            assert_equal [sorted_pairs [r hgetall h]] [sorted_pairs $pairs]
            # HKEYS and HVALS walk in the same order as HGETALL.
            set all [r hgetall h]
            set keys {}
            set vals {}
            foreach {k v} $all { lappend keys $k; lappend vals $v }
            assert_equal [r hkeys h] $keys
            assert_equal [r hvals h] $vals
        }

        test "HDEL removes fields and the key with the last one ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hdel h a b nosuch a] 2
            assert_equal [r hlen h] [expr {$n - 2}]
            assert_equal [r hget h a] {}
            assert_equal [r hdel h a] 0
            assert_encoding $enc h
            assert_equal [r hdel h {*}[r hkeys h]] [expr {$n - 2}]
            assert_equal [r exists h] 0
        }

        test "HINCRBY on new, integer and non-integer fields ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hincrby h counter 5] 5
            assert_equal [r hincrby h counter -3] 2
            assert_equal [r hincrby h c -10] -17
            assert_equal [r hincrby h d 1] 12345678902
            assert_equal [r hget h c] -17
            assert_error {ERR hash value is not an integer} {r hincrby h b 1}
            assert_error {ERR hash value is not an integer} {r hincrby h e 1}
            assert_error {ERR value is not an integer or out of range} {r hincrby h a x}
            assert_error {ERR value is not an integer or out of range} {r hincrby h a 1.5}
        }

        test "HINCRBY overflow is refused in both directions ($enc)" {
            fill_hash h $enc $pairs
            r hset h max 9223372036854775806 min -9223372036854775807
            assert_equal [r hincrby h max 1] 9223372036854775807
            assert_error {ERR increment or decrement would overflow} {r hincrby h max 1}
            assert_equal [r hincrby h min -1] -9223372036854775808
            assert_error {ERR increment or decrement would overflow} {r hincrby h min -1}
            assert_equal [r hget h max] 9223372036854775807
            assert_equal [r hincrby h min 9223372036854775807] -1
        }

        test "HINCRBYFLOAT on new, numeric and non-numeric fields ($enc)" {
            fill_hash h $enc $pairs
            assert_equal [r hincrbyfloat h f 1.5] 1.5
            assert_equal [r hincrbyfloat h f 0.5] 2
            assert_equal [r hincrbyfloat h a 0.1] 1.1
            assert_equal [r hincrbyfloat h c 0.5] -6.5
            assert_equal [r hincrbyfloat h g 5.0e3] 5000
            assert_equal [r hget h a] 1.1
            assert_error {ERR hash value is not a float} {r hincrbyfloat h b 1}
            assert_error {ERR hash value is not a float} {r hincrbyfloat h e 1}
            assert_error {ERR value is not a valid float} {r hincrbyfloat h a x}
            assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h a inf}
            assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h a -inf}
            r hset h space { 1}
            assert_error {ERR hash value is not a float} {r hincrbyfloat h space 1}
            assert_error {ERR hash value is not an integer} {r hincrby h space 1}
        }
    }

    test {HGET, HLEN, HSTRLEN, HEXISTS, HMGET on a missing key} {
        r del nokey
        assert_equal [r hget nokey a] {}
        assert_equal [r hlen nokey] 0
        assert_equal [r hstrlen nokey a] 0
        assert_equal [r hexists nokey a] 0
        assert_equal [r hmget nokey a b] {{} {}}
        assert_equal [r hkeys nokey] {}
        assert_equal [r hvals nokey] {}
        assert_equal [r hgetall nokey] {}
        assert_equal [r hdel nokey a] 0
        assert_equal [r exists nokey] 0
    }

    test {Hash commands against a key of another type} {
        r del s
        r set s x
        foreach cmd {
            {hset s a 1} {hmset s a 1} {hsetnx s a 1} {hget s a} {hmget s a} {hdel s a}
            {hlen s} {hstrlen s a} {hexists s a} {hkeys s} {hvals s} {hgetall s}
            {hincrby s a 1} {hincrbyfloat s a 1} {hrandfield s} {hrandfield s 1}
            {hrandfield s 1 withvalues} {hscan s 0}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r get s] x
    }

    test {Arity errors} {
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hsetnx' command} {r hsetnx h a}
        assert_error {ERR wrong number of arguments for 'hget' command} {r hget h}
        assert_error {ERR wrong number of arguments for 'hmget' command} {r hmget h}
        assert_error {ERR wrong number of arguments for 'hdel' command} {r hdel h}
        assert_error {ERR wrong number of arguments for 'hincrby' command} {r hincrby h a}
        assert_error {ERR wrong number of arguments for 'hgetall' command} {r hgetall h x}
        assert_error {ERR wrong number of arguments for 'hscan' command} {r hscan h}
    }

    test {A failed write leaves no empty hash behind} {
        r del h
        assert_error {*not an integer*} {r hincrby h a x}
        assert_error {*valid float*} {r hincrbyfloat h a x}
        assert_error {*NaN*} {r hincrbyfloat h a inf}
        assert_error {*wrong number*} {r hset h a}
        assert_equal [r exists h] 0
    }

    test {Values that look like integers are stored and returned byte for byte} {
        foreach enc {listpack hashtable} {
            r del h
            if {$enc eq "hashtable"} { r hset h big $::hash_long_value }
            set vals {0 -1 127 128 -4096 4095 32768 -32769 8388608 -2147483649 2147483648
                9223372036854775807 -9223372036854775808 -0 007 +5 { 5} 1.0 0x10
                9223372036854775808 -9223372036854775809 1e3}
            set i 0
            foreach v $vals { r hset h f$i $v; r hset h $v field-$i; incr i }
            assert_encoding $enc h
            set i 0
            foreach v $vals {
                assert_equal [r hget h f$i] $v
                assert_equal [r hstrlen h f$i] [string length $v]
                assert_equal [r hget h $v] field-$i
                assert_equal [r hexists h $v] 1
                incr i
            }
            # Integer-looking fields are found only by their exact spelling.
            assert_equal [r hexists h 00] 0
            assert_equal [r hexists h -00] 0
            assert_equal [r hget h 07] {}
        }
    }

    test {Binary-safe fields and values} {
        r del h
        set f "a\x00b\r\n"
        set v "\x00\xff\x01 zero"
        r hset h $f $v
        assert_equal [r hget h $f] $v
        assert_equal [r hexists h a] 0
        assert_equal [r hstrlen h $f] [string length $v]
    }

    test {Long strings in a listpack hash: 12-bit and 32-bit headers} {
        r config set hash-max-listpack-value 10000
        try {
            r del h
            set a [string repeat a 4095]
            set b [string repeat b 4096]
            set c [string repeat c 9000]
            r hset h $a $b k $c
            assert_encoding listpack h
            assert_equal [r hget h $a] $b
            assert_equal [r hget h k] $c
            r hset h k short
            assert_equal [r hget h k] short
            assert_equal [r hlen h] 2
            r hdel h $a
            assert_equal [r hgetall h] {k short}
        } finally {
            r config set hash-max-listpack-value 64
        }
    }

    # ------------------------------------------------------ conversions

    test {Default limits: 512 fields, 64 bytes} {
        assert_equal [r config get hash-max-listpack-entries] {hash-max-listpack-entries 512}
        assert_equal [r config get hash-max-listpack-value] {hash-max-listpack-value 64}
        assert_equal [r config get hash-max-ziplist-entries] {hash-max-ziplist-entries 512}
        assert_equal [r config get hash-max-ziplist-value] {hash-max-ziplist-value 64}
    }

    test {Conversion at hash-max-listpack-entries} {
        r del h
        for {set i 0} {$i < 512} {incr i} { r hset h f$i v$i }
        assert_encoding listpack h
        assert_equal [r hlen h] 512
        r hset h f0 changed
        assert_encoding listpack h
        r hset h f512 v512
        assert_encoding hashtable h
        assert_equal [r hlen h] 513
        assert_equal [r hget h f0] changed
        assert_equal [r hget h f512] v512
        # Never converted back.
        r hdel h {*}[lrange [r hkeys h] 0 509]
        assert_equal [r hlen h] 3
        assert_encoding hashtable h
    }

    test {Conversion in one HSET with many fields} {
        r del h
        set args {}
        for {set i 0} {$i < 600} {incr i} { lappend args f$i $i }
        assert_equal [r hset h {*}$args] 600
        assert_encoding hashtable h
        assert_equal [r hget h f599] 599
    }

    test {Conversion at hash-max-listpack-value for fields and values} {
        set v64 [string repeat v 64]
        set v65 [string repeat v 65]
        r del h1 h2 h3
        r hset h1 f $v64 $v64 x
        assert_encoding listpack h1
        r hset h2 f $v65
        assert_encoding hashtable h2
        r hset h3 $v65 f
        assert_encoding hashtable h3
        assert_equal [r hget h2 f] $v65
        assert_equal [r hget h3 $v65] f
    }

    test {HSETNX converts only when it writes} {
        r config set hash-max-listpack-value 5
        try {
            r del h
            r hset h a 1
            assert_equal [r hsetnx h a 1234567] 0
            assert_encoding listpack h
            assert_equal [r hsetnx h b 1234567] 1
            assert_encoding hashtable h
        } finally {
            r config set hash-max-listpack-value 64
        }
    }

    test {HINCRBY and HINCRBYFLOAT convert when the result is too long} {
        r config set hash-max-listpack-value 5
        try {
            r del h1 h2
            r hset h1 x 123
            assert_equal [r hincrby h1 x 999999999] 1000000122
            assert_encoding hashtable h1
            r hset h2 x 12345
            assert_equal [r hincrbyfloat h2 x 0.5] 12345.5
            assert_encoding hashtable h2
            assert_equal [r hget h2 x] 12345.5
        } finally {
            r config set hash-max-listpack-value 64
        }
    }

    test {The hash-max-ziplist-* aliases set the same limits} {
        r config set hash-max-ziplist-entries 2
        try {
            assert_equal [r config get hash-max-listpack-entries] {hash-max-listpack-entries 2}
            r del h
            r hset h a 1 b 2
            assert_encoding listpack h
            r hset h c 3
            assert_encoding hashtable h
        } finally {
            r config set hash-max-ziplist-entries 512
        }
    }

    test {hash-max-listpack-entries 0 makes every hash a hashtable} {
        r config set hash-max-listpack-entries 0
        try {
            r del h
            r hset h a b
            assert_encoding hashtable h
            assert_equal [r hget h a] b
        } finally {
            r config set hash-max-listpack-entries 512
        }
    }

    # ------------------------------------------------------ HINCRBYFLOAT

    test {HINCRBYFLOAT number formats} {
        r del h
        r hset h e 0x10 big 1e400 n 10
        assert_equal [r hincrbyfloat h e 1] 17
        assert_equal [r hincrbyfloat h n 0.5] 10.5
        assert_equal [r hincrbyfloat h m 1e30] 1000000000000000000024696061952
        assert_equal [r hincrbyfloat h k 3.0] 3
        assert_equal [r hincrbyfloat h z 0] 0
        assert_equal [r hincrbyfloat h neg -1.5] -1.5
        set huge [r hincrbyfloat h big 1]
        assert_match {10000000000000000000*} $huge
        assert_equal [r hstrlen h big] [string length $huge]
    }

    test {HINCRBYFLOAT refuses a NaN or infinite result} {
        r del h
        r hset h a 1.18973149535723176e+4932
        assert_error {ERR increment would produce NaN or Infinity} {r hincrbyfloat h a 1.18973149535723176e+4932}
        assert_equal [r hget h a] 1.18973149535723176e+4932
    }

    # -------------------------------------------------------- HRANDFIELD

    foreach enc {listpack hashtable} {
        test "HRANDFIELD without count ($enc)" {
            fill_hash h $enc $::hash_pairs($enc)
            set fields [dict keys $::hash_pairs($enc)]
            set seen {}
            for {set i 0} {$i < 200} {incr i} {
                set f [r hrandfield h]
                assert_contains $fields $f
                dict set seen $f 1
            }
            assert_equal [dict size $seen] [llength $fields]
        }

        test "HRANDFIELD with a positive count returns distinct fields ($enc)" {
            set pairs {}
            for {set i 0} {$i < 40} {incr i} { lappend pairs f$i v$i }
            if {$enc eq "hashtable"} { lappend pairs big $::hash_long_value }
            fill_hash h $enc $pairs
            set size [expr {[llength $pairs] / 2}]
            foreach count [list 1 2 5 13 [expr {$size - 1}] $size [expr {$size + 10}] 1000] {
                set res [r hrandfield h $count]
                set want [expr {$count < $size ? $count : $size}]
                assert_equal [llength $res] $want
                assert_equal [llength [lsort -unique $res]] $want
                foreach f $res { assert {[dict exists $pairs $f]} }
                set res [r hrandfield h $count withvalues]
                assert_equal [llength $res] [expr {2 * $want}]
                set fs {}
                foreach {f v} $res {
                    assert_equal $v [dict get $pairs $f]
                    lappend fs $f
                }
                assert_equal [llength [lsort -unique $fs]] $want
            }
            # count >= size gives the whole hash.
            assert_equal [sorted_pairs [r hrandfield h $size withvalues]] [sorted_pairs $pairs]
        }

        test "HRANDFIELD with a negative count may repeat fields ($enc)" {
            set pairs {a 1 b 2 c 3}
            if {$enc eq "hashtable"} { lappend pairs big $::hash_long_value }
            fill_hash h $enc $pairs
            set res [r hrandfield h -100]
            assert_equal [llength $res] 100
            foreach f $res { assert {[dict exists $pairs $f]} }
            assert_equal [llength [lsort -unique $res]] [dict size $pairs]
            set res [r hrandfield h -2500 withvalues]
            assert_equal [llength $res] 5000
            foreach {f v} $res { assert_equal $v [dict get $pairs $f] }
            assert_equal [llength [r hrandfield h -1]] 1
        }
    }

    test {HRANDFIELD count 0, missing key, and argument errors} {
        fill_hash h listpack {a 1 b 2}
        assert_equal [r hrandfield h 0] {}
        assert_equal [r hrandfield h 0 withvalues] {}
        r del nokey
        assert_equal [r hrandfield nokey] {}
        assert_equal [r hrandfield nokey 5] {}
        assert_equal [r hrandfield nokey -5 withvalues] {}
        assert_error {ERR value is not an integer or out of range} {r hrandfield h abc}
        assert_error {ERR value is not an integer or out of range} {r hrandfield nokey abc}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalue}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalues x}
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
            {r hrandfield h -9223372036854775808}
        assert_error {ERR value is out of range} {r hrandfield h -4611686018427387904 withvalues}
        assert_error {ERR value is out of range} {r hrandfield nokey -4611686018427387904 withvalues}
        assert_error {ERR value is out of range} {r hrandfield h 4611686018427387904 withvalues}
    }

    test {HRANDFIELD reply shapes in RESP2} {
        fill_hash h listpack {a 1}
        assert_reply_raw [srv client] {hrandfield h} {{$1} a}
        assert_reply_raw [srv client] {hrandfield h 1} {*1 {$1} a}
        assert_reply_raw [srv client] {hrandfield h 5 withvalues} {*2 {$1} a {$1} 1}
        assert_reply_raw [srv client] {hrandfield h -2 withvalues} {*4 {$1} a {$1} 1 {$1} a {$1} 1}
        assert_reply_raw [srv client] {hrandfield nokey} {{$-1}}
        assert_reply_raw [srv client] {hrandfield nokey 1} {*0}
    }

    test {HRANDFIELD reply shapes in RESP3} {
        set c [redis_client -protocol 3]
        foreach enc {listpack hashtable} {
            if {$enc eq "listpack"} { fill_hash h listpack {a 1} } else {
                r del h
                r config set hash-max-listpack-entries 0
                r hset h a 1
                r config set hash-max-listpack-entries 512
                assert_encoding hashtable h
            }
            assert_reply_raw $c {hrandfield h 5 withvalues} {*1 *2 {$1} a {$1} 1}
            assert_reply_raw $c {hrandfield h -2 withvalues} {*2 *2 {$1} a {$1} 1 *2 {$1} a {$1} 1}
            assert_reply_raw $c {hrandfield h 1 withvalues} {*1 *2 {$1} a {$1} 1}
            assert_reply_raw $c {hrandfield h 2} {*1 {$1} a}
        }
        assert_reply_raw $c {hrandfield nokey} {_}
        $c close
    }

    # -------------------------------------------------- reply shapes

    test {HGETALL is a map in RESP3, HKEYS/HVALS/HMGET are arrays} {
        fill_hash h listpack {a 1}
        set c [redis_client -protocol 3]
        assert_reply_raw $c {hgetall h} {%1 {$1} a {$1} 1}
        assert_reply_raw $c {hgetall nokey} {%0}
        assert_reply_raw $c {hkeys h} {*1 {$1} a}
        assert_reply_raw $c {hvals nokey} {*0}
        assert_reply_raw $c {hmget h a zz} {*2 {$1} 1 _}
        assert_reply_raw $c {hget h zz} {_}
        assert_reply_raw $c {hincrbyfloat h a 0.5} {{$3} 1.5}
        $c close
        assert_reply_raw [srv client] {hgetall h} {*2 {$1} a {$3} 1.5}
        assert_reply_raw [srv client] {hgetall nokey} {*0}
        assert_reply_raw [srv client] {hget h zz} {{$-1}}
        assert_reply_raw [srv client] {hmget h zz} {*1 {$-1}}
        assert_reply_raw [srv client] {hincrbyfloat h a 0.5} {{$1} 2}
        assert_reply_raw [srv client] {hset h a 1} {:0}
        assert_reply_raw [srv client] {hmset h a 1} {+OK}
    }

    # ------------------------------------------------------------ HSCAN

    test {HSCAN of a listpack hash returns everything with cursor 0} {
        fill_hash h listpack {a 1 b 2 c 3}
        lassign [r hscan h 0] cursor items
        assert_equal $cursor 0
        assert_equal $items {a 1 b 2 c 3}
        # The cursor given does not matter.
        lassign [r hscan h 12345 count 1] cursor items
        assert_equal $cursor 0
        assert_equal $items {a 1 b 2 c 3}
        assert_equal [r hscan h 0 match b] {0 {b 2}}
        assert_equal [r hscan h 0 match zz*] {0 {}}
    }

    test {HSCAN of a hashtable hash visits every field} {
        r del h
        set model {}
        for {set i 0} {$i < 1000} {incr i} {
            r hset h key:$i $i
            dict set model key:$i $i
        }
        assert_encoding hashtable h
        assert_equal [sorted_pairs [hscan_all h]] [sorted_pairs $model]
        assert_equal [sorted_pairs [hscan_all h count 100]] [sorted_pairs $model]
        set m [hscan_all h match key:1??]
        assert_equal [dict size $m] 100
        dict for {f v} $m { assert_match key:1?? $f; assert_equal $f key:$v }
        # A step returns a bounded batch and a non-zero cursor.
        lassign [r hscan h 0 count 10] cursor items
        assert {$cursor != 0}
        assert {[llength $items] < 200}
    }

    test {HSCAN errors and missing key} {
        fill_hash h listpack {a 1}
        r del nokey
        assert_equal [r hscan nokey 0] {0 {}}
        assert_equal [r hscan nokey 0 count 0] {0 {}}
        assert_error {ERR invalid cursor} {r hscan h abc}
        assert_error {ERR invalid cursor} {r hscan nokey 1x}
        assert_error {ERR syntax error} {r hscan h 0 count 0}
        assert_error {ERR syntax error} {r hscan h 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r hscan h 0 count x}
        assert_error {ERR syntax error} {r hscan h 0 foo}
        assert_error {ERR syntax error} {r hscan h 0 count}
        assert_error {ERR syntax error} {r hscan h 0 type string}
    }

    # --------------------------------------------------------------- COPY

    test {COPY of a hash is deep, for both encodings} {
        needs_commands copy
        foreach enc {listpack hashtable} {
            fill_hash h $enc $::hash_pairs($enc)
            r del h2
            assert_equal [r copy h h2] 1
            assert_encoding $enc h2
            assert_equal [sorted_pairs [r hgetall h2]] [sorted_pairs [r hgetall h]]
            r hset h2 a changed
            r hdel h2 b
            assert_equal [r hget h a] 1
            assert_equal [r hget h b] hello
        }
    }

    # ------------------------------------------------------- randomized

    foreach {enc size} {listpack 60 hashtable 700} {
        test "Randomized operations agree with a dict model ($enc)" {
            r del h
            set model {}
            if {$enc eq "hashtable"} {
                r hset h big $::hash_long_value
                dict set model big $::hash_long_value
            }
            for {set i 0} {$i < 3000} {incr i} {
                set f [randomInt $size]
                switch [randomInt 6] {
                    0 - 1 {
                        set v [randstring 0 20 alpha]
                        set added [r hset h $f $v]
                        assert_equal $added [expr {![dict exists $model $f]}]
                        dict set model $f $v
                    }
                    2 {
                        set deleted [r hdel h $f]
                        assert_equal $deleted [dict exists $model $f]
                        dict unset model $f
                    }
                    3 {
                        set incr [expr {[randomInt 2000] - 1000}]
                        if {[dict exists $model $f] && ![regexp {^(0|-?[1-9][0-9]{0,17})$} [dict get $model $f]]} {
                            assert_error {*not an integer*} {r hincrby h $f $incr}
                        } else {
                            set old [if {[dict exists $model $f]} {dict get $model $f} else {list 0}]
                            assert_equal [r hincrby h $f $incr] [expr {$old + $incr}]
                            dict set model $f [expr {$old + $incr}]
                        }
                    }
                    4 {
                        set v [randomInt 100000]
                        set set [r hsetnx h $f $v]
                        assert_equal $set [expr {![dict exists $model $f]}]
                        if {$set} { dict set model $f $v }
                    }
                    5 {
                        set want [if {[dict exists $model $f]} {dict get $model $f} else {list}]
                        assert_equal [r hget h $f] $want
                    }
                }
            }
            assert_equal [r hlen h] [dict size $model]
            assert_equal [sorted_pairs [r hgetall h]] [sorted_pairs $model]
            if {[dict size $model] > 0} { assert_encoding $enc h }
        }
    }
}
