# Bitmaps: SETBIT GETBIT BITCOUNT BITPOS BITOP, checked against fixed
# answers and against a model computed here in Tcl.
#
# The model sees a string as its bits written out as a text of 0 and 1
# characters, most significant bit of each byte first (`binary scan B*`),
# which is exactly how the bitmap commands number bits.

# The bits of string s as a text of 0/1 characters.
proc bits_of {s} {
    binary scan $s B* bits
    return $bits
}

# Clamps a start/end pair the way BITCOUNT and BITPOS do for a sequence of
# total items; returns {start end} or {} when the range is empty.
proc model_clamp {start end total} {
    if {$start < 0} { set start [expr {$total + $start}] }
    if {$end < 0} { set end [expr {$total + $end}] }
    if {$start < 0} { set start 0 }
    if {$end < 0} { set end 0 }
    if {$end >= $total} { set end [expr {$total - 1}] }
    if {$start > $end} { return {} }
    return [list $start $end]
}

# The bit range {first last} of a range given in unit (byte or bit).
proc model_bit_range {s start end unit} {
    set bits [bits_of $s]
    set total [expr {$unit eq "bit" ? [string length $bits] : [string length $s]}]
    set r [model_clamp $start $end $total]
    if {$r eq {}} { return {} }
    lassign $r a b
    if {$unit eq "byte"} { set a [expr {$a * 8}]; set b [expr {$b * 8 + 7}] }
    return [list $a $b]
}

# BITCOUNT answers 0 for two negative indexes in decreasing order, even
# when clamping would make them meet (BITPOS has no such rule).
proc model_bitcount {s start end unit} {
    if {$start < 0 && $end < 0 && $start > $end} { return 0 }
    set r [model_bit_range $s $start $end $unit]
    if {$r eq {}} { return 0 }
    set sub [string range [bits_of $s] {*}$r]
    return [expr {[string length $sub] - [string length [string map {1 {}} $sub]]}]
}

# BITPOS model; end_given 0 means the end argument was not sent.
proc model_bitpos {s bit start end unit end_given} {
    set r [model_bit_range $s $start $end $unit]
    if {$r eq {}} { return -1 }
    lassign $r a b
    set i [string first $bit [string range [bits_of $s] $a $b]]
    if {$i >= 0} { return [expr {$a + $i}] }
    if {$bit == 0 && !$end_given} { return [expr {$b + 1}] }
    return -1
}

# Byte-wise BITOP model over a list of strings (missing keys as "").
proc model_bitop {op strings} {
    set max 0
    foreach s $strings { if {[string length $s] > $max} { set max [string length $s] } }
    set out {}
    for {set i 0} {$i < $max} {incr i} {
        set acc {}
        foreach s $strings {
            set b 0
            if {$i < [string length $s]} { scan [string index $s $i] %c b }
            if {$acc eq {}} {
                set acc $b
            } else {
                switch $op {
                    and { set acc [expr {$acc & $b}] }
                    or  { set acc [expr {$acc | $b}] }
                    xor { set acc [expr {$acc ^ $b}] }
                }
            }
        }
        if {$op eq "not"} { set acc [expr {~$acc & 255}] }
        lappend out $acc
    }
    return [binary format c* $out]
}

start_server {tags {bitops}} {
    test {SETBIT on a missing key creates a zero-filled string} {
        r del bk
        assert_equal [r setbit bk 20 1] 0
        assert_equal [r get bk] "\x00\x00\x08"
        assert_equal [r getbit bk 20] 1
    }

    test {SETBIT returns the previous bit and can clear it} {
        r del bk
        assert_equal [r setbit bk 7 1] 0
        assert_equal [r setbit bk 7 1] 1
        assert_equal [r get bk] "\x01"
        assert_equal [r setbit bk 7 0] 1
        assert_equal [r setbit bk 7 0] 0
        assert_equal [r get bk] "\x00"
    }

    test {SETBIT 0 on a missing key still creates the key} {
        r del bk
        assert_equal [r setbit bk 0 0] 0
        assert_equal [r exists bk] 1
        assert_equal [r get bk] "\x00"
    }

    test {SETBIT numbers bits from the most significant bit of each byte} {
        r del bk
        foreach off {0 1 9 15} { r setbit bk $off 1 }
        assert_equal [r get bk] "\xc0\x41"
    }

    test {SETBIT keeps the bytes beyond the changed one} {
        r set bk "abcdef"
        r setbit bk 1 0
        assert_equal [r get bk] "!bcdef"
    }

    test {SETBIT on an integer value works on its decimal text} {
        r set bk 123
        assert_equal [r setbit bk 0 1] 0
        assert_equal [r get bk] "\xb123"
        r set bk 1
        assert_equal [r setbit bk 0 0] 0
        assert_equal [r get bk] 1
    }

    test {SETBIT leaves a raw-encoded value} {
        needs_commands object
        r set bk 123
        r setbit bk 0 1
        assert_encoding raw bk
        r set bk short
        r setbit bk 0 1
        assert_encoding raw bk
        r del bk
        r setbit bk 3 1
        assert_encoding raw bk
    }

    test {SETBIT replies an integer} {
        r del bk
        assert_reply_raw [srv client] {setbit bk 1 1} {:0}
        assert_reply_raw [srv client] {setbit bk 1 0} {:1}
    }

    test {SETBIT and GETBIT reject a bad offset} {
        foreach off {-1 x 1.5 "" " 1" 01 -0 4294967296 99999999999999999999} {
            assert_error {ERR bit offset is not an integer or out of range} {r setbit bk $off 1}
            assert_error {ERR bit offset is not an integer or out of range} {r getbit bk $off}
        }
    }

    test {SETBIT rejects a bit that is not 0 or 1} {
        foreach v {2 -1 x 1.0 ""} {
            assert_error {ERR bit is not an integer or out of range} {r setbit bk 0 $v}
        }
    }

    test {SETBIT checks the offset before the value} {
        assert_error {ERR bit offset*} {r setbit bk -1 5}
    }

    test {GETBIT of a missing key, past the end, and of an integer value} {
        r del bk
        assert_equal [r getbit bk 0] 0
        assert_equal [r getbit bk 4294967295] 0
        r set bk "\x80"
        assert_equal [r getbit bk 0] 1
        assert_equal [r getbit bk 1] 0
        assert_equal [r getbit bk 100] 0
        r set bk 12
        assert_equal [r getbit bk 2] 1
        assert_equal [r getbit bk 3] 1
        assert_equal [r getbit bk 4] 0
    }

    test {Bitmap commands on a value of another type: WRONGTYPE} {
        needs_commands lpush
        r del lk
        r lpush lk a
        set e {WRONGTYPE Operation against a key holding the wrong kind of value}
        assert_error $e {r setbit lk 0 1}
        assert_error $e {r getbit lk 0}
        assert_error $e {r bitcount lk}
        assert_error $e {r bitcount lk 0 1}
        assert_error $e {r bitpos lk 1}
        assert_error $e {r bitop and dest lk}
        assert_error $e {r bitop or dest nokey lk}
        assert_error $e {r bitop not dest lk}
        r del lk
    }

    test {Arity errors} {
        assert_error {ERR wrong number of arguments for 'setbit' command} {r setbit k 1}
        assert_error {ERR wrong number of arguments for 'getbit' command} {r getbit k}
        assert_error {ERR wrong number of arguments for 'bitcount' command} {r bitcount}
        assert_error {ERR wrong number of arguments for 'bitpos' command} {r bitpos k}
        assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop and d}
        assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop not d}
    }

    # ---------------------------------------------------------- BITCOUNT

    test {BITCOUNT of a missing key and of an empty string is 0} {
        r del bk
        assert_equal [r bitcount bk] 0
        assert_equal [r bitcount bk 0 -1] 0
        r set bk ""
        assert_equal [r bitcount bk] 0
        assert_equal [r bitcount bk 0 -1 bit] 0
    }

    test {BITCOUNT of a missing key ignores bad arguments} {
        r del bk
        assert_equal [r bitcount bk a b] 0
        assert_equal [r bitcount bk 0] 0
        assert_equal [r bitcount bk 0 1 bad] 0
    }

    test {BITCOUNT of known strings} {
        r set bk foobar
        assert_equal [r bitcount bk] 26
        assert_equal [r bitcount bk 0 0] 4
        assert_equal [r bitcount bk 1 1] 6
        assert_equal [r bitcount bk 1 -2] 18
        assert_equal [r bitcount bk 5 30 bit] 17
        assert_equal [r bitcount bk 0 -1 BIT] 26
        assert_equal [r bitcount bk 0 -1 ByTe] 26
    }

    test {BITCOUNT ranges are clamped and may be empty} {
        r set bk "\xff\xff"
        assert_equal [r bitcount bk -100 -50] 8
        assert_equal [r bitcount bk -1 -2] 0
        assert_equal [r bitcount bk 1 -5] 0
        assert_equal [r bitcount bk 0 100 byte] 16
        assert_equal [r bitcount bk 3 9 bit] 7
        assert_equal [r bitcount bk -5 -1 bit] 5
        assert_equal [r bitcount bk 5 2] 0
    }

    test {BITCOUNT with two negative indexes in decreasing order is 0} {
        r set bk "t"
        assert_equal [r bitcount bk -1 -4] 0
        assert_equal [r bitcount bk -2 -4 bit] 0
        assert_equal [r bitcount bk -4 -1] 4
        assert_equal [r bitpos bk 1 -1 -4] 1
    }

    test {BITCOUNT: two negative indexes in decreasing order win over a bad unit} {
        # Found by utils/difftest.py: the early 0 comes before the unit is read.
        r set bk "foobar"
        assert_equal [r bitcount bk -8 -30 bits] 0
        assert_equal [r bitcount bk -1 -2 ""] 0
        assert_error {ERR syntax error} {r bitcount bk -2 -1 bits}
        assert_error {ERR syntax error} {r bitcount bk 1 0 bits}
    }

    test {BITCOUNT of an integer value} {
        r set bk 12
        assert_equal [r bitcount bk] 6
        assert_equal [r bitcount bk 1 1] 3
    }

    test {BITCOUNT syntax and integer errors} {
        r set bk foo
        assert_error {ERR syntax error} {r bitcount bk 0}
        assert_error {ERR syntax error} {r bitcount bk 0 1 bad}
        assert_error {ERR syntax error} {r bitcount bk 0 1 bit 3}
        assert_error {ERR value is not an integer or out of range} {r bitcount bk a 1}
        assert_error {ERR value is not an integer or out of range} {r bitcount bk 0 b}
        assert_error {ERR value is not an integer or out of range} {r bitcount bk 0 1.5 bit}
    }

    test {BITCOUNT fuzzing against the model (byte and bit ranges)} {
        for {set i 0} {$i < 300} {incr i} {
            set s [randstring 0 40 binary]
            r set bk $s
            assert_equal [r bitcount bk] [model_bitcount $s 0 -1 byte]
            set len [expr {[string length $s] + 3}]
            set a [expr {[randomInt [expr {2 * $len}]] - $len}]
            set b [expr {[randomInt [expr {2 * $len}]] - $len}]
            assert_equal [r bitcount bk $a $b] [model_bitcount $s $a $b byte] "bytes $a $b of [bits_of $s]"
            set blen [expr {8 * $len}]
            set a [expr {[randomInt [expr {2 * $blen}]] - $blen}]
            set b [expr {[randomInt [expr {2 * $blen}]] - $blen}]
            assert_equal [r bitcount bk $a $b bit] [model_bitcount $s $a $b bit] "bits $a $b of [bits_of $s]"
        }
    }

    test {BITCOUNT of long strings (word-wise counting) against the model} {
        foreach len {7 8 9 31 32 33 63 64 65 200 1000 4099} {
            set s [randstring $len $len binary]
            r set bk $s
            assert_equal [r bitcount bk] [model_bitcount $s 0 -1 byte] "length $len"
            assert_equal [r bitcount bk 3 -4] [model_bitcount $s 3 -4 byte] "length $len"
            assert_equal [r bitcount bk 13 -29 bit] [model_bitcount $s 13 -29 bit] "length $len"
        }
    }

    test {Random SETBITs then BITCOUNT against the model} {
        r del bk
        set model [string repeat 0 800]
        for {set i 0} {$i < 500} {incr i} {
            set off [randomInt 800]
            set v [randomInt 2]
            set old [string index $model $off]
            assert_equal [r setbit bk $off $v] $old
            set model [string replace $model $off $off $v]
        }
        set bits [bits_of [r get bk]]
        assert_equal $bits [string range $model 0 [expr {[string length $bits] - 1}]]
        set ones [expr {[string length $model] - [string length [string map {1 {}} $model]]}]
        assert_equal [r bitcount bk] $ones
        for {set i 0} {$i < 100} {incr i} {
            set off [randomInt 900]
            set want [expr {$off < [string length $bits] ? [string index $bits $off] : 0}]
            assert_equal [r getbit bk $off] $want
        }
    }

    # ------------------------------------------------------------ BITPOS

    test {BITPOS of a missing key} {
        r del bk
        assert_equal [r bitpos bk 1] -1
        assert_equal [r bitpos bk 0] 0
        assert_equal [r bitpos bk 1 a] -1
        assert_equal [r bitpos bk 0 0 1 bad] 0
    }

    test {BITPOS of an empty string} {
        r set bk ""
        assert_equal [r bitpos bk 0] -1
        assert_equal [r bitpos bk 1] -1
        assert_equal [r bitpos bk 0 0 -1 bit] -1
    }

    test {BITPOS finds the first set and clear bits} {
        r set bk "\x00\x0f\xff"
        assert_equal [r bitpos bk 1] 12
        assert_equal [r bitpos bk 0] 0
        assert_equal [r bitpos bk 1 2] 16
        assert_equal [r bitpos bk 0 1] 8
        assert_equal [r bitpos bk 1 13 -1 bit] 13
        assert_equal [r bitpos bk 0 12 -1 bit] -1
        assert_equal [r bitpos bk 1 0 0] -1
    }

    test {BITPOS 0 on all-ones: past the end without an end, -1 with one} {
        r set bk "\xff\xff"
        assert_equal [r bitpos bk 0] 16
        assert_equal [r bitpos bk 0 0] 16
        assert_equal [r bitpos bk 0 -100] 16
        assert_equal [r bitpos bk 0 1] 16
        assert_equal [r bitpos bk 0 0 -1] -1
        assert_equal [r bitpos bk 0 0 -1 bit] -1
        assert_equal [r bitpos bk 0 3 3 bit] -1
        assert_equal [r bitpos bk 1 3 3 bit] 3
    }

    test {BITPOS with an empty range} {
        r set bk "\xff\xff"
        assert_equal [r bitpos bk 1 5 2] -1
        assert_equal [r bitpos bk 0 5] -1
        assert_equal [r bitpos bk 1 20 30 bit] -1
    }

    test {BITPOS of an integer value} {
        r set bk 12
        assert_equal [r bitpos bk 1] 2
        assert_equal [r bitpos bk 0] 0
        assert_equal [r bitpos bk 0 1] 8
    }

    test {BITPOS argument errors} {
        r set bk foo
        assert_error {ERR The bit argument must be 1 or 0.} {r bitpos bk 2}
        assert_error {ERR The bit argument must be 1 or 0.} {r bitpos nokey -1}
        assert_error {ERR value is not an integer or out of range} {r bitpos bk x}
        assert_error {ERR value is not an integer or out of range} {r bitpos nokey x}
        assert_error {ERR value is not an integer or out of range} {r bitpos bk 1 a}
        assert_error {ERR value is not an integer or out of range} {r bitpos bk 1 0 b}
        assert_error {ERR value is not an integer or out of range} {r bitpos bk 0 4 bit}
        assert_error {ERR syntax error} {r bitpos bk 1 0 1 bad}
        assert_error {ERR syntax error} {r bitpos bk 1 0 1 bit 5}
    }

    test {BITPOS checks the unit before the end index} {
        # Found by utils/difftest.py: with both bad, the unit's error wins.
        r set bk foo
        assert_error {ERR syntax error} {r bitpos bk 1 0 x bits}
        assert_error {ERR syntax error} {r bitpos bk 0 0 9223372036854775808 ""}
        assert_error {ERR value is not an integer or out of range} {r bitpos bk 0 0 x bit}
    }

    test {BITPOS fuzzing against the model} {
        for {set i 0} {$i < 400} {incr i} {
            switch [randomInt 3] {
                0 { set s [randstring 0 30 binary] }
                1 { set s [string repeat "\xff" [randomInt 30]][randstring 0 3 binary] }
                2 { set s [string repeat "\x00" [randomInt 30]][randstring 0 3 binary] }
            }
            r set bk $s
            set bit [randomInt 2]
            set len [expr {[string length $s] + 2}]
            set a [expr {[randomInt [expr {2 * $len}]] - $len}]
            set b [expr {[randomInt [expr {2 * $len}]] - $len}]
            set ctx "bits [bits_of $s]"
            assert_equal [r bitpos bk $bit] [model_bitpos $s $bit 0 -1 byte 0] $ctx
            assert_equal [r bitpos bk $bit $a] [model_bitpos $s $bit $a -1 byte 0] "$a; $ctx"
            assert_equal [r bitpos bk $bit $a $b] [model_bitpos $s $bit $a $b byte 1] "$a $b; $ctx"
            set blen [expr {8 * $len}]
            set a [expr {[randomInt [expr {2 * $blen}]] - $blen}]
            set b [expr {[randomInt [expr {2 * $blen}]] - $blen}]
            assert_equal [r bitpos bk $bit $a $b bit] [model_bitpos $s $bit $a $b bit 1] "$a $b bit; $ctx"
        }
    }

    test {BITPOS over long runs (word-wise skipping)} {
        foreach len {1 7 8 9 16 17 100 1000} {
            foreach {fill bit} {"\x00" 1 "\xff" 0} {
                set s [string repeat $fill $len]
                r set bk $s
                set want [model_bitpos $s $bit 0 -1 byte 0]
                assert_equal [r bitpos bk $bit] $want "len $len bit $bit"
                set s2 $s[expr {$bit ? "\x01" : "\xfe"}]
                r set bk $s2
                assert_equal [r bitpos bk $bit] [expr {$len * 8 + 7}] "len $len bit $bit"
                assert_equal [r bitpos bk $bit 3 -1 bit] [expr {$len * 8 + 7}]
            }
        }
    }

    # ------------------------------------------------------------- BITOP

    test {BITOP AND, OR, XOR and NOT of known strings} {
        r set a "\x01\x02\xff"
        r set b "\x10"
        assert_equal [r bitop or dest a b] 3
        assert_equal [r get dest] "\x11\x02\xff"
        assert_equal [r bitop and dest a b] 3
        assert_equal [r get dest] "\x00\x00\x00"
        assert_equal [r bitop xor dest a b] 3
        assert_equal [r get dest] "\x11\x02\xff"
        assert_equal [r bitop not dest a] 3
        assert_equal [r get dest] "\xfe\xfd\x00"
    }

    test {BITOP operation names are case insensitive} {
        r set a "\x0f"
        r set b "\x3c"
        assert_equal [r bitop AnD dest a b] 1
        assert_equal [r get dest] "\x0c"
        assert_equal [r bitop NOT dest a] 1
        assert_equal [r get dest] "\xf0"
    }

    test {BITOP treats a missing key as an empty string} {
        r set a "\xff\x0f"
        r del nokey
        assert_equal [r bitop or dest a nokey] 2
        assert_equal [r get dest] "\xff\x0f"
        assert_equal [r bitop and dest a nokey] 2
        assert_equal [r get dest] "\x00\x00"
        assert_equal [r bitop xor dest nokey a] 2
        assert_equal [r get dest] "\xff\x0f"
    }

    test {BITOP with an empty result deletes the destination} {
        r set dest x
        assert_equal [r bitop and dest nokey1 nokey2] 0
        assert_equal [r exists dest] 0
        r set dest x
        r set empty ""
        assert_equal [r bitop or dest empty] 0
        assert_equal [r exists dest] 0
        assert_equal [r bitop not dest nokey1] 0
        assert_equal [r exists dest] 0
    }

    test {BITOP can use the destination as a source} {
        r set dest "\x0f"
        r set b "\xff\x01"
        assert_equal [r bitop and dest dest b] 2
        assert_equal [r get dest] "\x0f\x00"
    }

    test {BITOP of an integer value} {
        r set i 123
        r set a "\x01\x02\xff"
        assert_equal [r bitop and dest i a] 3
        assert_equal [r get dest] "\x01\x02\x33"
    }

    test {BITOP result is raw-encoded and has no TTL} {
        needs_commands object expire ttl
        r set dest x
        r expire dest 100
        r set a "1"
        assert_equal [r bitop or dest a] 1
        assert_equal [r ttl dest] -1
        assert_encoding raw dest
    }

    test {BITOP errors} {
        assert_error {ERR syntax error} {r bitop foo dest a}
        assert_error {ERR syntax error} {r bitop nand dest a}
        assert_error {ERR BITOP NOT must be called with a single source key.} {r bitop not dest a b}
    }

    test {BITOP fuzzing against the model} {
        foreach op {and or xor not} {
            for {set i 0} {$i < 60} {incr i} {
                set n [expr {$op eq "not" ? 1 : 1 + [randomInt 5]}]
                set keys {}
                set vals {}
                for {set j 0} {$j < $n} {incr j} {
                    if {[randomInt 6] == 0} {
                        r del src$j
                        lappend vals ""
                    } else {
                        set v [randstring 0 70 binary]
                        r set src$j $v
                        lappend vals $v
                    }
                    lappend keys src$j
                }
                set want [model_bitop $op $vals]
                assert_equal [r bitop $op dest {*}$keys] [string length $want]
                if {$want eq ""} {
                    assert_equal [r exists dest] 0
                } else {
                    assert_equal [r get dest] $want "$op of [llength $vals] strings"
                }
            }
        }
    }
}

start_server {tags {bitops} overrides {proto-max-bulk-len 1mb}} {
    test {SETBIT offset limit follows proto-max-bulk-len} {
        r del big
        assert_equal [r setbit big 8388607 1] 0
        assert_equal [string length [r get big]] 1048576
        assert_error {ERR bit offset is not an integer or out of range} {r setbit big 8388608 1}
        assert_error {ERR bit offset is not an integer or out of range} {r getbit big 8388608}
        assert_equal [r getbit big 8388607] 1
        r del big
    }
}

# How much a command moves the change counter (rdb_changes_since_last_save
# in INFO persistence). Redis counts a bitmap write only when the key was
# created or grown or some bits changed.
proc changes_by {args} {
    set before [s rdb_changes_since_last_save]
    r {*}$args
    return [expr {[s rdb_changes_since_last_save] - $before}]
}

start_server {tags {bitops}} {
    test {SETBIT counts a change only when the key is created or grown or the bit flips} {
        assert_equal [changes_by setbit b 0 0] 1
        assert_equal [changes_by setbit b 0 0] 0
        assert_equal [changes_by setbit b 0 1] 1
        assert_equal [changes_by setbit b 0 1] 0
        assert_equal [changes_by setbit b 100 0] 1
        assert_equal [changes_by setbit b 100 0] 0
    }

    test {BITFIELD counts each op that changes bits, or every op when the string grew} {
        r del bf
        assert_equal [changes_by bitfield bf set u8 0 0] 1
        assert_equal [changes_by bitfield bf set u8 0 0] 0
        assert_equal [changes_by bitfield bf set u8 0 5] 1
        assert_equal [changes_by bitfield bf set u8 0 5 incrby u8 0 0] 0
        assert_equal [changes_by bitfield bf set u8 0 5 set u8 8 0] 2
        assert_equal [changes_by bitfield bf set u8 0 5 set u8 8 1] 1
        assert_equal [changes_by bitfield bf overflow sat incrby u8 0 255] 1
        assert_equal [changes_by bitfield bf overflow sat incrby u8 0 255] 0
        assert_equal [changes_by bitfield bf overflow fail incrby u8 0 1] 0
        assert_equal [changes_by bitfield bf get u8 0] 0
    }

    test {BITFIELD refused by OVERFLOW FAIL creates the key but counts no change} {
        r del bf2
        assert_equal [changes_by bitfield bf2 overflow fail incrby u8 0 300] 0
        assert_equal [r get bf2] "\x00"
    }

    test {BITOP with an empty result counts a change only when it deleted the destination} {
        r set dest x
        assert_equal [changes_by bitop and dest nokey] 1
        assert_equal [r exists dest] 0
        assert_equal [changes_by bitop and dest nokey] 0
        assert_equal [changes_by bitop not dest nokey] 0
        r set src a
        assert_equal [changes_by bitop or dest src nokey] 1
        assert_equal [changes_by bitop or dest src nokey] 1
    }
}
