# HyperLogLog: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST.
#
# The sketches must be byte-for-byte the strings Redis 7.0.15 builds. The
# files tests/assets/hll-eN.hex hold, for PFADD of e0 .. e(N-1) in batches
# of 500 on the real Redis, the value before PFCOUNT (hex), the value
# after PFCOUNT filled the cache (hex) and the count.

proc hll_oracle {n} {
    set f [open [file join [file dirname [info script]] .. assets hll-e$n.hex]]
    set lines [split [string trim [read $f]] "\n"]
    close $f
    return $lines
}

proc hll_fill {key n} {
    for {set i 0} {$i < $n} {incr i 500} {
        set batch {}
        for {set j $i} {$j < $n && $j < $i + 500} {incr j} { lappend batch e$j }
        r pfadd $key {*}$batch
    }
}

proc hll_hex {s} {
    binary scan $s H* h
    return $h
}

start_server {tags {hll}} {
    test {PFADD creates an empty sparse sketch, with a stale cache} {
        r del h
        assert_equal [r pfadd h] 1
        assert_equal [r pfadd h] 0
        hll_hex [r get h]
    } {48594c4c0100000000000000000000807fff}

    foreach n {10 1000 100000} {
        test "PFADD of $n elements is byte-identical to Redis, before and after PFCOUNT" {
            lassign [hll_oracle $n] before after count
            r del h
            hll_fill h $n
            assert_equal [hll_hex [r get h]] $before
            assert_equal [r pfcount h] $count
            assert_equal [hll_hex [r get h]] $after
        }

        test "A sketch made by Redis ($n elements) counts the same here" {
            lassign [hll_oracle $n] before after count
            r set x [binary format H* $before]
            assert_equal [r pfcount x] $count
            r set x [binary format H* $after]
            assert_equal [r pfcount x] $count
        }
    }

    test {PFADD answers 1 only when a register changes} {
        r del h
        assert_equal [r pfadd h a b c] 1
        assert_equal [r pfadd h a b c] 0
        assert_equal [r pfadd h d] 1
        r pfcount h
    } {4}

    test {PFCOUNT of a missing key is 0; of several keys the union} {
        r del h1 h2 nokey
        r pfadd h1 a b c
        r pfadd h2 c d e
        list [r pfcount nokey] [r pfcount h1 h2 nokey] [r pfcount h1]
    } {0 5 3}

    test {PFMERGE keeps the destination and adds the sources} {
        r del m h1 h2
        r pfadd m z
        r pfadd h1 a b
        r pfadd h2 b c
        assert_equal [r pfmerge m h1 h2] OK
        assert_equal [r pfmerge fresh] OK
        list [r pfcount m] [r pfcount fresh] [r exists fresh]
    } {4 0 1}

    test {PFMERGE goes dense when a source is dense} {
        r del m d s
        r pfadd d x
        r pfdebug todense d
        r pfadd s y
        r pfmerge m s d
        list [r pfdebug encoding m] [r pfcount m]
    } {dense 2}

    test {Sparse promotes to dense past hll-sparse-max-bytes} {
        r config set hll-sparse-max-bytes 30
        r del h
        r pfadd h a b c
        set small [r pfdebug encoding h]
        r pfadd h d e f g h i j k l m n o
        set big [r pfdebug encoding h]
        r config set hll-sparse-max-bytes 3000
        list $small $big [string length [r get h]]
    } {sparse dense 12304}

    test {PFDEBUG DECODE, ENCODING, TODENSE, GETREG} {
        r del h
        r pfadd h a b c
        assert_equal [r pfdebug decode h] {Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603}
        assert_equal [r pfdebug encoding h] sparse
        assert_equal [r pfdebug todense h] 1
        assert_equal [r pfdebug todense h] 0
        assert_error {*HLL encoding is not sparse*} {r pfdebug decode h}
        set regs [r pfdebug getreg h]
        assert_equal [llength $regs] 16384
        list [lindex $regs 8436] [lindex $regs 12711] [lindex $regs 15780] [lindex $regs 0]
    } {1 2 1 0}

    test {PFDEBUG errors} {
        r del nokey
        r set str hello
        r pfadd h a
        assert_error {ERR The specified key does not exist} {r pfdebug getreg nokey}
        assert_error {ERR Unknown PFDEBUG subcommand 'foo'} {r pfdebug foo h}
        assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfdebug encoding str}
        assert_error {*wrong number of arguments*} {r pfdebug getreg h x}
    }

    test {PFSELFTEST} {
        r pfselftest
    } {OK}

    test {Strings that are not sketches get WRONGTYPE} {
        r set s hello
        r set i 12345
        r set hdr HYLLxxxxxxxxxxxxxxxx
        r set shortdense [binary format a4ca11 HYLL 0 {}]
        r lpush l a
        foreach k {s i hdr shortdense} {
            assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount $k}
            assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfadd $k a}
            assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfmerge $k}
        }
        assert_error {WRONGTYPE Operation against a key*} {r pfcount l}
    }

    test {Damaged sparse codes get INVALIDOBJ} {
        # One XZERO of 8000 registers: the runs stop short of 16384.
        r set short [binary format a4cx3x7cH4 HYLL 1 -128 5f3f]
        assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount short}
        assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount short short}
        assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfmerge m short}
        # A full XZERO followed by one more VAL: the runs overrun.
        r set over [binary format a4cx3x7cH6 HYLL 1 -128 7fff80]
        assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount over}
    }

    test {PFADD and PFMERGE fire pfadd keyspace events} {
        r config set notify-keyspace-events KEA
        r del a m
        set rd [redis_deferring_client]
        $rd psubscribe {__keyevent@*__:pfadd}
        $rd read
        r pfadd a x
        r pfadd a x
        r pfmerge m a
        set got [list [lindex [$rd read] 3] [lindex [$rd read] 3]]
        $rd close
        r config set notify-keyspace-events {}
        set got
    } {a m}

    tags {slow} {
        test {Ten thousand mutated sketches never crash the server} {
            set seeds {}
            foreach n {5 50 300 2000} {
                r del b
                hll_fill b $n
                lappend seeds [r get b]
            }
            expr {srand(12)}
            # Pipelined in batches: the replies are read (errors included) every 100 sketches.
            set rd [redis_deferring_client]
            for {set t 0} {$t < 10000} {incr t} {
                set s [lindex $seeds [expr {$t % 4}]]
                set len [string length $s]
                set pos [expr {$t % 3 == 0 ? 16 + int(rand() * 4) : int(rand() * $len)}]
                if {$pos >= $len} { set pos [expr {$len - 1}] }
                set byte [binary format c [expr {int(rand() * 256) - 128}]]
                set s [string replace $s $pos $pos $byte]
                if {$t % 7 == 0} { set s [string range $s 0 [expr {int(rand() * $len)}]] }
                $rd set c $s
                $rd pfcount c
                $rd pfadd c "x$t" y
                $rd pfmerge d c
                $rd pfcount c d
                $rd del d
                if {$t % 100 == 99} {
                    for {set j 0} {$j < 600} {incr j} { catch {$rd read} }
                }
            }
            $rd close
            r ping
        } {PONG}
    }
}
