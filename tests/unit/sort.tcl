# SORT and SORT_RO: lists, sets (intset and hashtable) and sorted sets
# (listpack and skiplist) as sources; numeric and ALPHA order, ASC/DESC,
# BY patterns on string keys and hash fields, BY without '*' (nosort),
# GET patterns, LIMIT windows, STORE, error replies, RESP3 nulls, and
# randomized comparisons with a model built on Tcl's lsort.

# Numeric order as SORT has it: by value, ties broken byte-wise.
proc sort_numeric_cmp {a b} {
    if {$a < $b} { return -1 }
    if {$a > $b} { return 1 }
    return [string compare $a $b]
}

# Fills a list, set or sorted set at key with elements (scores 1, 2, ...).
proc sort_fill {type key elements} {
    r del $key
    switch $type {
        list { r rpush $key {*}$elements }
        set { r sadd $key {*}$elements }
        zset {
            set args {}
            set score 0
            foreach e $elements { lappend args [incr score] $e }
            r zadd $key {*}$args
        }
    }
}

start_server {tags {sort}} {
    # ---------------------------------------------------------- sources

    foreach {type enc elements} {
        list quicklist {5 3 10 -1 2.5 0 100}
        set intset {5 3 10 -1 0 100 42}
        set hashtable {5 3 10 -1 2.5 0 100}
        zset listpack {5 3 10 -1 2.5 0 100}
    } {
        test "SORT numeric, ASC and DESC ($type, $enc)" {
            sort_fill $type src $elements
            assert_encoding $enc src
            set expected [lsort -command sort_numeric_cmp $elements]
            assert_equal [r sort src] $expected
            assert_equal [r sort src asc] $expected
            assert_equal [r sort src desc] [lreverse $expected]
            assert_equal [r sort_ro src] $expected
        }

        test "SORT ALPHA, ASC and DESC ($type, $enc)" {
            sort_fill $type src $elements
            set expected [lsort -ascii $elements]
            assert_equal [r sort src alpha] $expected
            assert_equal [r sort src alpha desc] [lreverse $expected]
            assert_equal [r sort src desc alpha] [lreverse $expected]
        }
    }

    test {SORT on a big sorted set (skiplist)} {
        set elements {}
        for {set i 0} {$i < 200} {incr i} { lappend elements [expr {($i * 37) % 200}] }
        sort_fill zset src $elements
        assert_encoding skiplist src
        assert_equal [r sort src] [lsort -integer $elements]
        assert_equal [r sort src desc limit 10 5] [lrange [lsort -integer -decreasing $elements] 10 14]
    }

    test {SORT converts a small sorted set to the skiplist encoding} {
        sort_fill zset src {c a b}
        assert_encoding listpack src
        assert_equal [r sort src alpha] {a b c}
        assert_encoding skiplist src
    }

    test {SORT on a missing key is empty} {
        r del nokey
        assert_equal [r sort nokey] {}
        assert_equal [r sort nokey by nosort limit 0 10 get # desc alpha] {}
        assert_equal [r sort_ro nokey] {}
    }

    test {SORT does not modify its source list} {
        sort_fill list src {3 1 2}
        r sort src
        assert_equal [r lrange src 0 -1] {3 1 2}
    }

    # ----------------------------------------------------- numeric parsing

    test {SORT numeric accepts what strtod accepts} {
        r del src
        r rpush src "" " 5" 0x10 inf -inf 3 1e3 -0.5
        assert_equal [r sort src] {-inf -0.5 {} 3 { 5} 0x10 1e3 inf}
    }

    test {SORT numeric rejects values that are not numbers} {
        foreach bad {abc {5 } nan 12abc} {
            r del src
            r rpush src 1 $bad 2
            assert_error {ERR One or more scores can't be converted into double} {r sort src}
            assert_error {ERR One or more scores can't be converted into double} {r sort_ro src}
        }
    }

    test {SORT numeric rejects overflow and underflow} {
        foreach bad {1e400 -1e400 1e-400} {
            r del src
            r rpush src 1 $bad 2
            assert_error {ERR One or more scores can't be converted into double} {r sort src}
        }
        # Redis 7.0 does not clear errno before strtod: the ERANGE left by
        # these values fails later numeric SORTs until some system call
        # overwrites errno. A new connection does (accept ends on EAGAIN);
        # make one so that the following tests see a clean state there.
        set c [redis_client]
        $c ping
        $c close
    }

    test {SORT numeric failure stores nothing} {
        r del src dst
        r set dst keep
        r rpush src 1 x
        assert_error {ERR One or more scores can't be converted into double} {r sort src store dst}
        assert_equal [r get dst] keep
    }

    test {SORT numeric breaks ties byte-wise} {
        r del src
        r rpush src 1.0 1 01 +1 1e0 0.5
        assert_equal [r sort src] {0.5 +1 01 1 1.0 1e0}
        assert_equal [r sort src desc] {1e0 1.0 1 01 +1 0.5}
    }

    test {SORT ALPHA accepts non-numbers} {
        sort_fill list src {banana apple cherry 10 9}
        assert_equal [r sort src alpha] {10 9 apple banana cherry}
    }

    test {SORT ALPHA compares as C strings, and binary with STORE} {
        r del src dst
        r rpush src "a\x00b" "a\x00a" "a"
        # Up to the first NUL the three are equal: load order is kept.
        assert_equal [r sort src alpha] [list "a\x00b" "a\x00a" "a"]
        assert_equal [r sort src alpha desc] [list "a\x00b" "a\x00a" "a"]
        assert_equal [r sort src alpha store dst] 3
        assert_equal [r lrange dst 0 -1] [list "a" "a\x00a" "a\x00b"]
    }

    test {SORT ALPHA orders high bytes after ASCII} {
        r del src
        r rpush src "\xff" "\xc3\xa9" a "\x80" B
        assert_equal [r sort src alpha] [list B a "\x80" "\xc3\xa9" "\xff"]
    }

    # --------------------------------------------------------------- BY

    test {SORT BY string keys} {
        sort_fill list src {1 2 3 4}
        r mset w_1 40 w_2 10 w_3 30 w_4 20
        assert_equal [r sort src by w_*] {2 4 3 1}
        assert_equal [r sort src by w_* desc] {1 3 4 2}
        assert_equal [r sort src by w_* limit 1 2] {4 3}
    }

    test {SORT BY with the '*' in the middle of the pattern} {
        sort_fill list src {a b c}
        r mset pre_a_post 3 pre_b_post 1 pre_c_post 2
        assert_equal [r sort src by pre_*_post] {b c a}
    }

    test {SORT BY a missing key sorts as 0, ties by element} {
        sort_fill list src {c b a d}
        r del w_a w_b w_c w_d
        r mset w_d -1 w_c 1
        assert_equal [r sort src by w_*] {d a b c}
    }

    test {SORT BY a key of the wrong type sorts as 0} {
        sort_fill list src {x y}
        r del w_x w_y
        r set w_y -5
        r rpush w_x 100
        assert_equal [r sort src by w_*] {y x}
    }

    test {SORT BY with non-numeric weights fails unless ALPHA} {
        sort_fill list src {1 2 3}
        r mset w_1 c w_2 a w_3 b
        assert_error {ERR One or more scores can't be converted into double} {r sort src by w_*}
        assert_equal [r sort src by w_* alpha] {2 3 1}
        assert_equal [r sort src by w_* alpha desc] {1 3 2}
    }

    test {SORT BY ALPHA: missing keys first, ties keep the load order} {
        sort_fill list src {z y x w}
        r del w_z w_y w_x w_w
        r mset w_z same w_y same w_x same
        assert_equal [r sort src by w_* alpha] {w z y x}
        assert_equal [r sort src by w_* alpha desc] {z y x w}
    }

    test {SORT BY on a set and a sorted set} {
        sort_fill set src {1 2 3}
        r mset w_1 3 w_2 1 w_3 2
        assert_equal [r sort src by w_*] {2 3 1}
        sort_fill zset src {1 2 3}
        assert_equal [r sort src by w_*] {2 3 1}
    }

    test {SORT BY nosort keeps the native order of a list} {
        sort_fill list src {3 1 2 10}
        assert_equal [r sort src by nosort] {3 1 2 10}
        assert_equal [r sort src by nosort desc] {10 2 1 3}
        assert_equal [r sort src by nosort limit 1 2] {1 2}
        assert_equal [r sort src by nosort limit 1 2 desc] {2 1}
        assert_equal [r sort src by nosort alpha] {3 1 2 10}
    }

    test {SORT BY any pattern without '*' does not sort} {
        sort_fill list src {3 1 2}
        r set constant 5
        assert_equal [r sort src by constant] {3 1 2}
        assert_equal [r sort src by {w_->f}] {3 1 2}
    }

    test {SORT BY nosort keeps the score order of a sorted set} {
        r del src
        r zadd src 1 a 5 b 2 c 10 d 3 e
        assert_equal [r sort src by nosort] {a c e b d}
        assert_equal [r sort src by nosort desc] {d b e c a}
        assert_equal [r sort src by nosort limit 1 2] {c e}
        assert_equal [r sort src by nosort desc limit 1 2] {b e}
        assert_equal [r sort src by nosort limit 3 100] {b d}
        assert_equal [r sort src by nosort limit 5 1] {}
        assert_equal [r sort src by nosort limit -1 -1] {a c e b d}
    }

    test {SORT BY nosort on an intset gives its members} {
        sort_fill set src {3 1 2}
        assert_equal [lsort [r sort src by nosort]] {1 2 3}
        assert_equal [llength [r sort src by nosort limit 1 1]] 1
    }

    test {SORT BY nosort STORE on a set sorts ALPHA} {
        sort_fill set src {9 10 100}
        r del dst
        assert_equal [r sort src by nosort store dst] 3
        assert_equal [r lrange dst 0 -1] {10 100 9}
        sort_fill set src {b c a}
        assert_equal [r sort src by nosort store dst] 3
        assert_equal [r lrange dst 0 -1] {a b c}
    }

    # ----------------------------------------------------- hash fields

    test {SORT BY and GET hash fields} {
        needs_commands hset
        sort_fill list src {1 2 3}
        r del h_1 h_2 h_3 h_3->
        r hset h_1 f 30 g x
        r hset h_2 f 10
        r set h_3 20
        r set h_3-> v3
        # h_3 is no hash: its field is missing (score 0, nil).
        assert_equal [r sort src by h_*->f] {3 2 1}
        assert_equal [r sort src by h_*->f desc] {1 2 3}
        assert_equal [r sort src by h_*->f get # get h_*->f get h_*->g get h_*->] \
            {3 {} {} v3 2 10 {} {} 1 30 x {}}
    }

    test {SORT BY hash field ALPHA, missing fields first} {
        needs_commands hset
        sort_fill list src {1 2 3}
        r del h_1 h_2 h_3
        r hset h_1 g b
        r hset h_2 g a
        r hset h_3 f zzz
        assert_equal [r sort src by h_*->g alpha] {3 2 1}
        assert_error {ERR One or more scores can't be converted into double} {r sort src by h_*->g}
    }

    test {SORT hash patterns: "->" must follow the '*'} {
        needs_commands hset
        sort_fill list src {1 2}
        r del a->b1 a->b2 h_1
        r hset a->b1 c 7
        r set a->b2 str
        r hset h_1 f-> weird
        assert_equal [r sort src get a->b*] {{} str}
        assert_equal [r sort src get a->b*->c] {7 {}}
        # Only the first "->" after the '*' splits key and field.
        assert_equal [r sort src get h_*->f->] {weird {}}
    }

    test {SORT GET a hash field of a string key is nil} {
        needs_commands hset
        sort_fill list src {1}
        r del h_1
        r set h_1 val
        assert_equal [r sort src get h_*->f] {{}}
        assert_equal [r sort src get h_*] {val}
    }

    # -------------------------------------------------------------- GET

    test {SORT GET # and string keys} {
        sort_fill list src {3 1 2}
        r del o_1 o_2 o_3
        r mset o_1 one o_3 three
        assert_equal [r sort src get o_*] {one {} three}
        assert_equal [r sort src get # get o_*] {1 one 2 {} 3 three}
        assert_equal [r sort src get o_* get #] {one 1 {} 2 three 3}
        assert_equal [r sort src get # get #] {1 1 2 2 3 3}
    }

    test {SORT GET of a key of the wrong type or without '*' is nil} {
        sort_fill list src {1 2}
        r del o_1 o_2 fixed
        r rpush o_1 x
        r set o_2 y
        r set fixed z
        assert_equal [r sort src get o_*] {{} y}
        assert_equal [r sort src get fixed] {{} {}}
        assert_equal [r sort src get #x] {{} {}}
    }

    test {SORT GET with an integer element and an empty element} {
        sort_fill list src {7 {}}
        r del o_7 o_
        r mset o_7 seven o_ empty
        assert_equal [r sort src get o_* alpha] {empty seven}
    }

    test {SORT GET with LIMIT and DESC} {
        sort_fill set src {1 2 3 4 5}
        r mset o_1 a o_2 b o_3 c o_4 d o_5 e
        assert_equal [r sort src desc limit 1 2 get # get o_*] {4 d 3 c}
    }

    test {SORT GET with BY nosort on a sorted set} {
        r del src
        r zadd src 2 x 1 y
        r mset o_x X o_y Y
        assert_equal [r sort src by nosort get o_* get #] {Y y X x}
    }

    test {SORT GET nil is a null in RESP3} {
        sort_fill list src {1}
        r del o_1
        r hello 3
        assert_reply_raw [srv client] {sort src get o_* get #} {*2 _ {$1} 1}
        r hello 2
        assert_reply_raw [srv client] {sort src get o_*} {*1 {$-1}}
    }

    # ------------------------------------------------------------ LIMIT

    test {SORT LIMIT windows} {
        sort_fill list src {5 4 3 2 1 0}
        assert_equal [r sort src limit 0 -1] {0 1 2 3 4 5}
        assert_equal [r sort src limit 2 2] {2 3}
        assert_equal [r sort src limit 2 100] {2 3 4 5}
        assert_equal [r sort src limit 2 -1] {2 3 4 5}
        assert_equal [r sort src limit -5 2] {0 1}
        assert_equal [r sort src limit -5 -5] {0 1 2 3 4 5}
        assert_equal [r sort src limit 0 0] {}
        assert_equal [r sort src limit 6 1] {}
        assert_equal [r sort src limit 5 1] {5}
        assert_equal [r sort src limit 0 2 desc] {5 4}
    }

    test {SORT LIMIT with extreme values} {
        sort_fill list src {3 1 2 10}
        set max 9223372036854775807
        set min -9223372036854775808
        assert_equal [r sort src limit 1 $max] {2 3 10}
        assert_equal [r sort src limit $max $max] {}
        assert_equal [r sort src limit $min $max] {1 2 3 10}
        assert_equal [r sort src limit 0 $min] {1 2 3 10}
        assert_equal [r sort src by nosort limit 2 $max] {2 10}
        assert_equal [r sort src by nosort limit $max 1] {}
    }

    test {SORT the last LIMIT wins} {
        sort_fill list src {3 1 2}
        assert_equal [r sort src limit 1 2 limit 0 1] {1}
        assert_equal [r sort src asc desc limit 0 1] {3}
        assert_equal [r sort src desc asc limit 0 1] {1}
    }

    # ------------------------------------------------------------ STORE

    test {SORT STORE stores a list and replies its length} {
        sort_fill list src {3 1 2}
        r del dst
        assert_equal [r sort src store dst] 3
        assert_equal [r type dst] list
        assert_encoding quicklist dst
        assert_equal [r lrange dst 0 -1] {1 2 3}
        assert_equal [r sort src desc limit 0 2 store dst] 2
        assert_equal [r lrange dst 0 -1] {3 2}
    }

    test {SORT STORE with GET stores missing values as empty strings} {
        sort_fill list src {1 2 3}
        r del o_1 o_2 o_3 dst
        r mset o_1 a o_3 c
        assert_equal [r sort src get # get o_* store dst] 6
        assert_equal [r lrange dst 0 -1] {1 a 2 {} 3 c}
    }

    test {SORT STORE overwrites any type and clears the TTL} {
        sort_fill set src {2 1}
        r del dst
        r set dst string
        r expire dst 100
        assert_equal [r sort src store dst] 2
        assert_equal [r lrange dst 0 -1] {1 2}
        assert_equal [r ttl dst] -1
        r del dst
        r sadd dst x
        assert_equal [r sort src store dst] 2
        assert_equal [r type dst] list
    }

    test {SORT STORE of an empty result deletes the destination} {
        sort_fill list src {1 2}
        r del dst
        r rpush dst old
        assert_equal [r sort src limit 0 0 store dst] 0
        assert_equal [r exists dst] 0
        r set dst x
        assert_equal [r sort nokey store dst] 0
        assert_equal [r exists dst] 0
        assert_equal [r sort nokey store dst] 0
        assert_equal [r exists dst] 0
    }

    test {SORT STORE onto its own source} {
        sort_fill list src {3 1 2}
        assert_equal [r sort src store src] 3
        assert_equal [r lrange src 0 -1] {1 2 3}
    }

    test {SORT STORE of a sorted set BY nosort keeps score order} {
        r del src dst
        r zadd src 3 a 1 b 2 c
        assert_equal [r sort src by nosort store dst] 3
        assert_equal [r lrange dst 0 -1] {b c a}
    }

    # ----------------------------------------------------------- errors

    test {SORT syntax errors} {
        sort_fill list src {1 2}
        assert_error {ERR syntax error} {r sort src foo}
        assert_error {ERR syntax error} {r sort src limit 1}
        assert_error {ERR syntax error} {r sort src limit}
        assert_error {ERR syntax error} {r sort src by}
        assert_error {ERR syntax error} {r sort src get}
        assert_error {ERR syntax error} {r sort src store}
        assert_error {ERR syntax error} {r sort src asc foo}
        assert_error {ERR value is not an integer or out of range} {r sort src limit a 1}
        assert_error {ERR value is not an integer or out of range} {r sort src limit 1 b}
        assert_error {ERR value is not an integer or out of range} {r sort src limit 1 9223372036854775808}
        assert_error {ERR wrong number of arguments for 'sort' command} {r sort}
        assert_error {ERR wrong number of arguments for 'sort_ro' command} {r sort_ro}
    }

    test {SORT_RO rejects STORE} {
        sort_fill list src {2 1}
        r del dst
        assert_error {ERR syntax error} {r sort_ro src store dst}
        assert_equal [r exists dst] 0
        assert_equal [r sort_ro src by nosort] {2 1}
        assert_equal [r sort_ro src limit 0 5 get # alpha] {1 2}
    }

    test {SORT WRONGTYPE for strings and hashes} {
        r del str
        r set str 1
        assert_error {WRONGTYPE*} {r sort str}
        assert_error {WRONGTYPE*} {r sort_ro str}
        assert_error {WRONGTYPE*} {r sort str store dst}
    }

    test {SORT WRONGTYPE for a hash source} {
        needs_commands hset
        r del hsrc
        r hset hsrc a 1
        assert_error {WRONGTYPE*} {r sort hsrc}
    }

    test {SORT syntax errors are found before the type} {
        r del str
        r set str 1
        assert_error {ERR syntax error} {r sort str foo}
        assert_error {ERR syntax error} {r sort nokey foo}
    }

    # ------------------------------------------------------- randomized

    test {SORT randomized numeric vs lsort} {
        for {set round 0} {$round < 20} {incr round} {
            set elements {}
            set n [randomInt 60]
            for {set i 0} {$i < $n} {incr i} {
                if {[randomInt 2]} {
                    lappend elements [expr {[randomInt 2000] - 1000}]
                } else {
                    lappend elements [expr {([randomInt 200000] - 100000) / 100.0}]
                }
            }
            foreach type {list zset set} {
                if {$n == 0} { r del src; continue }
                sort_fill $type src $elements
                set model [lsort -command sort_numeric_cmp [lsort -unique $elements]]
                if {$type eq "list"} { set model [lsort -command sort_numeric_cmp $elements] }
                assert_equal [r sort src] $model
                assert_equal [r sort src desc] [lreverse $model]
                set off [expr {[randomInt 70] - 5}]
                set cnt [expr {[randomInt 70] - 5}]
                set from [expr {$off < 0 ? 0 : $off}]
                set to [expr {$cnt < 0 ? "end" : $from + $cnt - 1}]
                assert_equal [r sort src limit $off $cnt] [lrange $model $from $to]
            }
        }
    }

    test {SORT randomized ALPHA vs lsort -ascii} {
        for {set round 0} {$round < 20} {incr round} {
            set elements {}
            set n [expr {1 + [randomInt 60]}]
            for {set i 0} {$i < $n} {incr i} { lappend elements [randstring 0 12 alpha] }
            sort_fill list src $elements
            set model [lsort -ascii $elements]
            assert_equal [r sort src alpha] $model
            assert_equal [r sort src alpha desc] [lsort -ascii -decreasing $elements]
            r del dst
            assert_equal [r sort src alpha store dst] $n
            assert_equal [r lrange dst 0 -1] $model
            sort_fill set src $elements
            assert_equal [r sort src alpha] [lsort -ascii -unique $elements]
        }
    }

    test {SORT randomized BY weights with GET vs lsort} {
        for {set round 0} {$round < 10} {incr round} {
            set n [expr {1 + [randomInt 50]}]
            set pairs {}
            set elements {}
            for {set i 0} {$i < $n} {incr i} {
                set e "e$i"
                set w [expr {[randomInt 100000] * $n + $i}]
                r set rw_$e $w
                r set rg_$e "val$i"
                lappend elements $e
                lappend pairs [list $e $w]
            }
            sort_fill list src $elements
            set expected {}
            set expected_get {}
            foreach p [lsort -integer -index 1 $pairs] {
                lappend expected [lindex $p 0]
                lappend expected_get [lindex $p 0] "val[string range [lindex $p 0] 1 end]"
            }
            assert_equal [r sort src by rw_*] $expected
            assert_equal [r sort src by rw_* desc] [lreverse $expected]
            assert_equal [r sort src by rw_* get # get rg_*] $expected_get
            set off [randomInt $n]
            set cnt [randomInt $n]
            assert_equal [r sort src by rw_* limit $off $cnt] \
                [lrange $expected $off [expr {$off + $cnt - 1}]]
            for {set i 0} {$i < $n} {incr i} { r del rw_e$i rg_e$i }
        }
    }
}
