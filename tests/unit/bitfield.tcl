# BITFIELD and BITFIELD_RO: fixed cases, every error, and random operations
# checked against a model computed here in Tcl.
#
# The model holds a bitmap as a text of 0/1 characters (bit 0 first, the
# order BITFIELD numbers bits in) and does the field arithmetic with Tcl's
# unbounded integers, so overflow is decided by plain comparisons.

proc bf_bits_of {s} {
    binary scan $s B* bits
    return $bits
}

# The string whose bits are the 0/1 text `bits` (a multiple of 8 long).
proc bf_string_of {bits} {
    return [binary format B* $bits]
}

# The field of width w at offset off of the bit text, as a number.
proc bf_model_read {bits off w sign} {
    set v 0
    for {set i 0} {$i < $w} {incr i} {
        set b [string index $bits [expr {$off + $i}]]
        if {$b eq ""} { set b 0 }
        set v [expr {$v * 2 + $b}]
    }
    if {$sign && $v >= 2 ** ($w - 1)} { set v [expr {$v - 2 ** $w}] }
    return $v
}

# Writes number v (already in range) as a w-bit field at off.
proc bf_model_write {bitsvar off w v} {
    upvar 1 $bitsvar bits
    set raw [expr {$v % (2 ** $w)}]
    set field ""
    for {set i [expr {$w - 1}]} {$i >= 0} {incr i -1} {
        append field [expr {($raw >> $i) & 1}]
    }
    set bits [string replace $bits $off [expr {$off + $w - 1}] $field]
}

# Fits the exact result r into the type under the overflow policy: the
# number to store, or {} when FAIL refuses it. With sat_high, a value that
# does not fit saturates to the maximum whichever side it is on.
proc bf_model_fit {r sign w overflow {sat_high 0}} {
    if {$sign} {
        set min [expr {-(2 ** ($w - 1))}]
        set max [expr {2 ** ($w - 1) - 1}]
    } else {
        set min 0
        set max [expr {2 ** $w - 1}]
    }
    if {$r >= $min && $r <= $max} { return $r }
    switch $overflow {
        fail { return {} }
        sat { return [expr {($r > $max || $sat_high) ? $max : $min}] }
        wrap { return [expr {($r - $min) % (2 ** $w) + $min}] }
    }
}

# Runs a list of ops {opcode sign w off value overflow} on the model
# string s; returns {replies newstring}.
proc bf_model_run {s ops} {
    set bits [bf_bits_of $s]
    set need [string length $bits]
    foreach op $ops {
        lassign $op opcode sign w off
        if {$opcode ne "get"} {
            set end [expr {(($off + $w + 7) / 8) * 8}]
            if {$end > $need} { set need $end }
        }
    }
    append bits [string repeat 0 [expr {$need - [string length $bits]}]]
    set replies {}
    foreach op $ops {
        lassign $op opcode sign w off value overflow
        set old [bf_model_read $bits $off $w $sign]
        switch $opcode {
            get { lappend replies $old; continue }
            set {
                set r $value
                if {!$sign && $r < 0} { set r [expr {$r + 2 ** 64}] }
            }
            incrby { set r [expr {$old + $value}] }
        }
        # Redis 7.0 saturates a signed SET value up to 2^63 below the
        # field's maximum to the maximum (its 64-bit range test wraps).
        set sat_high [expr {$opcode eq "set" && $sign && $w < 64 &&
                            $value <= 2 ** ($w - 1) - 1 - 2 ** 63}]
        set new [bf_model_fit $r $sign $w $overflow $sat_high]
        if {$new eq {}} { lappend replies {}; continue }
        bf_model_write bits $off $w $new
        lappend replies [expr {$opcode eq "set" ? $old : $new}]
    }
    return [list $replies [bf_string_of $bits]]
}

# A random 64-bit signed number, often near an interesting edge.
proc bf_random_value {w sign} {
    switch [randomInt 6] {
        0 { return [expr {[randomInt 600] - 300}] }
        1 { return [expr {([randomInt 4294967296] << 32 | [randomInt 4294967296]) - 2 ** 63}] }
        2 { return [lindex {9223372036854775807 -9223372036854775808 -1 0 1} [randomInt 5]] }
        default {
            set edge [expr {$sign ? 2 ** ($w - 1) : 2 ** $w}]
            set v [expr {$edge + [randomInt 5] - 2}]
            if {[randomInt 2]} { set v [expr {-$v}] }
            if {$v > 9223372036854775807} { set v 9223372036854775807 }
            if {$v < -9223372036854775808} { set v -9223372036854775808 }
            return $v
        }
    }
}

start_server {tags {bitfield}} {
    test {BITFIELD without operations replies an empty array} {
        r del bf
        assert_equal [r bitfield bf] {}
        assert_equal [r bitfield_ro bf] {}
        assert_reply_raw [srv client] {bitfield bf} {*0}
        assert_equal [r exists bf] 0
    }

    test {BITFIELD GET of a missing key reads zeros and creates nothing} {
        r del bf
        assert_equal [r bitfield bf get u8 0 get i64 100 get u63 #3] {0 0 0}
        assert_equal [r exists bf] 0
    }

    test {BITFIELD SET replies the old value, GET reads it back} {
        r del bf
        assert_equal [r bitfield bf set u8 0 255 get u8 0] {0 255}
        assert_equal [r bitfield bf set i8 0 -2 get i8 0 get u8 0] {-1 -2 254}
        assert_equal [r get bf] "\xfe"
    }

    test {BITFIELD fields may start anywhere and span bytes} {
        r del bf
        assert_equal [r bitfield bf set u4 6 15] 0
        assert_equal [r get bf] "\x03\xc0"
        assert_equal [r bitfield bf get u2 6 get u2 8 get u6 4 get i4 6] {3 3 15 -1}
    }

    test {BITFIELD #N offsets are multiplied by the width} {
        r del bf
        assert_equal [r bitfield bf set u8 #1 65 set u8 #2 66 get u8 8 get u16 8] {0 0 65 16706}
        assert_equal [r get bf] "\x00AB"
    }

    test {BITFIELD on an integer value works on its decimal text} {
        r set bf 12345
        assert_equal [r bitfield bf get u8 0] 49
        assert_equal [r bitfield bf set u8 0 65] 49
        assert_equal [r get bf] A2345
    }

    test {BITFIELD result is raw-encoded} {
        needs_commands object
        r set bf 12345
        r bitfield bf set u8 0 65
        assert_encoding raw bf
    }

    test {BITFIELD writes past the end grow the string with zeros} {
        r del bf
        assert_equal [r bitfield bf set u8 100 0] 0
        assert_equal [r get bf] [string repeat "\x00" 14]
        r set bf "ab"
        r bitfield bf set u1 23 1
        assert_equal [r get bf] "ab\x01"
    }

    test {BITFIELD OVERFLOW FAIL still grows the string} {
        r del bf
        assert_equal [r bitfield bf overflow fail incrby u8 200 300] {{}}
        assert_equal [string length [r get bf]] 26
        assert_reply_raw [srv client] {bitfield bf overflow fail incrby u8 0 256} {*1 {$-1}}
    }

    test {BITFIELD INCRBY wraps by default} {
        r del bf
        assert_equal [r bitfield bf incrby u2 0 3 incrby u2 0 1 incrby i3 2 3 incrby i3 2 1] {3 0 3 -4}
        assert_equal [r bitfield bf incrby i8 8 -129] 127
        assert_equal [r bitfield bf incrby i8 8 2 get u8 8] {-127 129}
    }

    test {BITFIELD OVERFLOW SAT, FAIL and WRAP apply to the operations after them} {
        r del bf
        assert_equal [r bitfield bf overflow sat set u8 0 -1 get u8 0 overflow wrap set i8 0 200 get i8 0 overflow fail set i8 0 200 get i8 0] \
            {0 255 -1 -56 {} -56}
        assert_equal [r bitfield bf overflow sat incrby i8 0 -1000 incrby u8 0 1000 OVERFLOW Wrap incrby u8 0 1] {-128 255 0}
    }

    test {BITFIELD OVERFLOW SAT of a very negative SET value saturates up, as in Redis 7.0} {
        r del bf
        assert_equal [r bitfield bf overflow sat set i8 0 -9223372036854775808 get i8 0] {0 127}
        assert_equal [r bitfield bf overflow sat set i8 0 -9223372036854775681 get i8 0] {127 127}
        assert_equal [r bitfield bf overflow sat set i8 0 -9223372036854775680 get i8 0] {127 -128}
        assert_equal [r bitfield bf overflow fail set i8 0 -9223372036854775808 get i8 0] {{} -128}
        assert_equal [r bitfield bf overflow sat set i63 0 -9223372036854775808 get i63 0] \
            {-4611686018427387904 4611686018427387903}
        assert_equal [r bitfield bf overflow sat set i64 0 -9223372036854775808 get i64 0] \
            {9223372036854775806 -9223372036854775808}
    }

    test {BITFIELD i64 arithmetic at the edges} {
        r del bf
        assert_equal [r bitfield bf incrby i64 0 9223372036854775807 incrby i64 0 1] \
            {9223372036854775807 -9223372036854775808}
        assert_equal [r bitfield bf overflow sat incrby i64 0 -1] -9223372036854775808
        assert_equal [r bitfield bf overflow sat incrby i64 0 9223372036854775807] -1
        assert_equal [r bitfield bf overflow sat incrby i64 0 9223372036854775807] 9223372036854775806
        assert_equal [r bitfield bf overflow sat incrby i64 0 9223372036854775807] 9223372036854775807
        assert_equal [r bitfield bf overflow fail incrby i64 0 1 get i64 0] {{} 9223372036854775807}
        assert_equal [r bitfield bf set i64 0 -9223372036854775808 overflow sat incrby i64 0 -1] \
            {9223372036854775807 -9223372036854775808}
    }

    test {BITFIELD u63 arithmetic at the edges} {
        r del bf
        assert_equal [r bitfield bf overflow sat set u63 0 -1 get u63 0] {0 9223372036854775807}
        assert_equal [r bitfield bf overflow wrap incrby u63 0 1] 0
        assert_equal [r bitfield bf incrby u63 0 -1] 9223372036854775807
        assert_equal [r bitfield bf overflow fail incrby u63 0 1] {{}}
    }

    test {BITFIELD one-bit fields} {
        r del bf
        assert_equal [r bitfield bf set u1 0 1 get i1 0 incrby u1 0 1 overflow sat incrby i1 1 5 get i1 1] {0 -1 0 0 0}
        assert_equal [r bitfield bf overflow sat incrby i1 1 -5] -1
    }

    test {BITFIELD subcommand names are case insensitive} {
        r del bf
        assert_equal [r bitfield bf SET u8 0 1 Get u8 0 IncrBy u8 0 1] {0 1 2}
    }

    test {BITFIELD type errors} {
        set e {ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.}
        foreach t {x8 I8 U8 u64 i65 i0 u0 i i08 i+8 i-1 "" u8x} {
            assert_equal [assert_error * {r bitfield bf get $t 0}] $e
        }
    }

    test {BITFIELD offset errors} {
        set e {ERR bit offset is not an integer or out of range}
        foreach off {-1 #-1 ##1 x "" "#" " 1" 01 -0 4294967296 #1152921504606846976 #9223372036854775807} {
            assert_equal [assert_error * {r bitfield bf get i8 $off}] $e
        }
        assert_equal [r bitfield nokey get i8 4294967295] 0
    }

    test {BITFIELD value, syntax and OVERFLOW errors} {
        assert_error {ERR value is not an integer or out of range} {r bitfield bf set i8 0 x}
        assert_error {ERR value is not an integer or out of range} {r bitfield bf incrby i8 0 99999999999999999999}
        assert_error {ERR syntax error} {r bitfield bf get i8}
        assert_error {ERR syntax error} {r bitfield bf get i8 0 set}
        assert_error {ERR syntax error} {r bitfield bf set i8 0}
        assert_error {ERR syntax error} {r bitfield bf foo}
        assert_error {ERR syntax error} {r bitfield bf overflow}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield bf overflow foo}
        assert_error {ERR wrong number of arguments for 'bitfield' command} {r bitfield}
    }

    test {BITFIELD parses every operation before running any} {
        r set bf "\x00"
        assert_error {ERR Invalid bitfield type*} {r bitfield bf set u8 0 255 get x8 0}
        assert_error {ERR syntax error} {r bitfield bf set u8 0 255 get u8}
        assert_equal [r get bf] "\x00"
    }

    test {BITFIELD OVERFLOW alone is allowed} {
        assert_equal [r bitfield bf overflow sat] {}
    }

    test {BITFIELD_RO runs GET and OVERFLOW} {
        r set bf "\x01\x02"
        assert_equal [r bitfield_ro bf get u8 0 overflow sat get u16 0] {1 258}
        assert_equal [r bitfield_ro nokey get i8 0] 0
    }

    test {BITFIELD_RO rejects SET and INCRBY after parsing everything} {
        set e {ERR BITFIELD_RO only supports the GET subcommand}
        assert_error $e {r bitfield_ro bf set i8 0 1}
        assert_error $e {r bitfield_ro bf incrby i8 0 1}
        assert_error $e {r bitfield_ro bf get i8 0 set i8 0 1}
        assert_error {ERR Invalid bitfield type*} {r bitfield_ro bf set x8 0 1}
        assert_error {ERR Invalid bitfield type*} {r bitfield_ro bf set i8 0 1 get x8 0}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield_ro bf overflow foo get i8 0}
        assert_error {ERR wrong number of arguments for 'bitfield_ro' command} {r bitfield_ro}
    }

    test {BITFIELD and BITFIELD_RO on a value of another type: WRONGTYPE} {
        needs_commands lpush
        r del lk
        r lpush lk a
        set e {WRONGTYPE Operation against a key holding the wrong kind of value}
        assert_error $e {r bitfield lk get u8 0}
        assert_error $e {r bitfield lk set u8 0 1}
        assert_error $e {r bitfield lk}
        assert_error $e {r bitfield_ro lk get u8 0}
        assert_error $e {r bitfield_ro lk}
        r del lk
    }

    test {BITFIELD fields agree with SETBIT and GETBIT} {
        r del bf
        for {set i 0} {$i < 50} {incr i} {
            set w [expr {1 + [randomInt 63]}]
            set off [randomInt 100]
            set v [expr {[randomInt 4294967296] << 31 | [randomInt 2147483648]}]
            set v [expr {$v % (2 ** $w)}]
            r bitfield bf set u$w $off $v
            set got 0
            for {set j 0} {$j < $w} {incr j} {
                set got [expr {$got * 2 + [r getbit bf [expr {$off + $j}]]}]
            }
            assert_equal $got $v "u$w at $off"
            r setbit bf $off [expr {1 - [r getbit bf $off]}]
            set flipped [expr {$v ^ (1 << ($w - 1))}]
            assert_equal [r bitfield bf get u$w $off] $flipped
        }
    }

    test {BITFIELD fuzzing against the model} {
        for {set iter 0} {$iter < 400} {incr iter} {
            if {[randomInt 4] == 0} {
                r del bf
                set s ""
            } else {
                set s [randstring 0 12 binary]
                r set bf $s
            }
            set args {}
            set ops {}
            set overflow wrap
            set nops [expr {1 + [randomInt 5]}]
            for {set k 0} {$k < $nops} {incr k} {
                if {[randomInt 5] == 0} {
                    set overflow [lindex {wrap sat fail} [randomInt 3]]
                    lappend args overflow $overflow
                }
                set sign [randomInt 2]
                set w [expr {1 + [randomInt [expr {$sign ? 64 : 63}]]}]
                set type [expr {$sign ? "i" : "u"}]$w
                if {[randomInt 3] == 0} {
                    set n [randomInt 4]
                    set offarg "#$n"
                    set off [expr {$n * $w}]
                } else {
                    set off [randomInt 120]
                    set offarg $off
                }
                set opcode [lindex {get set incrby} [randomInt 3]]
                set value [bf_random_value $w $sign]
                if {$opcode eq "get"} {
                    lappend args get $type $offarg
                } else {
                    lappend args $opcode $type $offarg $value
                }
                lappend ops [list $opcode $sign $w $off $value $overflow]
            }
            lassign [bf_model_run $s $ops] want newstring
            set got [r bitfield bf {*}$args]
            assert_equal $got $want "bitfield bf $args on [bf_bits_of $s]"
            if {[r exists bf]} {
                assert_equal [r get bf] $newstring "after bitfield bf $args"
            } else {
                assert_equal $newstring "" "bitfield bf $args created no key"
            }
        }
    }
}

start_server {tags {bitfield} overrides {proto-max-bulk-len 1mb}} {
    test {BITFIELD offset limit follows proto-max-bulk-len} {
        r del big
        assert_equal [r bitfield big set u8 8388607 1] 0
        assert_equal [string length [r get big]] 1048577
        assert_error {ERR bit offset is not an integer or out of range} {r bitfield big set u8 8388608 1}
        assert_error {ERR bit offset is not an integer or out of range} {r bitfield big get u8 #1048576}
        assert_equal [r bitfield big get u8 #1048575] 0
        r del big
    }
}
