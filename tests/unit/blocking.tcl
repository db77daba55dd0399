# Blocking commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX
# BZMPOP, on both paths (data already there: they act at once; no data:
# the client waits), first-come first-served order among waiting clients,
# timeouts and their replies in RESP2 and RESP3, keys made ready by other
# commands (RENAME, MOVE, COPY, LMOVE, SWAPDB, ZUNIONSTORE, BLMOVE chains),
# CLIENT UNBLOCK, disconnection and CLIENT KILL of a waiting client, and
# the blocked_clients / clients_in_timeout_table fields of INFO.

# Waits until INFO reports n blocked clients.
proc wait_blocked {n} {
    wait_for_condition 100 10 {
        [s blocked_clients] == $n
    } else {
        fail "expected $n blocked clients, INFO says [s blocked_clients]"
    }
}

# A deferring client whose every read returns one raw protocol line.
proc raw_deferring_client {} {
    set rd [redis_deferring_client]
    $rd readraw 1
    return $rd
}

start_server {tags {blocking}} {
    test {BLPOP and BRPOP pop at once from the first non-empty list} {
        r del l1 l2 l3
        r rpush l2 a b c
        r rpush l3 x
        assert_equal [r blpop l1 l2 l3 0] {l2 a}
        assert_equal [r brpop l1 l2 l3 0] {l2 c}
        assert_equal [r blpop l1 l3 1] {l3 x}
        assert_equal [r exists l3] 0
        assert_equal [r lrange l2 0 -1] {b}
    }

    test {BLPOP waits and is served by a later push} {
        r del blist
        set rd [redis_deferring_client]
        $rd blpop blist 0
        wait_blocked 1
        assert_equal [r rpush blist foo bar] 2
        assert_equal [$rd read] {blist foo}
        assert_equal [r lrange blist 0 -1] {bar}
        wait_blocked 0
        $rd close
    }

    test {BRPOP waits and pops from the tail} {
        r del blist
        set rd [redis_deferring_client]
        $rd brpop blist 0
        wait_blocked 1
        r lpush blist a b c
        assert_equal [$rd read] {blist a}
        assert_equal [r lrange blist 0 -1] {c b}
        $rd close
    }

    test {BLPOP on several keys is served by the key that gets data} {
        r del k1 k2 k3
        set rd [redis_deferring_client]
        $rd blpop k1 k2 k3 0
        wait_blocked 1
        r rpush k3 v3
        assert_equal [$rd read] {k3 v3}
        assert_equal [r exists k1 k2 k3] 0
        $rd close
    }

    test {Clients waiting on one key are served first come, first served} {
        r del fifo
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        set c3 [redis_deferring_client]
        $c1 blpop fifo 0
        wait_blocked 1
        $c2 blpop fifo 0
        wait_blocked 2
        $c3 brpop fifo 0
        wait_blocked 3
        # The pusher sees the length before anyone is served.
        assert_equal [r rpush fifo 1 2 3] 3
        assert_equal [$c1 read] {fifo 1}
        assert_equal [$c2 read] {fifo 2}
        assert_equal [$c3 read] {fifo 3}
        assert_equal [r exists fifo] 0
        $c1 close
        $c2 close
        $c3 close
    }

    test {With fewer elements than waiting clients the later ones keep waiting} {
        r del few
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 blpop few 0
        wait_blocked 1
        $c2 blpop few 0
        wait_blocked 2
        r rpush few only
        assert_equal [$c1 read] {few only}
        wait_blocked 1
        assert_equal [r exists few] 0
        r rpush few next
        assert_equal [$c2 read] {few next}
        wait_blocked 0
        $c1 close
        $c2 close
    }

    test {A key given twice is waited on once} {
        r del dup
        set rd [redis_deferring_client]
        $rd blpop dup dup 0
        wait_blocked 1
        r rpush dup a b
        assert_equal [$rd read] {dup a}
        assert_equal [r lrange dup 0 -1] {b}
        wait_blocked 0
        $rd close
    }

    test {Commands pipelined after a blocking command run once it is served} {
        r del pipe
        set rd [redis_deferring_client]
        $rd blpop pipe 0
        $rd ping
        $rd rpush other x
        wait_blocked 1
        assert_equal [r exists other] 0
        r rpush pipe v
        assert_equal [$rd read] {pipe v}
        assert_equal [$rd read] {PONG}
        assert_equal [$rd read] 1
        r del other
        $rd close
    }

    test {Timeouts of every blocking command reply a null array in RESP2} {
        r del nokey
        set rd [raw_deferring_client]
        foreach cmd {
            {blpop nokey 0.1}
            {brpop nokey 0.1}
            {blmove nokey dst left right 0.1}
            {brpoplpush nokey dst 0.1}
            {blmpop 0.1 1 nokey left}
            {bzpopmin nokey 0.1}
            {bzpopmax nokey 0.1}
            {bzmpop 0.1 1 nokey min count 2}
        } {
            set start [clock milliseconds]
            $rd {*}$cmd
            assert_equal [$rd read] {*-1}
            assert_morethan_equal [expr {[clock milliseconds] - $start}] 100
        }
        assert_equal [r exists dst] 0
        $rd close
    }

    test {Timeouts reply a RESP3 null} {
        set rd [redis_deferring_client]
        $rd hello 3
        $rd read
        $rd readraw 1
        foreach cmd {
            {blpop nokey 0.05}
            {blmove nokey dst left right 0.05}
            {brpoplpush nokey dst 0.05}
            {blmpop 0.05 1 nokey left}
            {bzpopmin nokey 0.05}
            {bzmpop 0.05 1 nokey max}
        } {
            $rd {*}$cmd
            assert_equal [$rd read] {_}
        }
        $rd close
    }

    test {A tiny timeout waits one millisecond, not forever} {
        set rd [redis_deferring_client]
        $rd blpop nokey 0.0001
        assert_equal [$rd read] {}
        $rd blpop nokey 1e-9
        assert_equal [$rd read] {}
        $rd close
    }

    test {Blocked clients and deadlines in INFO} {
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 blpop infokey 100
        $c2 bzpopmin infokey2 0
        wait_blocked 2
        assert_equal [s clients_in_timeout_table] 1
        r rpush infokey a
        assert_equal [$c1 read] {infokey a}
        wait_blocked 1
        assert_equal [s clients_in_timeout_table] 0
        r zadd infokey2 1 m
        assert_equal [$c2 read] {infokey2 m 1}
        wait_blocked 0
        $c1 close
        $c2 close
    }

    test {CLIENT LIST shows a blocked client with flag b} {
        set rd [redis_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop listflag 0
        wait_blocked 1
        assert_match "*id=$id *flags=b *cmd=blpop*" [r client list id $id]
        r rpush listflag x
        $rd read
        assert_match "*id=$id *flags=N *" [r client list id $id]
        r del listflag
        $rd close
    }

    test {Invalid timeouts} {
        assert_error {ERR timeout is negative} {r blpop k -1}
        assert_error {ERR timeout is negative} {r brpop k -0.5}
        assert_error {ERR timeout is negative} {r bzpopmin k inf}
        assert_error {ERR timeout is negative} {r blpop k 1e30}
        assert_error {ERR timeout is negative} {r blpop k 99999999999999999999}
        assert_error {ERR timeout is not a float or out of range} {r blpop k abc}
        assert_error {ERR timeout is not a float or out of range} {r blpop k nan}
        assert_error {ERR timeout is not a float or out of range} {r blpop k " 1"}
        assert_error {ERR timeout is not a float or out of range} {r blpop k ""}
        assert_error {ERR timeout is not a float or out of range} {r blmove a b left left x}
        assert_error {ERR timeout is not a float or out of range} {r brpoplpush a b x}
        assert_error {ERR timeout is negative} {r blmpop -1 1 k left}
        assert_error {ERR timeout is negative} {r bzmpop -1 1 k min}
    }

    test {The timeout is checked before the keys} {
        r set str x
        assert_error {ERR timeout is not a float*} {r blpop str abc}
        assert_error {ERR timeout is not a float*} {r bzpopmax str abc}
        assert_error {WRONGTYPE*} {r blpop str 0}
        assert_error {WRONGTYPE*} {r blpop nokey str 0}
        assert_error {WRONGTYPE*} {r bzpopmin nokey str 0}
        assert_error {WRONGTYPE*} {r blmpop 0 2 nokey str left}
        assert_error {WRONGTYPE*} {r bzmpop 0 1 str min}
        r del str
    }

    test {BLMPOP and BZMPOP parse their arguments before the timeout} {
        assert_error {ERR numkeys should be greater than 0} {r blmpop 0 0 k left}
        assert_error {ERR numkeys should be greater than 0} {r bzmpop x 0 k min}
        assert_error {ERR syntax error} {r blmpop 0 2 k left}
        assert_error {ERR syntax error} {r blmpop 0 1 k up}
        assert_error {ERR syntax error} {r bzmpop 0 1 k left}
        assert_error {ERR syntax error} {r blmpop 0 1 k left count 1 count 1}
        assert_error {ERR syntax error} {r blmpop 0 1 k left foo}
        assert_error {ERR count should be greater than 0} {r blmpop 0 1 k left count 0}
        assert_error {ERR count should be greater than 0} {r blmpop x 1 k left count 0}
        assert_error {ERR count should be greater than 0} {r bzmpop 0 1 k max count -1}
        assert_error {ERR syntax error} {r blmove a b up left x}
    }

    test {BLMOVE and BRPOPLPUSH act at once when the source has data} {
        r del src dst
        r rpush src a b c
        assert_equal [r blmove src dst left right 0] a
        assert_equal [r brpoplpush src dst 0] c
        assert_equal [r lrange src 0 -1] {b}
        assert_equal [r lrange dst 0 -1] {c a}
        r set str x
        assert_error {WRONGTYPE*} {r blmove src str left left 0}
        assert_equal [r lrange src 0 -1] {b}
        r del src dst str
    }

    test {BLMOVE waits and moves the element when the source gets data} {
        r del src dst
        set rd [redis_deferring_client]
        $rd blmove src dst right left 0
        wait_blocked 1
        r rpush src 1 2 3
        assert_equal [$rd read] 3
        assert_equal [r lrange src 0 -1] {1 2}
        assert_equal [r lrange dst 0 -1] {3}
        r del src dst
        $rd close
    }

    test {BRPOPLPUSH waits and moves the element} {
        r del src dst
        r rpush dst old
        set rd [redis_deferring_client]
        $rd brpoplpush src dst 0
        wait_blocked 1
        r rpush src 1 2
        assert_equal [$rd read] 2
        assert_equal [r lrange dst 0 -1] {2 old}
        r del src dst
        $rd close
    }

    test {BLMOVE from a list to itself rotates it} {
        r del rot
        set rd [redis_deferring_client]
        $rd blmove rot rot left right 0
        wait_blocked 1
        r rpush rot 1 2
        assert_equal [$rd read] 1
        assert_equal [r lrange rot 0 -1] {2 1}
        r del rot
        $rd close
    }

    test {BLMOVE chain: one push wakes a BLMOVE and the BLPOP on its destination} {
        r del a b
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 blmove a b left right 0
        wait_blocked 1
        $c2 blpop b 0
        wait_blocked 2
        assert_equal [r rpush a x] 1
        assert_equal [$c1 read] x
        assert_equal [$c2 read] {b x}
        assert_equal [r exists a b] 0
        wait_blocked 0
        $c1 close
        $c2 close
    }

    test {BRPOPLPUSH chain across three lists} {
        r del l1 l2 l3
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        set c3 [redis_deferring_client]
        $c1 brpoplpush l1 l2 0
        $c2 brpoplpush l2 l3 0
        $c3 brpop l3 0
        wait_blocked 3
        r lpush l1 v
        assert_equal [$c1 read] v
        assert_equal [$c2 read] v
        assert_equal [$c3 read] {l3 v}
        assert_equal [r exists l1 l2 l3] 0
        $c1 close
        $c2 close
        $c3 close
    }

    test {A waiting BLMOVE whose destination became the wrong type gets WRONGTYPE} {
        r del src dst
        r set dst string
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 blmove src dst left right 0
        wait_blocked 1
        $c2 blpop src 0
        wait_blocked 2
        r rpush src x
        assert_error {WRONGTYPE*} {$c1 read}
        # The element was not taken: the next waiting client gets it.
        assert_equal [$c2 read] {src x}
        wait_blocked 0
        assert_equal [r get dst] string
        r del dst
        $c1 close
        $c2 close
    }

    test {BLMPOP acts at once, and waits for up to COUNT elements} {
        r del m1 m2
        r rpush m2 a b c
        assert_equal [r blmpop 0 2 m1 m2 left count 2] {m2 {a b}}
        assert_equal [r blmpop 0 2 m1 m2 right] {m2 c}
        set rd [redis_deferring_client]
        $rd blmpop 0 2 m1 m2 right count 2
        wait_blocked 1
        r rpush m1 1 2 3
        assert_equal [$rd read] {m1 {3 2}}
        assert_equal [r lrange m1 0 -1] {1}
        $rd blmpop 0 1 m3 left
        wait_blocked 1
        r rpush m3 x y
        assert_equal [$rd read] {m3 x}
        r del m1 m3
        $rd close
    }

    test {BZPOPMIN and BZPOPMAX act at once} {
        r del z1 z2
        r zadd z2 1 a 2 b 3 c
        assert_equal [r bzpopmin z1 z2 0] {z2 a 1}
        assert_equal [r bzpopmax z1 z2 0] {z2 c 3}
        assert_equal [r zrange z2 0 -1] {b}
        r del z2
    }

    test {BZPOPMIN and BZPOPMAX wait for a sorted set} {
        r del z1 z2
        set rd [redis_deferring_client]
        $rd bzpopmin z1 z2 0
        wait_blocked 1
        r zadd z2 5 five 2 two
        assert_equal [$rd read] {z2 two 2}
        $rd bzpopmax z1 0
        wait_blocked 1
        r zadd z1 1.5 x 2.5 y
        assert_equal [$rd read] {z1 y 2.5}
        assert_equal [r zrange z1 0 -1] {x}
        r del z1 z2
        $rd close
    }

    test {BZMPOP acts at once and waits} {
        r del z1 z2
        r zadd z2 1 a 2 b 3 c
        assert_equal [r bzmpop 0 2 z1 z2 max count 2] {z2 {{c 3} {b 2}}}
        assert_equal [r bzmpop 0 2 z1 z2 min] {z2 {{a 1}}}
        set rd [redis_deferring_client]
        $rd bzmpop 0 2 z1 z2 min count 10
        wait_blocked 1
        r zadd z1 1 a 2 b
        assert_equal [$rd read] {z1 {{a 1} {b 2}}}
        assert_equal [r exists z1] 0
        $rd close
    }

    test {Served replies in RESP3} {
        r del z l
        set rd [redis_deferring_client]
        $rd hello 3
        $rd read
        $rd readraw 1
        $rd bzpopmin z 0
        wait_blocked 1
        r zadd z 1 a 2 b
        assert_equal [$rd read] {*3}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {z}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {a}
        assert_equal [$rd read] {,1}
        $rd bzmpop 0 1 z max count 5
        assert_equal [$rd read] {*2}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {z}
        assert_equal [$rd read] {*1}
        assert_equal [$rd read] {*2}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {b}
        assert_equal [$rd read] {,2}
        $rd blpop l 0
        wait_blocked 1
        r rpush l v
        assert_equal [$rd read] {*2}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {l}
        assert_equal [$rd read] {$1}
        assert_equal [$rd read] {v}
        $rd close
    }

    test {A waiting BLPOP ignores a key that became another type} {
        r del wt
        set rd [redis_deferring_client]
        $rd blpop wt 0
        wait_blocked 1
        r set wt string
        r del wt
        r zadd wt 1 m
        after 50
        wait_blocked 1
        r del wt
        r rpush wt v
        assert_equal [$rd read] {wt v}
        $rd close
    }

    test {A waiting BZPOPMIN ignores a list; a BLPOP on the same key is served} {
        r del mixed
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 bzpopmin mixed 0
        wait_blocked 1
        $c2 blpop mixed 0
        wait_blocked 2
        r rpush mixed v
        assert_equal [$c2 read] {mixed v}
        wait_blocked 1
        r zadd mixed 3 m
        assert_equal [$c1 read] {mixed m 3}
        wait_blocked 0
        $c1 close
        $c2 close
    }

    test {DEL and FLUSHALL do not wake waiting clients} {
        set rd [redis_deferring_client]
        $rd blpop stay 0
        wait_blocked 1
        r del stay
        r flushall
        after 50
        wait_blocked 1
        r rpush stay v
        assert_equal [$rd read] {stay v}
        $rd close
    }

    test {RENAME makes the destination ready} {
        r del tmp dest
        set rd [redis_deferring_client]
        $rd blpop dest 0
        wait_blocked 1
        r rpush tmp v1
        r rename tmp dest
        assert_equal [$rd read] {dest v1}
        $rd close
    }

    test {COPY makes the destination ready} {
        r del orig ck
        set rd [redis_deferring_client]
        $rd bzpopmax ck 0
        wait_blocked 1
        r zadd orig 1 a
        r copy orig ck
        assert_equal [$rd read] {ck a 1}
        assert_equal [r zcard orig] 1
        r del orig
        $rd close
    }

    test {LMOVE makes its destination ready} {
        r del ls ld
        set rd [redis_deferring_client]
        $rd blpop ld 0
        wait_blocked 1
        r rpush ls v1
        r lmove ls ld left left
        assert_equal [$rd read] {ld v1}
        $rd close
    }

    test {ZUNIONSTORE makes its destination ready} {
        r del zs zu
        set rd [redis_deferring_client]
        $rd bzpopmin zu 0
        wait_blocked 1
        r zadd zs 1 q
        r zunionstore zu 1 zs
        assert_equal [$rd read] {zu q 1}
        r del zs
        $rd close
    }

    test {MOVE and SWAPDB make keys ready} {
        set rd [redis_deferring_client]
        $rd blpop mk 0
        wait_blocked 1
        r select 9
        r del mk
        r rpush mk v1
        r move mk 0
        r select 0
        assert_equal [$rd read] {mk v1}
        $rd blpop sk 0
        wait_blocked 1
        r select 9
        r del sk
        r rpush sk v2
        r swapdb 0 9
        r select 0
        assert_equal [$rd read] {sk v2}
        r swapdb 0 9
        $rd close
    }

    test {CLIENT UNBLOCK with TIMEOUT (the default) replies the timeout} {
        set rd [redis_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop ub 0
        wait_blocked 1
        assert_equal [r client unblock $id] 1
        assert_equal [$rd read] {}
        wait_blocked 0
        $rd bzmpop 0 1 ub min
        wait_blocked 1
        assert_equal [r client unblock $id TIMEOUT] 1
        assert_equal [$rd read] {}
        $rd blmove ub dst left left 0
        wait_blocked 1
        assert_equal [r client unblock $id timeout] 1
        assert_equal [$rd read] {}
        # It is a client like any other afterwards.
        $rd ping
        assert_equal [$rd read] PONG
        $rd close
    }

    test {CLIENT UNBLOCK with ERROR replies an UNBLOCKED error} {
        set rd [redis_deferring_client]
        $rd client id
        set id [$rd read]
        $rd bzpopmax ub 0
        wait_blocked 1
        assert_equal [r client unblock $id error] 1
        assert_error {UNBLOCKED client unblocked via CLIENT UNBLOCK} {$rd read}
        wait_blocked 0
        assert_match {*errorstat_UNBLOCKED:count=*} [r info errorstats]
        $rd close
    }

    test {CLIENT UNBLOCK of a client that is not blocked, and bad arguments} {
        assert_equal [r client unblock 999999] 0
        assert_equal [r client unblock [r client id]] 0
        assert_error {ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR} {r client unblock 1 foo}
        assert_error {ERR value is not an integer or out of range} {r client unblock abc}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'unblock'*} {r client unblock 1 timeout x}
    }

    test {A blocked client that disconnects leaves no trace} {
        r del gone
        set rd [redis_deferring_client]
        $rd blpop gone 10
        wait_blocked 1
        assert_equal [s clients_in_timeout_table] 1
        $rd close
        wait_blocked 0
        assert_equal [s clients_in_timeout_table] 0
        r rpush gone v
        assert_equal [r lrange gone 0 -1] {v}
        r del gone
    }

    test {CLIENT KILL of a blocked client} {
        set c1 [redis_deferring_client]
        set c2 [redis_deferring_client]
        $c1 client id
        set id [$c1 read]
        $c1 blpop killed 0
        wait_blocked 1
        $c2 blpop killed 0
        wait_blocked 2
        assert_equal [r client kill id $id] 1
        wait_blocked 1
        r rpush killed v
        assert_equal [$c2 read] {killed v}
        assert_equal [r exists killed] 0
        $c1 close
        $c2 close
    }

    test {Many clients with deadlines time out in order} {
        set clients {}
        foreach t {0.3 0.1 0.2} {
            set rd [redis_deferring_client]
            $rd blpop never $t
            lappend clients $rd
        }
        wait_blocked 3
        assert_equal [s clients_in_timeout_table] 3
        foreach rd $clients {
            assert_equal [$rd read] {}
            $rd close
        }
        wait_blocked 0
        assert_equal [s clients_in_timeout_table] 0
    }

    test {Served clients leave the timeout table} {
        set clients {}
        for {set j 0} {$j < 20} {incr j} {
            set rd [redis_deferring_client]
            $rd blpop tt [expr {10 + $j}]
            lappend clients $rd
        }
        wait_blocked 20
        assert_equal [s clients_in_timeout_table] 20
        for {set j 0} {$j < 20} {incr j} { r rpush tt $j }
        set j 0
        foreach rd $clients {
            assert_equal [$rd read] [list tt $j]
            incr j
            $rd close
        }
        wait_blocked 0
        assert_equal [s clients_in_timeout_table] 0
    }
}
