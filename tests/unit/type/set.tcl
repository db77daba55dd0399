# The set type: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
# SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
# SDIFFSTORE SSCAN, on both encodings (intset and hashtable), the
# conversion between them at set-max-intset-entries, RESP3 reply types,
# and randomized set algebra checked against a model kept in Tcl.

# Fills key with members (after deleting it) and checks the encoding.
proc fill_set {key encoding members} {
    r del $key
    r sadd $key {*}$members
    assert_encoding $encoding $key
}

# Members used to build a set of each encoding.
set ::set_members(intset) {1 2 3 4 5 -6 70000 5000000000}
set ::set_members(hashtable) {a b c 1 2 dd -3 eee}

# The sorted intersection/union/difference of Tcl lists (the model).
proc model_inter {args} {
    set result [lsort -unique [lindex $args 0]]
    foreach l [lrange $args 1 end] {
        set next {}
        foreach e $result { if {$e in $l} { lappend next $e } }
        set result $next
    }
    return [lsort $result]
}
proc model_union {args} {
    return [lsort -unique [concat {*}$args]]
}
proc model_diff {first args} {
    set result {}
    foreach e [lsort -unique $first] {
        set keep 1
        foreach l $args { if {$e in $l} { set keep 0; break } }
        if {$keep} { lappend result $e }
    }
    return [lsort $result]
}

start_server {tags {set}} {
    foreach enc {intset hashtable} {
        set members $::set_members($enc)
        set n [llength $members]

        test "SADD, SCARD, SMEMBERS on a new set ($enc)" {
            r del s
            assert_equal [r sadd s {*}$members] $n
            assert_encoding $enc s
            assert_equal [r scard s] $n
            assert_equal [lsort [r smembers s]] [lsort $members]
            assert_equal [r type s] set
        }

        test "SADD counts only new members ($enc)" {
            fill_set s $enc $members
            assert_equal [r sadd s {*}$members] 0
            assert_equal [r sadd s [lindex $members 0] 42] 1
            assert_equal [r scard s] [expr {$n + 1}]
            assert_equal [r sadd s 42 42] 0
        }

        test "SISMEMBER and SMISMEMBER ($enc)" {
            fill_set s $enc $members
            foreach m $members { assert_equal [r sismember s $m] 1 }
            assert_equal [r sismember s nosuchmember] 0
            assert_equal [r sismember s 123456] 0
            assert_equal [r sismember s 01] 0
            assert_equal [r smismember s [lindex $members 0] xx [lindex $members 1] 999] {1 0 1 0}
            assert_equal [r smismember s [lindex $members 2]] {1}
        }

        test "SREM removes members and deletes the emptied key ($enc)" {
            fill_set s $enc $members
            assert_equal [r srem s [lindex $members 0] [lindex $members 1] nosuch 999] 2
            assert_equal [r scard s] [expr {$n - 2}]
            assert_equal [r srem s [lindex $members 0]] 0
            assert_equal [r srem s {*}[lrange $members 2 end] extra] [expr {$n - 2}]
            assert_equal [r exists s] 0
        }

        test "SMOVE between sets ($enc)" {
            fill_set src $enc $members
            r del dst
            set m [lindex $members 0]
            assert_equal [r smove src dst $m] 1
            assert_equal [r sismember src $m] 0
            assert_equal [r smismember dst $m] {1}
            assert_equal [r smove src dst $m] 0
            assert_equal [r smove src dst nosuchmember] 0
            assert_equal [r smove nosuchkey dst $m] 0
            # Moving to a set that already holds the member still removes it.
            r sadd src $m
            assert_equal [r smove src dst $m] 1
            assert_equal [r sismember src $m] 0
            assert_equal [r scard dst] 1
        }

        test "SMOVE of the last member deletes the source ($enc)" {
            r del a b
            r sadd a [lindex $members 0]
            assert_equal [r smove a b [lindex $members 0]] 1
            assert_equal [r exists a] 0
            assert_equal [r smembers b] [list [lindex $members 0]]
        }

        test "SMOVE with the same source and destination ($enc)" {
            fill_set s $enc $members
            assert_equal [r smove s s [lindex $members 0]] 1
            assert_equal [r smove s s nosuchmember] 0
            assert_equal [r scard s] $n
        }

        test "SPOP without count ($enc)" {
            fill_set s $enc $members
            set popped {}
            for {set j 0} {$j < $n} {incr j} { lappend popped [r spop s] }
            assert_equal [lsort $popped] [lsort $members]
            assert_equal [r exists s] 0
            assert_equal [r spop s] {}
        }

        test "SPOP with count ($enc)" {
            fill_set s $enc $members
            set a [r spop s 3]
            assert_equal [llength $a] 3
            assert_equal [r scard s] [expr {$n - 3}]
            foreach m $a { assert_equal [r sismember s $m] 0 }
            set b [r spop s [expr {$n - 4}]]
            assert_equal [r scard s] 1
            set c [r spop s 1]
            assert_equal [r exists s] 0
            assert_equal [lsort [concat $a $b $c]] [lsort $members]
        }

        test "SPOP with count that leaves few members ($enc)" {
            fill_set s $enc $members
            set a [r spop s [expr {$n - 1}]]
            assert_equal [llength [lsort -unique $a]] [expr {$n - 1}]
            set rest [r smembers s]
            assert_equal [lsort [concat $a $rest]] [lsort $members]
        }

        test "SPOP with count >= size returns all and deletes the key ($enc)" {
            fill_set s $enc $members
            assert_equal [lsort [r spop s [expr {$n + 10}]]] [lsort $members]
            assert_equal [r exists s] 0
            fill_set s $enc $members
            assert_equal [lsort [r spop s $n]] [lsort $members]
            assert_equal [r exists s] 0
        }

        test "SPOP with count 0 ($enc)" {
            fill_set s $enc $members
            assert_equal [r spop s 0] {}
            assert_equal [r scard s] $n
        }

        test "SRANDMEMBER without count ($enc)" {
            fill_set s $enc $members
            for {set j 0} {$j < 50} {incr j} { assert_contains $members [r srandmember s] }
            assert_equal [r scard s] $n
        }

        test "SRANDMEMBER with positive count gives distinct members ($enc)" {
            fill_set s $enc $members
            foreach count [list 1 2 3 [expr {$n - 1}]] {
                for {set j 0} {$j < 20} {incr j} {
                    set r [r srandmember s $count]
                    assert_equal [llength $r] $count
                    assert_equal [llength [lsort -unique $r]] $count
                    foreach m $r { assert_contains $members $m }
                }
            }
            assert_equal [lsort [r srandmember s $n]] [lsort $members]
            assert_equal [lsort [r srandmember s [expr {$n * 10}]]] [lsort $members]
            assert_equal [r srandmember s 0] {}
            assert_equal [r scard s] $n
        }

        test "SRANDMEMBER with negative count may repeat ($enc)" {
            fill_set s $enc $members
            set r [r srandmember s -100]
            assert_equal [llength $r] 100
            foreach m $r { assert_contains $members $m }
            # 100 draws out of 8 members: some must repeat, and all show up
            # with overwhelming probability.
            assert_equal [lsort -unique $r] [lsort $members]
            assert_equal [llength [r srandmember s -1]] 1
        }

        test "SRANDMEMBER distribution covers every member ($enc)" {
            fill_set s $enc $members
            array unset seen
            array set seen {}
            for {set j 0} {$j < 200} {incr j} {
                foreach m [r srandmember s 2] { set seen($m) 1 }
            }
            assert_equal [lsort [array names seen]] [lsort $members]
        }

        test "SSCAN returns every member ($enc)" {
            fill_set s $enc $members
            set cursor 0
            set got {}
            while 1 {
                lassign [r sscan s $cursor] cursor batch
                lappend got {*}$batch
                if {$cursor == 0} break
            }
            assert_equal [lsort -unique $got] [lsort $members]
        }

        test "SSCAN with MATCH ($enc)" {
            fill_set s $enc $members
            set cursor 0
            set got {}
            while 1 {
                lassign [r sscan s $cursor match {[0-9]*} count 3] cursor batch
                lappend got {*}$batch
                if {$cursor == 0} break
            }
            set want {}
            foreach m $members { if {[string match {[0-9]*} $m]} { lappend want $m } }
            assert_equal [lsort -unique $got] [lsort $want]
        }

        test "COPY of a set is independent ($enc)" {
            fill_set s $enc $members
            r del s2
            assert_equal [r copy s s2] 1
            assert_encoding $enc s2
            r sadd s2 newmember
            r srem s [lindex $members 0]
            assert_equal [r scard s] [expr {$n - 1}]
            assert_equal [r scard s2] [expr {$n + 1}]
            assert_equal [r sismember s2 [lindex $members 0]] 1
        }
    }

    test {SSCAN on an intset returns everything in one call} {
        r del s
        for {set j 0} {$j < 200} {incr j} { r sadd s $j }
        assert_encoding intset s
        lassign [r sscan s 0 count 5] cursor batch
        assert_equal $cursor 0
        assert_equal [llength $batch] 200
        lassign [r sscan s 12345] cursor batch
        assert_equal $cursor 0
        assert_equal [llength $batch] 200
    }

    test {SSCAN on a large hashtable walks in steps} {
        r del s
        for {set j 0} {$j < 1000} {incr j} { r sadd s m$j }
        assert_encoding hashtable s
        set cursor 0
        set got {}
        set calls 0
        while 1 {
            lassign [r sscan s $cursor count 20] cursor batch
            lappend got {*}$batch
            incr calls
            if {$cursor == 0} break
        }
        assert_morethan $calls 1
        assert_equal [llength [lsort -unique $got]] 1000
    }

    test {SSCAN on a missing key} {
        assert_equal [r sscan nosuchkey 0] {0 {}}
        assert_equal [r sscan nosuchkey 0 count 0] {0 {}}
    }

    test {SSCAN errors} {
        r del s
        r sadd s a b c
        assert_error {ERR invalid cursor} {r sscan s abc}
        assert_error {ERR invalid cursor} {r sscan s 18446744073709551616}
        assert_error {ERR syntax error} {r sscan s 0 count 0}
        assert_error {ERR syntax error} {r sscan s 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r sscan s 0 count x}
        assert_error {ERR syntax error} {r sscan s 0 match}
        assert_error {ERR syntax error} {r sscan s 0 foo bar}
        r set str x
        assert_error {WRONGTYPE*} {r sscan str 0}
    }

    test {Integer members that are not canonical make a hashtable} {
        foreach m {01 +1 -0 { 1} {1 } 1.0 0x10 9223372036854775808 -9223372036854775809 {}} {
            r del s
            r sadd s $m
            assert_encoding hashtable s
            assert_equal [r smembers s] [list $m]
        }
    }

    test {Integer members at the 64-bit limits stay in an intset} {
        r del s
        r sadd s 9223372036854775807 -9223372036854775808 0 -1 32767 -32768 32768 2147483648
        assert_encoding intset s
        assert_equal [r smembers s] {-9223372036854775808 -32768 -1 0 32767 32768 2147483648 9223372036854775807}
        assert_equal [r sismember s 9223372036854775807] 1
        assert_equal [r sismember s 9223372036854775806] 0
    }

    test {Intset members come back sorted} {
        r del s
        r sadd s 5 -3 100 0 42 -100000 7000000000
        assert_equal [r smembers s] {-100000 -3 0 5 42 100 7000000000}
    }

    test {Adding a non-integer converts an intset to a hashtable} {
        r del s
        r sadd s 1 2 3
        assert_encoding intset s
        r sadd s a
        assert_encoding hashtable s
        assert_equal [lsort [r smembers s]] {1 2 3 a}
        # Never converted back.
        r srem s a
        assert_encoding hashtable s
    }

    test {Conversion at set-max-intset-entries} {
        r config set set-max-intset-entries 16
        r del s
        for {set j 0} {$j < 16} {incr j} { r sadd s $j }
        assert_encoding intset s
        r sadd s 15
        assert_encoding intset s
        r sadd s 16
        assert_encoding hashtable s
        assert_equal [r scard s] 17
        r del s
        set many {}
        for {set j 0} {$j < 17} {incr j} { lappend many $j }
        r sadd s {*}$many
        assert_encoding hashtable s
        r config set set-max-intset-entries 512
    }

    test {set-max-intset-entries 0 always makes hashtables} {
        r config set set-max-intset-entries 0
        r del s
        r sadd s 1
        assert_encoding hashtable s
        r config set set-max-intset-entries 512
        r del s
        r sadd s 1
        assert_encoding intset s
    }

    test {A set starting with a string is a hashtable even if later all integers} {
        r del s
        r sadd s a 1 2
        assert_encoding hashtable s
        r del s
        r sadd s 1 a
        assert_encoding hashtable s
    }

    test {SMOVE creates the destination with the encoding of the member} {
        r del src d1 d2
        r sadd src a 1
        r smove src d1 1
        assert_encoding intset d1
        r smove src d2 a
        assert_encoding hashtable d2
        assert_equal [r exists src] 0
    }

    test {SMOVE adding a string to an intset destination converts it} {
        r del src dst
        r sadd src a
        r sadd dst 1 2
        r smove src dst a
        assert_encoding hashtable dst
        assert_equal [lsort [r smembers dst]] {1 2 a}
    }

    test {SPOP count keeping few members: survivors have the member-based encoding} {
        r config set set-max-intset-entries 4
        r del s
        r sadd s 1 2 3 4 5 6
        assert_encoding hashtable s
        r spop s 5
        assert_equal [r scard s] 1
        assert_encoding intset s
        r del s
        r sadd s a b c d e f
        r spop s 5
        assert_encoding hashtable s
        r config set set-max-intset-entries 512
    }

    test {SPOP and SRANDMEMBER on a large set} {
        r del s
        set big {}
        for {set j 0} {$j < 600} {incr j} { lappend big m$j }
        r sadd s {*}$big
        set r [r srandmember s 50]
        assert_equal [llength [lsort -unique $r]] 50
        set r [r srandmember s 550]
        assert_equal [llength [lsort -unique $r]] 550
        set p [r spop s 100]
        assert_equal [llength [lsort -unique $p]] 100
        assert_equal [r scard s] 500
        set p2 [r spop s 480]
        assert_equal [llength [lsort -unique $p2]] 480
        assert_equal [r scard s] 20
        assert_equal [lsort [concat $p $p2 [r smembers s]]] [lsort $big]
    }

    test {SPOP and SRANDMEMBER on a large intset} {
        r del s
        set big {}
        for {set j 0} {$j < 400} {incr j} { lappend big $j }
        r sadd s {*}$big
        assert_encoding intset s
        assert_equal [llength [lsort -unique [r srandmember s 300]]] 300
        set p [r spop s 390]
        assert_equal [r scard s] 10
        assert_equal [lsort -integer [concat $p [r smembers s]]] [lsort -integer $big]
    }

    test {Missing keys} {
        r del nokey
        assert_equal [r scard nokey] 0
        assert_equal [r smembers nokey] {}
        assert_equal [r sismember nokey a] 0
        assert_equal [r smismember nokey a b] {0 0}
        assert_equal [r srem nokey a] 0
        assert_equal [r spop nokey] {}
        assert_equal [r spop nokey 3] {}
        assert_equal [r srandmember nokey] {}
        assert_equal [r srandmember nokey 3] {}
        assert_equal [r srandmember nokey -3] {}
        assert_equal [r exists nokey] 0
    }

    test {WRONGTYPE on every command} {
        r del s d
        r sadd s 1
        r set str x
        foreach cmd {
            {sadd str a} {srem str a} {smembers str} {sismember str a} {smismember str a}
            {scard str} {spop str} {spop str 1} {spop str 0} {srandmember str}
            {srandmember str 1} {srandmember str 0} {srandmember str -1}
            {smove str s a} {smove s str 1} {sinter s str} {sinter nokey str}
            {sintercard 2 s str} {sintercard 2 nokey str} {sinterstore d s str}
            {sinterstore d nokey str} {sunion s str} {sunion nokey str}
            {sunionstore d s str} {sdiff str s} {sdiff s str} {sdiff nokey str}
            {sdiffstore d s str} {sscan str 0}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r smove nokey str a] 0
        assert_equal [r get str] x
        assert_equal [r exists d] 0
    }

    test {Argument errors} {
        r del s
        r sadd s 1 2 3
        assert_error {ERR value is out of range, must be positive} {r spop s -1}
        assert_error {ERR value is out of range, must be positive} {r spop s abc}
        assert_error {ERR value is out of range, must be positive} {r spop nokey -1}
        assert_error {ERR syntax error} {r spop s 1 2}
        assert_error {ERR value is not an integer or out of range} {r srandmember s abc}
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} {r srandmember s -9223372036854775808}
        assert_error {ERR syntax error} {r srandmember s 1 2}
        assert_error {ERR wrong number of arguments for 'sadd' command} {r sadd s}
        assert_error {ERR wrong number of arguments for 'srem' command} {r srem s}
        assert_error {ERR wrong number of arguments for 'smove' command} {r smove s d}
        assert_error {ERR wrong number of arguments for 'sinter' command} {r sinter}
        assert_error {ERR wrong number of arguments for 'sinterstore' command} {r sinterstore d}
        assert_error {ERR wrong number of arguments for 'sunionstore' command} {r sunionstore d}
        assert_error {ERR wrong number of arguments for 'sdiffstore' command} {r sdiffstore d}
        assert_error {ERR wrong number of arguments for 'smismember' command} {r smismember s}
        assert_error {ERR wrong number of arguments for 'sismember' command} {r sismember s}
        assert_error {ERR wrong number of arguments for 'sscan' command} {r sscan s}
    }

    test {SRANDMEMBER with a negative count on a one-member set} {
        r del s
        r sadd s a
        assert_equal [r srandmember s -3] {a a a}
    }

    foreach {enc1 enc2} {intset intset intset hashtable hashtable hashtable} {
        test "SINTER, SUNION, SDIFF ($enc1 with $enc2)" {
            if {$enc1 eq "intset"} { set m1 {1 2 3 4 5 6} } else { set m1 {1 2 3 x y z} }
            if {$enc2 eq "intset"} { set m2 {4 5 6 7 8} } else { set m2 {3 4 x w 9} }
            fill_set a $enc1 $m1
            fill_set b $enc2 $m2
            assert_equal [lsort [r sinter a b]] [model_inter $m1 $m2]
            assert_equal [lsort [r sinter b a]] [model_inter $m1 $m2]
            assert_equal [lsort [r sunion a b]] [model_union $m1 $m2]
            assert_equal [lsort [r sdiff a b]] [model_diff $m1 $m2]
            assert_equal [lsort [r sdiff b a]] [model_diff $m2 $m1]
            assert_equal [r sintercard 2 a b] [llength [model_inter $m1 $m2]]
        }

        test "SINTERSTORE, SUNIONSTORE, SDIFFSTORE ($enc1 with $enc2)" {
            if {$enc1 eq "intset"} { set m1 {1 2 3 4 5 6} } else { set m1 {1 2 3 x y z} }
            if {$enc2 eq "intset"} { set m2 {4 5 6 7 8} } else { set m2 {3 4 x w 9} }
            fill_set a $enc1 $m1
            fill_set b $enc2 $m2
            set want [model_inter $m1 $m2]
            assert_equal [r sinterstore d a b] [llength $want]
            assert_equal [lsort [r smembers d]] $want
            set want [model_union $m1 $m2]
            assert_equal [r sunionstore d a b] [llength $want]
            assert_equal [lsort [r smembers d]] $want
            set want [model_diff $m1 $m2]
            assert_equal [r sdiffstore d a b] [llength $want]
            assert_equal [lsort [r smembers d]] $want
        }
    }

    test {STORE results get the encoding their members call for} {
        fill_set h hashtable {a 1 2 3}
        fill_set i intset {2 3 4}
        r sinterstore d h i
        assert_encoding intset d
        r sunionstore d h
        assert_encoding hashtable d
        r sdiffstore d h i
        assert_encoding hashtable d
        r srem h a
        r sunionstore d h
        assert_encoding intset d
        r sdiffstore d h i
        assert_encoding intset d
        assert_equal [r smembers d] {1}
    }

    test {STORE result above set-max-intset-entries is a hashtable} {
        r config set set-max-intset-entries 5
        r del a b
        r sadd a 1 2 3
        r sadd b 4 5 6
        r sunionstore d a b
        assert_encoding hashtable d
        r sunionstore d a
        assert_encoding intset d
        r config set set-max-intset-entries 512
    }

    test {Set algebra with missing keys} {
        fill_set a intset {1 2 3}
        r del nokey
        assert_equal [r sinter a nokey] {}
        assert_equal [r sinter nokey a] {}
        assert_equal [r sintercard 2 a nokey] 0
        assert_equal [lsort [r sunion a nokey]] {1 2 3}
        assert_equal [lsort [r sunion nokey a]] {1 2 3}
        assert_equal [r sunion nokey] {}
        assert_equal [lsort [r sdiff a nokey]] {1 2 3}
        assert_equal [r sdiff nokey a] {}
    }

    test {STORE commands delete the destination on an empty result} {
        fill_set a intset {1 2 3}
        fill_set b intset {4 5}
        foreach cmd {{sinterstore d a b} {sinterstore d a nokey} {sdiffstore d a a}
                     {sdiffstore d nokey a} {sunionstore d nokey}} {
            r set d old
            assert_equal [r {*}$cmd] 0
            assert_equal [r exists d] 0
        }
    }

    test {STORE commands overwrite any type and drop the TTL} {
        fill_set a intset {1 2 3}
        r set d old
        r expire d 100
        assert_equal [r sunionstore d a] 3
        assert_equal [r ttl d] -1
        assert_equal [r type d] set
    }

    test {STORE with the destination among the sources} {
        fill_set a intset {1 2 3 4}
        fill_set b intset {3 4 5}
        assert_equal [r sinterstore a a b] 2
        assert_equal [r smembers a] {3 4}
        assert_equal [r sunionstore b b a] 3
        assert_equal [r smembers b] {3 4 5}
        assert_equal [r sdiffstore b b a] 1
        assert_equal [r smembers b] {5}
    }

    test {SINTER and SDIFF with the same key twice} {
        fill_set a hashtable {a b c}
        assert_equal [lsort [r sinter a a]] {a b c}
        assert_equal [r sdiff a a] {}
        assert_equal [lsort [r sunion a a]] {a b c}
    }

    test {SDIFF of a large set minus small sets} {
        r del big s1 s2
        set big {}
        for {set j 0} {$j < 500} {incr j} { lappend big m$j }
        r sadd big {*}$big
        r sadd s1 m1 m2 m3 x
        r sadd s2 m400
        set d [r sdiff big s1 s2]
        assert_equal [llength $d] 496
        assert_equal [expr {"m400" in $d}] 0
        assert_equal [r sdiff s1 big s2] {x}
    }

    test {SINTERCARD with LIMIT} {
        fill_set a intset {1 2 3 4 5 6}
        fill_set b hashtable {1 2 3 4 5 x}
        assert_equal [r sintercard 2 a b] 5
        assert_equal [r sintercard 2 a b limit 0] 5
        assert_equal [r sintercard 2 a b limit 3] 3
        assert_equal [r sintercard 2 a b LIMIT 10] 5
        assert_equal [r sintercard 2 a b limit 1 limit 2] 2
        assert_equal [r sintercard 1 a] 6
        assert_equal [r sintercard 1 a limit 1] 1
    }

    test {SINTERCARD errors} {
        fill_set a intset {1 2}
        assert_error {ERR numkeys should be greater than 0} {r sintercard 0 a}
        assert_error {ERR numkeys should be greater than 0} {r sintercard -1 a}
        assert_error {ERR numkeys should be greater than 0} {r sintercard x a}
        assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 2 a}
        assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 5 a b c}
        assert_error {ERR LIMIT can't be negative} {r sintercard 1 a limit -1}
        assert_error {ERR LIMIT can't be negative} {r sintercard 1 a limit x}
        assert_error {ERR syntax error} {r sintercard 1 a limit}
        assert_error {ERR syntax error} {r sintercard 1 a foo 1}
        assert_error {ERR wrong number of arguments for 'sintercard' command} {r sintercard 1}
    }

    test {RESP2 reply types} {
        fill_set s intset {1 2}
        assert_reply_raw [srv client] {smembers s} {*2 {$1} 1 {$1} 2}
        assert_reply_raw [srv client] {smembers nokey} {*0}
        assert_reply_raw [srv client] {spop nokey} {{$-1}}
        assert_reply_raw [srv client] {srandmember nokey} {{$-1}}
        assert_reply_raw [srv client] {srandmember nokey 2} {*0}
        assert_reply_raw [srv client] {spop nokey 2} {*0}
        assert_reply_raw [srv client] {smismember s 1 3} {*2 :1 :0}
    }

    test {RESP3 reply types: sets for member collections} {
        set c [redis_client -protocol 3]
        $c del s t
        $c sadd s 1 2
        $c sadd t 2 3
        assert_reply_raw $c {smembers s} {~2 {$1} 1 {$1} 2}
        assert_reply_raw $c {smembers nokey} {~0}
        assert_reply_raw $c {sinter s t} {~1 {$1} 2}
        assert_reply_raw $c {sinter s nokey} {~0}
        assert_reply_raw $c {sunion s t} {~3 {$1} 1 {$1} 2 {$1} 3}
        assert_reply_raw $c {sdiff s t} {~1 {$1} 1}
        assert_reply_raw $c {sdiff nokey s} {~0}
        assert_reply_raw $c {spop nokey} {_}
        assert_reply_raw $c {srandmember nokey} {_}
        assert_reply_raw $c {spop nokey 2} {~0}
        assert_reply_raw $c {spop s 0} {~0}
        assert_reply_raw $c {srandmember nokey 2} {*0}
        assert_reply_raw $c {srandmember s 0} {*0}
        assert_reply_raw $c {srandmember s 5} {*2 {$1} 1 {$1} 2}
        assert_reply_raw $c {smismember s 1 3} {*2 :1 :0}
        assert_reply_raw $c {sscan nokey 0} {*2 {$1} 0 *0}
        assert_reply_raw $c {spop s 5} {~2 {$1} 1 {$1} 2}
        $c sadd s a b c d e f g h
        $c readraw 1
        $c deferred 1
        $c spop s 1
        assert_equal [$c read] {~1}
        $c read
        $c read
        $c spop s 6
        assert_equal [$c read] {~6}
        $c readraw 0
        $c deferred 0
        $c close
    }

    test {Randomized set algebra against a Tcl model} {
        for {set round 0} {$round < 30} {incr round} {
            set model {}
            set keys {}
            set nsets [expr {2 + [randomInt 4]}]
            for {set k 0} {$k < $nsets} {incr k} {
                set key "rs:$k"
                r del $key
                set elems {}
                set len [randomInt 40]
                set numeric [expr {[randomInt 2] == 0}]
                for {set j 0} {$j < $len} {incr j} {
                    if {$numeric} {
                        lappend elems [expr {[randomInt 60] - 20}]
                    } else {
                        lappend elems [randstring 1 2 alpha]
                    }
                }
                if {[llength $elems]} { r sadd $key {*}$elems }
                lappend model $elems
                lappend keys $key
            }
            # A missing key now and then.
            if {[randomInt 4] == 0} {
                r del rs:missing
                lappend keys rs:missing
                lappend model {}
            }
            set inter [model_inter {*}$model]
            set union [model_union {*}$model]
            set diff [model_diff {*}$model]
            assert_equal [lsort [r sinter {*}$keys]] $inter
            assert_equal [r sintercard [llength $keys] {*}$keys] [llength $inter]
            assert_equal [lsort [r sunion {*}$keys]] $union
            assert_equal [lsort [r sdiff {*}$keys]] $diff
            assert_equal [r sinterstore rs:d {*}$keys] [llength $inter]
            assert_equal [lsort [r smembers rs:d]] $inter
            assert_equal [r sunionstore rs:d {*}$keys] [llength $union]
            assert_equal [lsort [r smembers rs:d]] $union
            assert_equal [r sdiffstore rs:d {*}$keys] [llength $diff]
            assert_equal [lsort [r smembers rs:d]] $diff
        }
    }

    test {Randomized SADD/SREM/SMOVE/SPOP against a Tcl model} {
        r del ra rb
        array set ma {}
        array set mb {}
        for {set j 0} {$j < 2000} {incr j} {
            if {[randomInt 2]} { set e [randomInt 50] } else { set e [randstring 1 1 alpha] }
            switch [randomInt 5] {
                0 {
                    assert_equal [r sadd ra $e] [expr {![info exists ma($e)]}]
                    set ma($e) 1
                }
                1 {
                    assert_equal [r srem ra $e] [info exists ma($e)]
                    unset -nocomplain ma($e)
                }
                2 {
                    set moved [info exists ma($e)]
                    assert_equal [r smove ra rb $e] $moved
                    if {$moved} { unset ma($e); set mb($e) 1 }
                }
                3 {
                    set p [r spop rb]
                    if {$p eq {}} {
                        assert_equal [array size mb] 0
                    } else {
                        assert {[info exists mb($p)]}
                        unset mb($p)
                    }
                }
                4 {
                    assert_equal [r sismember ra $e] [info exists ma($e)]
                }
            }
        }
        assert_equal [lsort [r smembers ra]] [lsort [array names ma]]
        assert_equal [lsort [r smembers rb]] [lsort [array names mb]]
        assert_equal [r scard ra] [array size ma]
        assert_equal [r scard rb] [array size mb]
    }
}
