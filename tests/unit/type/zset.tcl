# The sorted set type: ZADD and its flags, ZINCRBY, ZREM, the lookups
# (ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT), the ZRANGE family
# and ZRANGESTORE, the ZREMRANGEBY* commands, the pops (ZPOPMIN ZPOPMAX
# ZMPOP), ZRANDMEMBER, ZSCAN, the set operations (ZUNION ZINTER ZDIFF, their
# STORE forms, ZINTERCARD), score formatting, both encodings and the
# conversions between them, and a randomized comparison with a Tcl model.
#
# Most tests run twice: once with the listpack encoding (default limits)
# and once with zset-max-listpack-entries 0, which forces the skiplist.

# Sets the limits so that new sets get the given encoding.
proc zset_use_encoding {enc} {
    if {$enc eq "listpack"} {
        r config set zset-max-listpack-entries 128
        r config set zset-max-listpack-value 64
    } else {
        r config set zset-max-listpack-entries 0
        r config set zset-max-listpack-value 0
    }
}

# Recreates key with the given score/member pairs.
proc zset_create {key pairs} {
    r del $key
    r zadd $key {*}$pairs
}

# The members and scores of a Tcl model (a dict member -> score) as
# ZRANGE ... WITHSCORES lists them: by score, then member bytes.
proc zset_model_range {model} {
    set pairs {}
    dict for {m s} $model { lappend pairs [list $m $s] }
    set pairs [lsort -ascii -index 0 $pairs]
    set pairs [lsort -real -index 1 $pairs]
    set out {}
    foreach p $pairs { lappend out [lindex $p 0] [lindex $p 1] }
    return $out
}

start_server {tags {zset}} {
    foreach enc {listpack skiplist} {
        zset_use_encoding $enc

        test "ZADD creates a $enc set and counts new members - $enc" {
            r del z
            assert_equal [r zadd z 1 a 2 b 3 c] 3
            assert_encoding $enc z
            assert_equal [r zadd z 10 a] 0
            assert_equal [r zadd z 1 a 4 d] 1
            assert_equal [r zrange z 0 -1 withscores] {a 1 b 2 c 3 d 4}
            assert_equal [r zcard z] 4
            assert_equal [r zcard nokey] 0
        }

        test "ZADD orders ties by member bytes - $enc" {
            zset_create z {1 c 1 a 1 b 0 z 2 aa}
            assert_equal [r zrange z 0 -1] {z a b c aa}
        }

        test "ZADD NX / XX / CH - $enc" {
            zset_create z {1 a 2 b}
            assert_equal [r zadd z nx 5 a 6 e] 1
            assert_equal [r zadd z xx 5 a 6 f] 0
            assert_equal [r zrange z 0 -1 withscores] {b 2 a 5 e 6}
            assert_equal [r zadd z ch 7 a 8 b 9 g] 3
            assert_equal [r zadd z ch 7 a] 0
            r del nokey
            assert_equal [r zadd nokey xx 1 a] 0
            assert_equal [r exists nokey] 0
        }

        test "ZADD GT / LT - $enc" {
            zset_create z {5 a 5 b}
            assert_equal [r zadd z gt ch 1 a 100 b] 1
            assert_equal [r zrange z 0 -1 withscores] {a 5 b 100}
            assert_equal [r zadd z lt ch 1 a 200 b] 1
            assert_equal [r zrange z 0 -1 withscores] {a 1 b 100}
            assert_equal [r zadd z gt 3 c] 1
            assert_equal [r zrange z 0 -1 withscores] {a 1 c 3 b 100}
        }

        test "ZADD INCR and its interplay with NX XX GT LT - $enc" {
            zset_create z {1 a}
            assert_equal [r zadd z incr 10 a] 11
            assert_equal [r zadd z incr nx 10 a] {}
            assert_equal [r zadd z incr xx 10 nope] {}
            assert_equal [r zadd z incr nx 3 b] 3
            assert_equal [r zadd z incr gt -1 a] {}
            assert_equal [r zadd z incr lt -1 a] 10
            assert_equal [r zrange z 0 -1 withscores] {b 3 a 10}
        }

        test "ZADD errors - $enc" {
            zset_create z {1 a}
            assert_error {ERR XX and NX options at the same time are not compatible} {r zadd z xx nx 1 a}
            assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z gt nx 1 a}
            assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z gt lt 1 a}
            assert_error {ERR INCR option supports a single increment-element pair} {r zadd z incr 1 a 2 b}
            assert_error {ERR wrong number of arguments*} {r zadd z 1}
            assert_error {ERR syntax error} {r zadd z 1 a 2}
            assert_error {ERR wrong number of arguments*} {r zadd z nx}
            assert_error {ERR value is not a valid float} {r zadd z abc a}
            assert_error {ERR value is not a valid float} {r zadd z nan a}
            assert_error {ERR value is not a valid float} {r zadd z 1 a x b}
            assert_equal [r zrange z 0 -1 withscores] {a 1}
            r set str foo
            assert_error {WRONGTYPE*} {r zadd str 1 a}
        }

        test "ZADD and ZINCRBY with infinities - $enc" {
            zset_create z {inf a -inf b}
            assert_equal [r zrange z 0 -1 withscores] {b -inf a inf}
            assert_equal [r zincrby z 1 a] inf
            assert_error {ERR resulting score is not a number (NaN)} {r zincrby z -inf a}
            assert_error {ERR resulting score is not a number (NaN)} {r zadd z incr -inf a}
            assert_equal [r zscore z a] inf
        }

        test "ZINCRBY - $enc" {
            r del z
            assert_equal [r zincrby z 2 x] 2
            assert_equal [r zincrby z 1.5 x] 3.5
            assert_equal [r zincrby z -5 x] -1.5
            assert_error {ERR value is not a valid float} {r zincrby z abc x}
            assert_error {ERR syntax error} {r zincrby z nx x}
            assert_encoding $enc z
        }

        test "Score formatting - $enc" {
            zset_create z {1.1 a 1e20 b 0.1 c -0.0 d 1e-5 e 3 f 1.5e300 g}
            # A negative zero stays one in a skiplist; a listpack stores 0.
            set zero [if {$enc eq "listpack"} {list 0} else {list -0}]
            assert_equal [r zrange z 0 -1 withscores] [list d $zero e 1.0000000000000001e-05 c 0.10000000000000001 a 1.1000000000000001 \
                              f 3 b 1e+20 g 1.5000000000000001e+300]
            assert_equal [r zscore z a] 1.1000000000000001
            assert_equal [r zscore z b] 1e+20
        }

        test "ZSCAN shows the stored score text - $enc" {
            zset_create z {123456789012345678 a 6e18 b 1.5 c -0.0 d 4611686018427387904 e}
            set got [dict create {*}[lindex [r zscan z 0 count 100] 1]]
            if {$enc eq "listpack"} {
                # Integral scores within 2^62 are kept as integers.
                assert_equal [lmap m {a b c d e} {dict get $got $m}] \
                    {123456789012345680 6e+18 1.5 0 4611686018427387904}
            } else {
                assert_equal [lmap m {a b c d e} {dict get $got $m}] \
                    {1.2345678901234568e+17 6e+18 1.5 -0 4.6116860184273879e+18}
            }
            assert_equal [r zscore z a] 1.2345678901234568e+17
        }

        test "ZREM - $enc" {
            zset_create z {1 a 2 b 3 c}
            assert_equal [r zrem z a nope b] 2
            assert_equal [r zrem z nope] 0
            assert_equal [r zrange z 0 -1] {c}
            assert_equal [r zrem z c] 1
            assert_equal [r exists z] 0
            assert_equal [r zrem nokey a] 0
        }

        test "ZSCORE / ZMSCORE - $enc" {
            zset_create z {1 a 2.5 b}
            assert_equal [r zscore z b] 2.5
            assert_equal [r zscore z nope] {}
            assert_equal [r zscore nokey a] {}
            assert_equal [r zmscore z a nope b] {1 {} 2.5}
            assert_equal [r zmscore nokey a b] {{} {}}
            assert_error {ERR wrong number of arguments*} {r zmscore z}
        }

        test "ZRANK / ZREVRANK - $enc" {
            zset_create z {1 a 2 b 3 c}
            assert_equal [list [r zrank z a] [r zrank z b] [r zrank z c]] {0 1 2}
            assert_equal [list [r zrevrank z a] [r zrevrank z b] [r zrevrank z c]] {2 1 0}
            assert_equal [r zrank z nope] {}
            assert_equal [r zrevrank nokey a] {}
        }

        test "ZCOUNT and score range syntax - $enc" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal [r zcount z -inf +inf] 4
            assert_equal [r zcount z (1 3] 2
            assert_equal [r zcount z (1 (3] 1
            assert_equal [r zcount z 3 1] 0
            assert_equal [r zcount z (2 (2] 0
            assert_equal [r zcount z 2 2] 1
            assert_equal [r zcount nokey 0 1] 0
            assert_error {ERR min or max is not a float} {r zcount z a 1}
            assert_error {ERR min or max is not a float} {r zcount z 1 (x}
            assert_error {ERR min or max is not a float} {r zcount z (nan 1}
            # What strtod takes: an empty bound is 0, blanks lead, hex.
            assert_equal [r zcount z ( 1] 1
            assert_equal [r zcount z " 2" 5] 3
            assert_equal [r zcount z 0x1 0x2] 2
        }

        test "ZRANGE by rank - $enc" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal [r zrange z 0 -1] {a b c d}
            assert_equal [r zrange z 1 2] {b c}
            assert_equal [r zrange z -2 -1] {c d}
            assert_equal [r zrange z -100 100] {a b c d}
            assert_equal [r zrange z 5 10] {}
            assert_equal [r zrange z 2 1] {}
            assert_equal [r zrevrange z 0 -1] {d c b a}
            assert_equal [r zrevrange z 0 1 withscores] {d 4 c 3}
            assert_equal [r zrange z 1 2 rev] {c b}
            assert_equal [r zrange nokey 0 -1] {}
            assert_error {ERR value is not an integer or out of range} {r zrange z a 1}
        }

        test "ZRANGE BYSCORE / ZRANGEBYSCORE / ZREVRANGEBYSCORE - $enc" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_equal [r zrangebyscore z (1 3 withscores] {b 2 c 3}
            assert_equal [r zrange z 2 4 byscore] {b c d}
            assert_equal [r zrange z 4 2 byscore rev] {d c b}
            assert_equal [r zrevrangebyscore z (5 3 limit 0 2] {d c}
            assert_equal [r zrevrangebyscore z 1 5] {}
            assert_equal [r zrangebyscore z -inf +inf limit 2 2] {c d}
            assert_equal [r zrangebyscore z -inf +inf limit 2 -1] {c d e}
            assert_equal [r zrangebyscore z -inf +inf limit -1 2] {}
            assert_equal [r zrangebyscore z -inf +inf limit 0 0] {}
            assert_equal [r zrangebyscore z -inf +inf limit 10 2] {}
            assert_equal [r zrangebyscore z (3 (3] {}
            assert_equal [r zrangebyscore z 10 +inf] {}
            assert_equal [r zrangebyscore z -inf (3] {a b}
            assert_error {ERR min or max is not a float} {r zrangebyscore z x 1}
        }

        test "ZRANGE BYLEX / ZRANGEBYLEX / ZREVRANGEBYLEX / ZLEXCOUNT - $enc" {
            zset_create z {0 a 0 b 0 c 0 d 0 e 0 f 0 g}
            assert_equal [r zrangebylex z - +] {a b c d e f g}
            assert_equal [r zrangebylex z {[b} (e] {b c d}
            assert_equal [r zrangebylex z (b {[e} limit 1 2] {d e}
            assert_equal [r zrevrangebylex z + -] {g f e d c b a}
            assert_equal [r zrevrangebylex z {[e} (b] {e d c}
            assert_equal [r zrange z {[e} (b bylex rev] {e d c}
            assert_equal [r zrangebylex z + -] {}
            assert_equal [r zrangebylex z - -] {}
            assert_equal [r zrangebylex z {[a} {[a}] {a}
            assert_equal [r zrangebylex z (a (a] {}
            assert_equal [r zrangebylex z {[} {[c}] {a b c}
            assert_equal [r zlexcount z - +] 7
            assert_equal [r zlexcount z {[b} {[d}] 3
            assert_equal [r zlexcount z (b (d] 1
            assert_equal [r zlexcount nokey - +] 0
            assert_error {ERR min or max not valid string range item} {r zrangebylex z a b}
            assert_error {ERR min or max not valid string range item} {r zrangebylex z -a +}
            assert_error {ERR min or max not valid string range item} {r zlexcount z x y}
        }

        test "ZRANGE option errors - $enc" {
            zset_create z {1 a 2 b}
            assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
                {r zrange z 0 -1 limit 0 1}
            assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
                {r zrevrange z 0 -1 limit 0 1}
            # a count of -1 is "no limit": accepted with a rank range, and the
            # offset is then ignored (found by utils/difftest.py)
            assert_equal [r zrange z 0 -1 limit 1 -1] {a b}
            assert_equal [r zrange z 0 -1 rev limit 5 -1] {b a}
            assert_equal [r zrevrange z 0 0 limit 3 -1] {b}
            assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} \
                {r zrange z - + bylex withscores}
            assert_error {ERR syntax error} {r zrange z - + bylex byscore}
            assert_error {ERR syntax error} {r zrange z 0 -1 rev rev}
            assert_error {ERR syntax error} {r zrangebyscore z 0 1 rev}
            assert_error {ERR syntax error} {r zrangebyscore z 0 1 bylex}
            assert_error {ERR syntax error} {r zrange z 0 -1 limit 0}
            assert_error {ERR syntax error} {r zrange z 0 1 foo}
            assert_error {ERR value is not an integer or out of range} {r zrange z 0 1 byscore limit a 1}
            r set str foo
            assert_error {WRONGTYPE*} {r zrange str 0 -1}
        }

        test "ZRANGESTORE - $enc" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal [r zrangestore dst z 0 1] 2
            assert_equal [r zrange dst 0 -1 withscores] {a 1 b 2}
            assert_equal [r zrangestore dst z (1 3 byscore] 2
            assert_equal [r zrange dst 0 -1] {b c}
            assert_equal [r zrangestore dst z 4 1 byscore rev limit 1 2] 2
            assert_equal [r zrange dst 0 -1] {b c}
            assert_equal [r zrangestore dst z {[c} + bylex] 2
            assert_equal [r zrange dst 0 -1] {c d}
            assert_encoding $enc dst
            assert_equal [r zrangestore dst z 5 10] 0
            assert_equal [r exists dst] 0
            r set dst x
            assert_equal [r zrangestore dst nokey 0 -1] 0
            assert_equal [r exists dst] 0
            assert_error {ERR syntax error} {r zrangestore dst z 0 -1 withscores}
            r set str foo
            assert_error {WRONGTYPE*} {r zrangestore dst str 0 -1}
            # Storing over the source itself.
            assert_equal [r zrangestore z z 1 2] 2
            assert_equal [r zrange z 0 -1] {b c}
        }

        test "ZREMRANGEBYRANK / BYSCORE / BYLEX - $enc" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_equal [r zremrangebyrank z 0 1] 2
            assert_equal [r zrange z 0 -1] {c d e}
            assert_equal [r zremrangebyrank z -1 -1] 1
            assert_equal [r zremrangebyrank z 5 10] 0
            assert_error {ERR value is not an integer or out of range} {r zremrangebyrank z a 1}
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_equal [r zremrangebyscore z (1 3] 2
            assert_equal [r zrange z 0 -1] {a d e}
            assert_error {ERR min or max is not a float} {r zremrangebyscore z x 3}
            assert_equal [r zremrangebyscore z -inf +inf] 3
            assert_equal [r exists z] 0
            assert_equal [r zremrangebyscore z -inf +inf] 0
            zset_create z {0 a 0 b 0 c 0 d 0 e}
            assert_equal [r zremrangebylex z {[b} (d] 2
            assert_equal [r zrange z 0 -1] {a d e}
            assert_error {ERR min or max not valid string range item} {r zremrangebylex z a b}
            assert_equal [r zremrangebylex z - +] 3
            assert_equal [r exists z] 0
        }

        test "ZPOPMIN / ZPOPMAX - $enc" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal [r zpopmin z] {a 1}
            assert_equal [r zpopmax z 2] {d 4 c 3}
            assert_equal [r zpopmin z 0] {}
            assert_equal [r zpopmin z 10] {b 2}
            assert_equal [r exists z] 0
            assert_equal [r zpopmin nokey] {}
            assert_equal [r zpopmax nokey 3] {}
            assert_error {ERR value is out of range, must be positive} {r zpopmin z -1}
            assert_error {ERR syntax error} {r zpopmin z 1 2}
            r set str foo
            assert_error {WRONGTYPE*} {r zpopmin str}
            assert_error {WRONGTYPE*} {r zpopmin str 0}
        }

        test "ZMPOP - $enc" {
            r del z nokey
            r zadd z 1 a 2 b 3 c
            assert_equal [r zmpop 2 nokey z min] {z {{a 1}}}
            assert_equal [r zmpop 1 z max count 10] {z {{c 3} {b 2}}}
            assert_equal [r exists z] 0
            assert_equal [r zmpop 2 z nokey min] {}
            assert_error {ERR numkeys should be greater than 0} {r zmpop 0 z min}
            assert_error {ERR numkeys should be greater than 0} {r zmpop a z min}
            assert_error {ERR count should be greater than 0} {r zmpop 1 z min count 0}
            assert_error {ERR syntax error} {r zmpop 2 z min}
            assert_error {ERR syntax error} {r zmpop 1 z left}
            assert_error {ERR syntax error} {r zmpop 1 z min count 1 count 1}
            assert_error {ERR syntax error} {r zmpop 1 z min foo}
            r set str foo
            assert_error {WRONGTYPE*} {r zmpop 1 str min}
        }

        test "ZRANDMEMBER - $enc" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_contains {a b c d e} [r zrandmember z]
            assert_equal [r zrandmember nokey] {}
            assert_equal [r zrandmember nokey 5] {}
            assert_equal [r zrandmember z 0] {}
            # The whole set, highest first, when count reaches the size.
            assert_equal [r zrandmember z 5 withscores] {e 5 d 4 c 3 b 2 a 1}
            assert_equal [r zrandmember z 100] {e d c b a}
            # Distinct members for a positive count.
            for {set i 0} {$i < 20} {incr i} {
                set res [r zrandmember z 3]
                assert_equal [llength [lsort -unique $res]] 3
                set res [r zrandmember z 2 withscores]
                assert_equal [llength $res] 4
                foreach {m s} $res { assert_equal $s [r zscore z $m] }
            }
            # Repetitions allowed for a negative count.
            set res [r zrandmember z -20]
            assert_equal [llength $res] 20
            foreach m $res { assert_contains {a b c d e} $m }
            assert_equal [llength [r zrandmember z -20 withscores]] 40
            assert_error {ERR syntax error} {r zrandmember z 1 foo}
            assert_error {ERR value is not an integer or out of range} {r zrandmember z a}
            assert_error {ERR value is out of range} {r zrandmember z 4611686018427387904 withscores}
            assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
                {r zrandmember z -9223372036854775808}
            r set str foo
            assert_error {WRONGTYPE*} {r zrandmember str}
        }

        test "ZRANDMEMBER distribution covers every member - $enc" {
            r del z
            for {set i 0} {$i < 50} {incr i} { r zadd z $i m$i }
            set seen {}
            foreach m [r zrandmember z -2000] { dict set seen $m 1 }
            assert_equal [dict size $seen] 50
            set seen {}
            for {set i 0} {$i < 30} {incr i} {
                foreach m [r zrandmember z 10] { dict set seen $m 1 }
            }
            assert_morethan [dict size $seen] 40
        }

        test "ZSCAN - $enc" {
            r del z
            set expected {}
            for {set i 0} {$i < 100} {incr i} {
                r zadd z $i.5 m$i
                dict set expected m$i $i.5
            }
            if {$enc eq "listpack"} { assert_encoding listpack z }
            set cursor 0
            set got {}
            while 1 {
                lassign [r zscan z $cursor] cursor items
                foreach {m s} $items { dict set got $m $s }
                if {$cursor == 0} break
            }
            assert_equal [lsort [dict keys $got]] [lsort [dict keys $expected]]
            dict for {m s} $expected { assert_equal [dict get $got $m] $s }
            lassign [r zscan z 0 match m1* count 1000] cursor items
            assert_equal [llength $items] 22
            assert_equal [r zscan nokey 0] {0 {}}
            assert_error {ERR invalid cursor} {r zscan z x}
            r set str foo
            assert_error {WRONGTYPE*} {r zscan str 0}
        }

        test "ZUNION / ZINTER / ZDIFF - $enc" {
            zset_create z1 {1 a 2 b 3 c}
            zset_create z2 {10 b 20 c 30 d}
            assert_equal [r zunion 2 z1 z2 withscores] {a 1 b 12 c 23 d 30}
            assert_equal [r zunion 2 z1 z2] {a b c d}
            assert_equal [r zunion 2 z1 z2 weights 2 0.5 withscores] {a 2 b 9 d 15 c 16}
            assert_equal [r zunion 2 z1 z2 aggregate min withscores] {a 1 b 2 c 3 d 30}
            assert_equal [r zunion 2 z1 z2 aggregate max withscores] {a 1 b 10 c 20 d 30}
            assert_equal [r zinter 2 z1 z2 withscores] {b 12 c 23}
            assert_equal [r zinter 2 z1 z2 aggregate max withscores] {b 10 c 20}
            assert_equal [r zdiff 2 z1 z2 withscores] {a 1}
            assert_equal [r zdiff 2 z2 z1] {d}
            assert_equal [r zunion 2 z1 nokey] {a b c}
            assert_equal [r zinter 2 z1 nokey] {}
            assert_equal [r zdiff 2 nokey z1] {}
        }

        test "ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE - $enc" {
            zset_create z1 {1 a 2 b 3 c}
            zset_create z2 {10 b 20 c 30 d}
            assert_equal [r zunionstore dst 2 z1 z2] 4
            assert_equal [r zrange dst 0 -1 withscores] {a 1 b 12 c 23 d 30}
            assert_encoding $enc dst
            assert_equal [r zinterstore dst 2 z1 z2 weights 1 2] 2
            assert_equal [r zrange dst 0 -1 withscores] {b 22 c 43}
            assert_equal [r zdiffstore dst 2 z1 z2] 1
            assert_equal [r zrange dst 0 -1 withscores] {a 1}
            assert_equal [r zdiffstore dst 2 z1 z1] 0
            assert_equal [r exists dst] 0
            # The destination may be an input.
            assert_equal [r zunionstore z1 2 z1 z2] 4
            assert_equal [r zrange z1 0 -1 withscores] {a 1 b 12 c 23 d 30}
        }

        test "ZINTERCARD - $enc" {
            zset_create z1 {1 a 2 b 3 c}
            zset_create z2 {10 b 20 c 30 d}
            assert_equal [r zintercard 2 z1 z2] 2
            assert_equal [r zintercard 2 z1 z2 limit 1] 1
            assert_equal [r zintercard 2 z1 z2 limit 0] 2
            assert_equal [r zintercard 2 z1 nokey] 0
            assert_error {ERR LIMIT can't be negative} {r zintercard 2 z1 z2 limit -1}
            assert_error {ERR syntax error} {r zintercard 2 z1 z2 withscores}
            assert_error {ERR at least 1 input key is needed for 'zintercard' command} {r zintercard 0 z1}
        }

        test "Set operations with plain sets as inputs - $enc" {
            zset_create z1 {1 a 2 b 3 c}
            r del s1
            r sadd s1 a d x
            assert_equal [r zunion 2 z1 s1 weights 1 2 withscores] {b 2 d 2 x 2 a 3 c 3}
            assert_equal [r zinter 2 z1 s1 withscores] {a 2}
            assert_equal [r zdiff 2 z1 s1 withscores] {b 2 c 3}
            assert_equal [r zdiff 2 s1 z1 withscores] {d 1 x 1}
            assert_equal [r zintercard 2 s1 z1] 1
        }

        test "Set operation errors - $enc" {
            zset_create z1 {1 a}
            r set str foo
            assert_error {ERR at least 1 input key is needed for 'zunion' command} {r zunion 0 z1}
            assert_error {ERR at least 1 input key is needed for 'zunionstore' command} {r zunionstore d 0 z1}
            assert_error {ERR at least 1 input key is needed for 'zdiff' command} {r zdiff -1 z1}
            assert_error {ERR value is not an integer or out of range} {r zunion a z1}
            assert_error {ERR syntax error} {r zunion 3 z1 z1}
            assert_error {ERR syntax error} {r zunion 2 z1 z1 weights 1}
            assert_error {ERR weight value is not a float} {r zunion 2 z1 z1 weights 1 a}
            assert_error {ERR syntax error} {r zunion 2 z1 z1 aggregate foo}
            assert_error {ERR syntax error} {r zunion 2 z1 z1 aggregate}
            assert_error {ERR syntax error} {r zdiff 2 z1 z1 weights 1 2}
            assert_error {ERR syntax error} {r zunionstore d 2 z1 z1 withscores}
            assert_error {WRONGTYPE*} {r zunion 2 z1 str}
            assert_error {WRONGTYPE*} {r zinterstore d 2 str z1}
        }

        test "Infinities and NaN in set operations - $enc" {
            zset_create i1 {inf a -inf b 1 c}
            zset_create i2 {-inf a inf b 0 c}
            # inf + -inf is taken as 0, as is 0 * inf.
            assert_equal [r zunion 2 i1 i2 withscores] {a 0 b 0 c 1}
            assert_equal [r zunion 2 i1 i2 weights 0 1 withscores] {a -inf c 0 b inf}
            assert_equal [r zinter 2 i1 i2 withscores] {a 0 b 0 c 1}
        }

        test "Float sums follow the input order by size - $enc" {
            zset_create f1 {0.1 a 0.2 b}
            zset_create f2 {0.2 a 0.1 b}
            zset_create f3 {0.7 a 0.3 b 5 c}
            assert_equal [r zunion 3 f1 f2 f3 withscores] [r zunion 3 f3 f1 f2 withscores]
            assert_equal [r zunion 3 f3 f1 f2 withscores] {b 0.60000000000000009 a 1 c 5}
        }

        test "COPY of a sorted set - $enc" {
            zset_create z {1 a 2 b 3 c}
            r del z2
            assert_equal [r copy z z2] 1
            assert_encoding $enc z2
            r zadd z 4 d
            assert_equal [r zrange z2 0 -1 withscores] {a 1 b 2 c 3}
        }
    }

    # Back to the defaults.
    zset_use_encoding listpack

    test {TYPE and OBJECT ENCODING of a sorted set} {
        zset_create z {1 a}
        assert_equal [r type z] zset
        assert_encoding listpack z
    }

    test {Conversion to skiplist on too many entries} {
        r config set zset-max-listpack-entries 4
        zset_create z {1 a 2 b 3 c 4 d}
        assert_encoding listpack z
        r zadd z 5 e
        assert_encoding skiplist z
        # A removal does not convert back.
        r zrem z e d
        assert_encoding skiplist z
        r config set zset-max-listpack-entries 128
    }

    test {Conversion to skiplist on a long member} {
        zset_create z {1 a}
        r zadd z 2 [string repeat x 64]
        assert_encoding listpack z
        r zadd z 3 [string repeat x 65]
        assert_encoding skiplist z
        zset_create z [list 1 [string repeat x 65]]
        assert_encoding skiplist z
        r del z
        r zincrby z 1 [string repeat x 65]
        assert_encoding skiplist z
    }

    test {ZADD on a new key with more members than the limit} {
        r config set zset-max-listpack-entries 4
        zset_create z {1 a 2 b 3 c 4 d 5 e}
        assert_encoding skiplist z
        # Repeated members count once.
        zset_create z {1 a 1 a 1 a 1 a 1 a 1 a}
        assert_encoding listpack z
        r config set zset-max-listpack-entries 128
    }

    test {ZRANGESTORE and ZUNIONSTORE destination encodings} {
        r config set zset-max-listpack-entries 4
        zset_create z {1 a 2 b 3 c 4 d 5 e}
        assert_encoding skiplist z
        r zrangestore dst z 0 2
        assert_encoding listpack dst
        r zrangestore dst z 0 -1
        assert_encoding skiplist dst
        r zunionstore dst 1 z
        assert_encoding skiplist dst
        r zremrangebyrank z 0 2
        assert_encoding skiplist z
        r zunionstore dst 1 z
        assert_encoding listpack dst
        r zinterstore dst 1 z
        assert_encoding listpack dst
        r config set zset-max-listpack-entries 128
        zset_create z {1 a}
        r zadd z 2 [string repeat x 65]
        r zunionstore dst 1 z
        assert_encoding skiplist dst
        r zrem z [string repeat x 65]
        r zunionstore dst 1 z
        assert_encoding listpack dst
    }

    test {Converted sets keep their content} {
        r config set zset-max-listpack-entries 10
        r del z
        set model {}
        for {set i 0} {$i < 30} {incr i} {
            set s [expr {[randomInt 20] - 10}]
            r zadd z $s m$i
            dict set model m$i $s
        }
        assert_encoding skiplist z
        assert_equal [r zrange z 0 -1 withscores] [zset_model_range $model]
        r config set zset-max-listpack-entries 128
    }

    test {zset-max-ziplist-* are aliases} {
        r config set zset-max-ziplist-entries 7
        assert_equal [r config get zset-max-listpack-entries] {zset-max-listpack-entries 7}
        r config set zset-max-ziplist-value 33
        assert_equal [r config get zset-max-listpack-value] {zset-max-listpack-value 33}
        zset_use_encoding listpack
    }

    test {RESP3 replies: scores are doubles, WITHSCORES gives pairs} {
        set rd [redis_client -protocol 3]
        $rd del z
        $rd zadd z 1 a 2.5 b 3 c
        assert_equal [$rd zrange z 0 -1 withscores] {{a 1} {b 2.5} {c 3}}
        assert_equal [$rd zrevrangebyscore z +inf 2 withscores] {{c 3} {b 2.5}}
        assert_equal [$rd zrange z 0 -1] {a b c}
        assert_equal [$rd zscore z b] 2.5
        assert_equal [$rd zpopmin z] {a 1}
        assert_equal [$rd zpopmin z 1] {{b 2.5}}
        $rd zadd z 1 a 2 b
        assert_equal [$rd zmpop 1 z min] {z {{a 1}}}
        assert_equal [$rd zunion 1 z withscores] {{b 2} {c 3}}
        assert_equal [$rd zrandmember z 5 withscores] {{c 3} {b 2}}
        $rd close
    }

    test {RESP3 raw shape of ZRANGE WITHSCORES and ZSCORE} {
        set rd [redis_client -protocol 3]
        $rd del z
        $rd zadd z 1.5 a
        assert_reply_raw $rd {zrange z 0 -1 withscores} {*1 *2 $1 a ,1.5}
        assert_reply_raw $rd {zscore z a} {,1.5}
        assert_reply_raw $rd {zscore z nope} {_}
        assert_reply_raw $rd {zmpop 1 nokey min} {_}
        $rd close
    }

    test {RESP2 raw shape of ZMPOP on missing keys} {
        set rd [redis_client]
        assert_reply_raw $rd {zmpop 1 nokey min} {*-1}
        assert_reply_raw $rd {zscore nokey a} {$-1}
        $rd close
    }

    foreach enc {listpack skiplist} {
        test "Randomized ZADD / ZINCRBY / ZREM against a Tcl model - $enc" {
            zset_use_encoding $enc
            r del z
            set model {}
            for {set i 0} {$i < 1000} {incr i} {
                set m m[randomInt 60]
                switch [randomInt 4] {
                    0 - 1 {
                        set s [expr {[randomInt 200] - 100}]
                        r zadd z $s $m
                        dict set model $m $s
                    }
                    2 {
                        set inc [expr {[randomInt 20] - 10}]
                        r zincrby z $inc $m
                        if {[dict exists $model $m]} {
                            dict set model $m [expr {[dict get $model $m] + $inc}]
                        } else {
                            dict set model $m $inc
                        }
                    }
                    3 {
                        r zrem z $m
                        dict unset model $m
                    }
                }
                if {$i % 50 == 0} {
                    assert_equal [r zrange z 0 -1 withscores] [zset_model_range $model]
                }
            }
            assert_equal [r zrange z 0 -1 withscores] [zset_model_range $model]
            assert_equal [r zcard z] [dict size $model]
            # Ranks and counts agree with the model's order.
            set ordered [zset_model_range $model]
            set rank 0
            foreach {m s} $ordered {
                assert_equal [r zrank z $m] $rank
                assert_equal [r zscore z $m] $s
                incr rank
            }
            set lo [expr {[randomInt 100] - 50}]
            set cnt 0
            foreach {m s} $ordered { if {$s >= $lo && $s <= $lo + 30} { incr cnt } }
            assert_equal [r zcount z $lo [expr {$lo + 30}]] $cnt
            assert_equal [llength [r zrangebyscore z $lo [expr {$lo + 30}]]] $cnt
        }
    }

    test {Big skiplist: ranks, ranges and deletions stay consistent} {
        zset_use_encoding skiplist
        r del z
        set model {}
        for {set i 0} {$i < 2000} {incr i} {
            set s [randomInt 1000]
            r zadd z $s e$i
            dict set model e$i $s
        }
        set ordered [zset_model_range $model]
        assert_equal [r zrange z 0 -1 withscores] $ordered
        for {set j 0} {$j < 20} {incr j} {
            set r1 [randomInt 2000]
            set m [lindex $ordered [expr {$r1 * 2}]]
            assert_equal [r zrank z $m] $r1
            assert_equal [r zrevrank z $m] [expr {1999 - $r1}]
            assert_equal [r zrange z $r1 $r1 withscores] [lrange $ordered [expr {$r1 * 2}] [expr {$r1 * 2 + 1}]]
        }
        assert_equal [r zremrangebyrank z 100 599] 500
        set ordered [lreplace $ordered 200 1199]
        assert_equal [r zrange z 0 -1 withscores] $ordered
        set removed [r zremrangebyscore z 100 (300]
        set kept {}
        set cnt 0
        foreach {m s} $ordered {
            if {$s >= 100 && $s < 300} { incr cnt } else { lappend kept $m $s }
        }
        assert_equal $removed $cnt
        assert_equal [r zrange z 0 -1 withscores] $kept
        zset_use_encoding listpack
    }
}

start_server {tags {zset}} {
    test {ZADD tells options from scores by their first letter, case-insensitively} {
        r del z
        assert_equal [r zadd z inf a -inf b +inf c 1e3 d] 4
        assert_equal [r zrange z 0 -1 withscores] {b -inf d 1000 a inf c inf}
        assert_equal [r zadd z Ch Gt 2000 d] 1
        assert_equal [r zadd z XX lt 5 d] 0
        assert_equal [r zscore z d] 5
        assert_equal [r zadd z iNcR 1 d] 6
        assert_equal [r zadd z nX 7 d] 0
        assert_error {*not a valid float*} {r zadd z ix e}
        assert_error {*not a valid float*} {r zadd z nxx e}
    }

    test {ZADD of more pairs than fit on the stack, and a bad score among them} {
        r del z
        set args {}
        for {set i 0} {$i < 40} {incr i} { lappend args $i m$i }
        assert_equal [r zadd z {*}$args] 40
        assert_equal [r zscore z m39] 39
        lset args 60 notanumber
        assert_error {*not a valid float*} {r zadd z {*}$args}
        assert_equal [r zcard z] 40
    }
}
