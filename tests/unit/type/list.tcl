# The list type: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET
# LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP, their errors and RESP3
# replies, and the storage underneath (quicklist nodes sized by
# list-max-listpack-size, inner nodes compressed with list-compress-depth)
# exercised with small nodes and compression, plus randomized runs checked
# against a Tcl list model. The blocking commands have their own file.

# The settings each storage-sensitive test runs under: node size, compress depth.
set ::list_layouts {{-2 0} {-1 0} {1 0} {4 1} {-5 2} {128 0} {3 3} {0 1}}

proc list_layout {fill depth} {
    r config set list-max-listpack-size $fill
    r config set list-compress-depth $depth
}

# A random element: integers (some at the 64-bit edges, some that only look
# numeric), short strings, longer compressible strings, rarely big ones.
proc list_random_value {} {
    set k [randomInt 20]
    if {$k < 5} { return [expr {[randomInt 2000] - 1000}] }
    if {$k == 5} {
        return [lindex {9223372036854775807 -9223372036854775808 9223372036854775808 007 -0 " 1" 1e3 0x10} [randomInt 8]]
    }
    if {$k < 12} { return [string repeat [lindex {a b c d} [randomInt 4]] [randomInt 4]] }
    if {$k < 19} { return [string repeat [lindex {xy z} [randomInt 2]] [expr {5 + [randomInt 100]}]] }
    return [randstring 1000 9000 alpha]
}

start_server {tags {"list"}} {
    # ------------------------------------------------------------ basics

    test {LPUSH and RPUSH return the length and keep the order} {
        r flushall
        assert_equal [r lpush l a b c] 3
        assert_equal [r rpush l d e] 5
        assert_equal [r lrange l 0 -1] {c b a d e}
        assert_equal [r llen l] 5
        assert_equal [r type l] list
    }

    test {Every list has the quicklist encoding, small or large} {
        r flushall
        r rpush small 1
        assert_encoding quicklist small
        for {set j 0} {$j < 500} {incr j} { r rpush big [string repeat x 100] }
        assert_encoding quicklist big
    }

    test {LPUSHX and RPUSHX only push to existing lists} {
        r flushall
        assert_equal [r lpushx l a] 0
        assert_equal [r rpushx l a b] 0
        assert_equal [r exists l] 0
        r rpush l m
        assert_equal [r lpushx l b a] 3
        assert_equal [r rpushx l y z] 5
        assert_equal [r lrange l 0 -1] {a b m y z}
    }

    test {LPOP and RPOP without count} {
        r flushall
        r rpush l a b c
        assert_equal [r lpop l] a
        assert_equal [r rpop l] c
        assert_equal [r lpop l] b
        assert_equal [r exists l] 0
        assert_equal [r lpop l] {}
        assert_equal [r rpop l] {}
    }

    test {LPOP and RPOP with count} {
        r flushall
        r rpush l a b c d e
        assert_equal [r lpop l 2] {a b}
        assert_equal [r rpop l 2] {e d}
        assert_equal [r lpop l 0] {}
        assert_equal [r exists l] 1
        assert_equal [r rpop l 10] {c}
        assert_equal [r exists l] 0
    }

    test {LPOP/RPOP count: errors and missing keys (RESP2)} {
        r flushall
        assert_error {ERR value is out of range, must be positive} {r lpop l -1}
        assert_error {ERR value is out of range, must be positive} {r rpop l x}
        assert_error {ERR wrong number of arguments for 'lpop' command} {r lpop l 1 2}
        set c [redis_client]
        assert_reply_raw $c {lpop nokey} {{$-1}}
        assert_reply_raw $c {lpop nokey 0} {*-1}
        assert_reply_raw $c {rpop nokey 3} {*-1}
        $c rpush l a
        assert_reply_raw $c {lpop l 0} {*0}
        assert_reply_raw $c {rpop l 5} {*1 {$1} a}
        $c close
    }

    test {Missing keys and empty results in RESP3} {
        r flushall
        set c [redis_client]
        $c hello 3
        assert_reply_raw $c {lpop nokey} {_}
        assert_reply_raw $c {lpop nokey 2} {_}
        assert_reply_raw $c {rpop nokey 0} {_}
        assert_reply_raw $c {lindex nokey 0} {_}
        assert_reply_raw $c {lmpop 1 nokey left} {_}
        assert_reply_raw $c {lmove nokey x left left} {_}
        assert_reply_raw $c {rpoplpush nokey x} {_}
        assert_reply_raw $c {lpos nokey a} {_}
        assert_reply_raw $c {lpos nokey a count 0} {*0}
        assert_reply_raw $c {lrange nokey 0 -1} {*0}
        $c rpush l a b
        assert_reply_raw $c {lpos l zz} {_}
        assert_reply_raw $c {lpos l zz count 2} {*0}
        assert_reply_raw $c {lindex l 5} {_}
        assert_reply_raw $c {lpop l 0} {*0}
        assert_reply_raw $c {lmpop 1 l right count 5} {*2 {$1} l *2 {$1} b {$1} a}
        $c close
    }

    # ------------------------------------------------------------ reads

    test {LRANGE with positive, negative and out of range indexes} {
        r flushall
        r rpush l 0 1 2 3 4 5 6 7 8 9
        assert_equal [r lrange l 0 2] {0 1 2}
        assert_equal [r lrange l -3 -1] {7 8 9}
        assert_equal [r lrange l -100 100] {0 1 2 3 4 5 6 7 8 9}
        assert_equal [r lrange l 5 2] {}
        assert_equal [r lrange l 10 20] {}
        assert_equal [r lrange l -1 -1] {9}
        assert_equal [r lrange l -100 0] {0}
        assert_equal [r lrange l 9223372036854775807 -9223372036854775808] {}
        assert_equal [r lrange nokey 0 -1] {}
        assert_error {ERR value is not an integer or out of range} {r lrange l x 1}
        assert_error {ERR value is not an integer or out of range} {r lrange nokey 0 1.5}
    }

    test {LINDEX} {
        r flushall
        r rpush l a b c
        assert_equal [r lindex l 0] a
        assert_equal [r lindex l 2] c
        assert_equal [r lindex l -1] c
        assert_equal [r lindex l -3] a
        assert_equal [r lindex l 3] {}
        assert_equal [r lindex l -4] {}
        assert_equal [r lindex nokey 0] {}
        # The key is looked up before the index is parsed.
        assert_equal [r lindex nokey x] {}
        assert_error {ERR value is not an integer or out of range} {r lindex l x}
    }

    test {LLEN of a missing key is 0} {
        r flushall
        assert_equal [r llen nokey] 0
    }

    # ------------------------------------------------------------ writes

    test {LSET} {
        r flushall
        r rpush l a b c
        assert_equal [r lset l 0 x] OK
        assert_equal [r lset l -1 z] OK
        assert_equal [r lrange l 0 -1] {x b z}
        assert_error {ERR index out of range} {r lset l 3 v}
        assert_error {ERR index out of range} {r lset l -4 v}
        assert_error {ERR no such key} {r lset nokey 0 v}
        assert_error {ERR no such key} {r lset nokey x v}
        assert_error {ERR value is not an integer or out of range} {r lset l x v}
    }

    test {LINSERT} {
        r flushall
        r rpush l a b c
        assert_equal [r linsert l before b x] 4
        assert_equal [r linsert l AFTER c y] 5
        assert_equal [r linsert l Before a w] 6
        assert_equal [r lrange l 0 -1] {w a x b c y}
        assert_equal [r linsert l before nothere v] -1
        assert_equal [r linsert nokey before a v] 0
        assert_equal [r exists nokey] 0
        assert_error {ERR syntax error} {r linsert l middle a v}
        assert_error {ERR syntax error} {r linsert nokey middle a v}
        # Only the first occurrence of the pivot counts.
        r del l
        r rpush l 1 2 1 2
        assert_equal [r linsert l after 2 3] 5
        assert_equal [r lrange l 0 -1] {1 2 3 1 2}
    }

    test {LREM from the head, from the tail and all} {
        r flushall
        r rpush l a b a c a d a
        assert_equal [r lrem l 2 a] 2
        assert_equal [r lrange l 0 -1] {b c a d a}
        assert_equal [r lrem l -1 a] 1
        assert_equal [r lrange l 0 -1] {b c a d}
        assert_equal [r lrem l 0 zz] 0
        r rpush l a a
        assert_equal [r lrem l 0 a] 3
        assert_equal [r lrange l 0 -1] {b c d}
        assert_equal [r lrem l -9223372036854775808 c] 1
        assert_equal [r lrem l 0 b] 1
        assert_equal [r lrem l 1 d] 1
        assert_equal [r exists l] 0
        assert_equal [r lrem nokey 0 a] 0
        assert_error {ERR value is not an integer or out of range} {r lrem nokey x a}
    }

    test {LTRIM} {
        r flushall
        r rpush l 0 1 2 3 4 5 6 7 8 9
        assert_equal [r ltrim l 1 -2] OK
        assert_equal [r lrange l 0 -1] {1 2 3 4 5 6 7 8}
        r ltrim l -3 100
        assert_equal [r lrange l 0 -1] {6 7 8}
        r ltrim l -100 0
        assert_equal [r lrange l 0 -1] {6}
        r ltrim l 1 0
        assert_equal [r exists l] 0
        r rpush l a b c
        r ltrim l 9223372036854775807 -9223372036854775808
        assert_equal [r exists l] 0
        assert_equal [r ltrim nokey 0 1] OK
        assert_error {ERR value is not an integer or out of range} {r ltrim nokey x 1}
    }

    test {LPOS with RANK, COUNT and MAXLEN} {
        r flushall
        r rpush l a b c a b c a
        assert_equal [r lpos l a] 0
        assert_equal [r lpos l c] 2
        assert_equal [r lpos l a rank 2] 3
        assert_equal [r lpos l a rank -1] 6
        assert_equal [r lpos l a rank -2] 3
        assert_equal [r lpos l a rank 4] {}
        assert_equal [r lpos l a count 0] {0 3 6}
        assert_equal [r lpos l a count 2] {0 3}
        assert_equal [r lpos l a count 0 rank -1] {6 3 0}
        assert_equal [r lpos l a rank 2 count 0] {3 6}
        assert_equal [r lpos l a count 0 maxlen 3] {0}
        assert_equal [r lpos l a rank -1 count 0 maxlen 2] {6}
        assert_equal [r lpos l a rank -1 count 0 maxlen 0 rank 5] {}
        assert_equal [r lpos l zz] {}
        assert_equal [r lpos l zz count 3] {}
        assert_equal [r lpos nokey a] {}
        assert_equal [r lpos nokey a count 1] {}
        # Options are case-insensitive; a repeated option takes the last value.
        assert_equal [r lpos l a RANK 1 Rank 2] {3}
        # Redis 7.0 treats the most negative rank like -1.
        assert_equal [r lpos l a rank -9223372036854775808] 6
    }

    test {LPOS errors, checked in argument order before the key} {
        r flushall
        r set s v
        set rankerr {ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list}
        assert_error $rankerr {r lpos nokey a rank 0}
        assert_error $rankerr {r lpos s a rank 0}
        assert_error $rankerr {r lpos s a rank 0 count -1}
        assert_error {ERR COUNT can't be negative} {r lpos s a count -1 rank 0}
        assert_error {ERR COUNT can't be negative} {r lpos s a count x}
        assert_error {ERR MAXLEN can't be negative} {r lpos s a maxlen -1}
        assert_error {ERR MAXLEN can't be negative} {r lpos s a maxlen 9223372036854775808}
        assert_error {ERR value is not an integer or out of range} {r lpos s a rank x}
        assert_error {ERR syntax error} {r lpos s a foo}
        assert_error {ERR syntax error} {r lpos s a rank}
        assert_error {WRONGTYPE*} {r lpos s a}
    }

    # ------------------------------------------------------------- moves

    test {LMOVE in all four directions} {
        r flushall
        r rpush src 1 2 3
        r rpush dst a
        assert_equal [r lmove src dst left left] 1
        assert_equal [r lmove src dst right right] 3
        assert_equal [r lrange dst 0 -1] {1 a 3}
        assert_equal [r lmove src dst LEFT RIGHT] 2
        assert_equal [r exists src] 0
        assert_equal [r lmove dst src Right Left] 2
        assert_equal [r lrange dst 0 -1] {1 a 3}
        assert_equal [r lrange src 0 -1] {2}
    }

    test {LMOVE to a new key, on the same key, and from a missing key} {
        r flushall
        r rpush l a b c
        assert_equal [r lmove l new right left] c
        assert_equal [r lrange new 0 -1] {c}
        assert_equal [r lmove l l left right] a
        assert_equal [r lrange l 0 -1] {b a}
        r del one
        r rpush one x
        assert_equal [r lmove one one left left] x
        assert_equal [r lrange one 0 -1] {x}
        assert_equal [r lmove nokey l left left] {}
        assert_equal [r exists nokey] 0
    }

    test {LMOVE and RPOPLPUSH errors} {
        r flushall
        r set s v
        r rpush l a
        assert_error {ERR syntax error} {r lmove l l up down}
        assert_error {ERR syntax error} {r lmove l l left down}
        assert_error {WRONGTYPE*} {r lmove s l left left}
        assert_error {WRONGTYPE*} {r lmove l s left left}
        # A wrong-type destination leaves the source untouched.
        assert_equal [r lrange l 0 -1] {a}
        # A missing source is a null whatever the destination holds.
        assert_equal [r lmove nokey s left left] {}
        assert_error {WRONGTYPE*} {r rpoplpush l s}
        assert_equal [r rpoplpush nokey s] {}
    }

    test {RPOPLPUSH} {
        r flushall
        r rpush l a b c
        assert_equal [r rpoplpush l l] c
        assert_equal [r lrange l 0 -1] {c a b}
        assert_equal [r rpoplpush l other] b
        assert_equal [r rpoplpush l other] a
        assert_equal [r rpoplpush l other] c
        assert_equal [r exists l] 0
        assert_equal [r lrange other 0 -1] {c a b}
    }

    test {LMPOP pops from the first non-empty list} {
        r flushall
        r rpush l2 a b c d
        r rpush l3 x
        assert_equal [r lmpop 3 nokey l2 l3 left] {l2 a}
        assert_equal [r lmpop 2 l2 l3 RIGHT count 2] {l2 {d c}}
        assert_equal [r lmpop 1 l2 left count 10] {l2 b}
        assert_equal [r exists l2] 0
        assert_equal [r lmpop 2 l2 l3 left COUNT 1] {l3 x}
        assert_equal [r lmpop 2 l2 l3 left] {}
    }

    test {LMPOP errors} {
        r flushall
        r set s v
        r rpush l a
        assert_error {ERR numkeys should be greater than 0} {r lmpop 0 l left}
        assert_error {ERR numkeys should be greater than 0} {r lmpop -1 l left}
        assert_error {ERR numkeys should be greater than 0} {r lmpop x l left}
        assert_error {ERR syntax error} {r lmpop 5 l left}
        assert_error {ERR syntax error} {r lmpop 2147483648 l left}
        assert_error {ERR syntax error} {r lmpop 2 l left}
        assert_error {ERR syntax error} {r lmpop 1 l up}
        assert_error {ERR syntax error} {r lmpop 1 l left count}
        assert_error {ERR syntax error} {r lmpop 1 l left foo 2}
        assert_error {ERR syntax error} {r lmpop 1 l left count 1 count 2}
        assert_error {ERR count should be greater than 0} {r lmpop 1 l left count 0}
        assert_error {ERR count should be greater than 0} {r lmpop 1 l left count -1}
        assert_error {ERR count should be greater than 0} {r lmpop 1 l left count 99999999999999999999}
        assert_error {ERR wrong number of arguments for 'lmpop' command} {r lmpop 1 l}
        assert_error {WRONGTYPE*} {r lmpop 2 nokey s left}
        assert_error {WRONGTYPE*} {r lmpop 2 s l left}
        assert_equal [r lmpop 2 l s left] {l a}
    }

    # --------------------------------------------------- errors by type

    test {Every list command refuses other types} {
        r flushall
        r set s v
        foreach cmd {
            {lpush s a} {rpush s a} {lpushx s a} {rpushx s a} {lpop s} {rpop s} {lpop s 0}
            {llen s} {lrange s 0 -1} {lindex s 0} {lset s 0 a} {linsert s before a b}
            {lrem s 0 a} {ltrim s 0 1} {lpos s a} {lmove s d left left} {rpoplpush s d}
            {lmpop 1 s left}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r get s] v
    }

    test {Arity errors} {
        foreach cmd {
            {lpush l} {rpush l} {lpushx l} {rpushx l} {lpop} {llen} {lrange l 0} {lindex l}
            {lset l 0} {linsert l before a} {lrem l 0} {ltrim l 0} {lpos l} {lmove a b left}
            {rpoplpush a} {lmpop 1}
        } {
            set name [lindex $cmd 0]
            assert_error "ERR wrong number of arguments for '$name' command" {r {*}$cmd}
        }
    }

    # ------------------------------------------------- element values

    test {Elements keep their exact bytes: numbers, near-numbers, binary} {
        r flushall
        set vals [list 0 -1 123 -0 007 " 1" "1 " +1 1e3 0x10 9223372036854775807 -9223372036854775808 \
                      9223372036854775808 -9223372036854775809 18446744073709551616 "" "a\x00b" "\r\n" \
                      [string repeat 9 30]]
        foreach v $vals { r rpush l $v }
        assert_equal [r lrange l 0 -1] $vals
        for {set j 0} {$j < [llength $vals]} {incr j} {
            assert_equal [r lindex l $j] [lindex $vals $j]
        }
        # Integer-looking arguments match the exact text only.
        assert_equal [r lpos l 7] {}
        assert_equal [r lpos l 007] 4
        assert_equal [r lrem l 0 1] 0
        assert_equal [r lrem l 0 +1] 1
        assert_equal [r lrem l 0 0123] 0
        assert_equal [r lrem l 0 123] 1
        set vals [lreplace [lreplace $vals 7 7] 2 2]
        assert_equal [r linsert l after -0 mid] [expr {[llength $vals] + 1}]
        assert_equal [r lindex l 3] mid
        set vals [linsert $vals 3 mid]
        assert_equal [r lrange l 0 -1] $vals
        assert_equal [r rpop l 100] [lreverse $vals]
    }

    test {Elements larger than any node size} {
        r flushall
        foreach layout $::list_layouts {
            list_layout {*}$layout
            r del l
            set big1 [string repeat a 10000]
            set big2 [string repeat b 70000]
            r rpush l x $big1 y
            r lpush l $big2
            r linsert l after x $big2
            r lset l 2 $big1
            assert_equal [r lrange l 0 -1] [list $big2 x $big1 $big1 y]
            r lset l 1 small
            r lset l 0 tiny
            assert_equal [r lrange l 0 -1] [list tiny small $big1 $big1 y]
            assert_equal [r lrem l -1 $big1] 1
            assert_equal [r lindex l 2] $big1
            assert_equal [r lpos l $big1] 2
        }
        list_layout -2 0
    }

    test {COPY of a list is independent of the original} {
        r flushall
        list_layout 4 1
        for {set j 0} {$j < 100} {incr j} { r rpush l "element-$j" }
        assert_equal [r copy l l2] 1
        assert_encoding quicklist l2
        r lset l 50 changed
        r rpush l2 extra
        assert_equal [r lindex l2 50] element-50
        assert_equal [r lindex l 50] changed
        assert_equal [r llen l] 100
        assert_equal [r llen l2] 101
        list_layout -2 0
    }

    test {CONFIG list-max-listpack-size has the old name as an alias} {
        r config set list-max-ziplist-size 7
        assert_equal [r config get list-max-listpack-size] {list-max-listpack-size 7}
        r config set list-max-listpack-size -2
        assert_equal [r config get list-compress-depth] {list-compress-depth 0}
    }

    # ----------------------------------------------- layouts, randomized

    test {Every command over many nodes and compressed nodes} {
        foreach layout $::list_layouts {
            list_layout {*}$layout
            r del l
            set model {}
            for {set j 0} {$j < 300} {incr j} {
                set v "value-[expr {$j % 17}]-[string repeat z [expr {$j % 40}]]"
                if {$j % 2} {
                    r rpush l $v
                    lappend model $v
                } else {
                    r lpush l $v
                    set model [linsert $model 0 $v]
                }
            }
            assert_equal [r lrange l 0 -1] $model
            for {set j 0} {$j < 300} {incr j 37} {
                assert_equal [r lindex l $j] [lindex $model $j]
                assert_equal [r lindex l [expr {-1 - $j}]] [lindex $model end-$j]
                r lset l $j "set-$j"
                lset model $j "set-$j"
            }
            assert_equal [r lrange l 0 -1] $model
            assert_equal [r lrange l 100 149] [lrange $model 100 149]
            set pivot [lindex $model 150]
            r linsert l before $pivot inserted
            set model [linsert $model [lsearch -exact $model $pivot] inserted]
            assert_equal [r lpos l inserted] [lsearch -exact $model inserted]
            set victim [lindex $model 33]
            set n [llength [lsearch -all -exact $model $victim]]
            assert_equal [r lrem l 0 $victim] $n
            set model [lsearch -all -inline -not -exact $model $victim]
            assert_equal [r lrange l 0 -1] $model
            r ltrim l 10 -10
            set model [lrange $model 10 end-9]
            assert_equal [r lrange l 0 -1] $model
            assert_equal [r lpop l 5] [lrange $model 0 4]
            assert_equal [r rpop l 5] [lreverse [lrange $model end-4 end]]
            set model [lrange $model 5 end-5]
            assert_equal [r lrange l 0 -1] $model
            assert_equal [r llen l] [llength $model]
        }
        list_layout -2 0
    }

    tags {slow} {
        test {Randomized operations against a Tcl list model} {
            foreach layout $::list_layouts {
                list_layout {*}$layout
                r del l
                set model {}
                for {set op 0} {$op < 1500} {incr op} {
                    set len [llength $model]
                    set k [randomInt 100]
                    if {$k < 20 || $len == 0} {
                        set v [list_random_value]
                        if {[randomInt 2]} {
                            assert_equal [r lpush l $v] [expr {$len + 1}]
                            set model [linsert $model 0 $v]
                        } else {
                            assert_equal [r rpush l $v] [expr {$len + 1}]
                            lappend model $v
                        }
                    } elseif {$k < 30} {
                        if {[randomInt 2]} {
                            assert_equal [r lpop l] [lindex $model 0]
                            set model [lrange $model 1 end]
                        } else {
                            assert_equal [r rpop l] [lindex $model end]
                            set model [lrange $model 0 end-1]
                        }
                    } elseif {$k < 45} {
                        set pivot [lindex $model [randomInt $len]]
                        set v [list_random_value]
                        set where [lindex {before after} [randomInt 2]]
                        set pos [lsearch -exact $model $pivot]
                        if {$where eq "after"} { incr pos }
                        assert_equal [r linsert l $where $pivot $v] [expr {$len + 1}]
                        set model [linsert $model $pos $v]
                    } elseif {$k < 55} {
                        set victim [lindex $model [randomInt $len]]
                        set count [expr {[randomInt 5] - 2}]
                        set hits [lsearch -all -exact $model $victim]
                        if {$count < 0} { set hits [lreverse $hits] }
                        if {$count != 0} { set hits [lrange $hits 0 [expr {abs($count) - 1}]] }
                        assert_equal [r lrem l $count $victim] [llength $hits]
                        foreach h [lsort -integer -decreasing $hits] { set model [lreplace $model $h $h] }
                    } elseif {$k < 70} {
                        set idx [expr {[randomInt [expr {2 * $len}]] - $len}]
                        set v [list_random_value]
                        r lset l $idx $v
                        if {$idx < 0} { incr idx $len }
                        lset model $idx $v
                    } elseif {$k < 75} {
                        set start [randomInt [expr {$len + 3}]]
                        set stop [expr {max(0, $len - [randomInt 5])}]
                        r ltrim l $start $stop
                        set model [lrange $model $start $stop]
                    } elseif {$k < 85} {
                        set idx [expr {[randomInt [expr {2 * $len + 2}]] - $len - 1}]
                        set want [lindex $model [expr {$idx < 0 ? $len + $idx : $idx}]]
                        if {$idx < -$len} { set want {} }
                        assert_equal [r lindex l $idx] $want
                    } elseif {$k < 90} {
                        set count [randomInt 4]
                        if {[randomInt 2]} {
                            assert_equal [r lpop l $count] [lrange $model 0 [expr {$count - 1}]]
                            set model [lrange $model $count end]
                        } else {
                            assert_equal [r rpop l $count] [lreverse [lrange $model end-[expr {$count - 1}] end]]
                            if {$count > 0} { set model [lrange $model 0 end-$count] }
                        }
                    } elseif {$k < 95} {
                        set v [lindex $model [randomInt $len]]
                        assert_equal [r lpos l $v count 0] [lsearch -all -exact $model $v]
                    } else {
                        if {$len > 0} {
                            assert_equal [r lmove l l right left] [lindex $model end]
                            set model [linsert [lrange $model 0 end-1] 0 [lindex $model end]]
                        }
                    }
                    if {$op % 100 == 0} {
                        assert_equal [r lrange l 0 -1] $model
                    }
                }
                assert_equal [r lrange l 0 -1] $model
                if {[llength $model] == 0} {
                    assert_equal [r exists l] 0
                } else {
                    assert_equal [r llen l] [llength $model]
                }
            }
            list_layout -2 0
        }
    }

    test {Randomized moves between several lists} {
        r flushall
        list_layout 3 1
        set names {a b c}
        array set m {a {} b {} c {}}
        for {set op 0} {$op < 2000} {incr op} {
            set src [lindex $names [randomInt 3]]
            set dst [lindex $names [randomInt 3]]
            switch [randomInt 4] {
                0 {
                    set v [list_random_value]
                    r rpush $src $v
                    lappend m($src) $v
                }
                1 {
                    set from [lindex {left right} [randomInt 2]]
                    set to [lindex {left right} [randomInt 2]]
                    if {[llength $m($src)] == 0} {
                        assert_equal [r lmove $src $dst $from $to] {}
                        continue
                    }
                    if {$from eq "left"} { set v [lindex $m($src) 0] } else { set v [lindex $m($src) end] }
                    assert_equal [r lmove $src $dst $from $to] $v
                    if {$from eq "left"} { set m($src) [lrange $m($src) 1 end] } else { set m($src) [lrange $m($src) 0 end-1] }
                    if {$to eq "left"} { set m($dst) [linsert $m($dst) 0 $v] } else { lappend m($dst) $v }
                }
                2 {
                    set count [expr {1 + [randomInt 3]}]
                    set got [r lmpop 3 {*}$names right count $count]
                    set first {}
                    foreach n $names { if {[llength $m($n)] > 0} { set first $n; break } }
                    if {$first eq {}} {
                        assert_equal $got {}
                    } else {
                        set take [lreverse [lrange $m($first) end-[expr {$count - 1}] end]]
                        assert_equal $got [list $first $take]
                        set keep [expr {[llength $m($first)] - [llength $take]}]
                        set m($first) [lrange $m($first) 0 [expr {$keep - 1}]]
                    }
                }
                3 {
                    foreach n $names {
                        assert_equal [r lrange $n 0 -1] $m($n)
                        assert_equal [r exists $n] [expr {[llength $m($n)] > 0}]
                    }
                }
            }
        }
        list_layout -2 0
    }
}
