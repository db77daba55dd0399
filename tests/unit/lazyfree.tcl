# Lazy free: UNLINK, FLUSHALL/FLUSHDB ASYNC and lazyfree-lazy-user-del /
# -user-flush hand big values to the background thread (counted in INFO
# lazyfree_pending_objects and lazyfreed_objects); small values and SYNC
# flushes are freed at once. These figures are the same in Redis 7.0.15.

proc lf_big_set {key} {
    set members {}
    for {set i 0} {$i < 1000} {incr i} { lappend members m$i }
    r sadd $key {*}$members
}

proc lf_wait_done {} {
    wait_for_condition 100 50 {[s lazyfree_pending_objects] == 0} else { fail "lazy free did not finish" }
}

start_server {tags {lazyfree}} {
    test {UNLINK of a big value frees it in the background} {
        r config resetstat
        set before [s lazyfreed_objects]
        lf_big_set big
        assert_equal [r unlink big] 1
        lf_wait_done
        list [r exists big] [expr {[s lazyfreed_objects] - $before}]
    } {0 1}

    test {UNLINK of a stream of many nodes frees it in the background} {
        set before [s lazyfreed_objects]
        r config set stream-node-max-entries 2
        for {set i 1} {$i <= 200} {incr i} { r xadd st $i-1 f v }
        r config set stream-node-max-entries 100
        r unlink st
        lf_wait_done
        expr {[s lazyfreed_objects] - $before}
    } {1}

    test {UNLINK of a small value frees it at once} {
        set before [s lazyfreed_objects]
        r sadd small a b c
        r set str hello
        r unlink small str
        lf_wait_done
        expr {[s lazyfreed_objects] - $before}
    } {0}

    test {FLUSHALL ASYNC counts every key it hands over} {
        r flushall
        set before [s lazyfreed_objects]
        for {set i 0} {$i < 100} {incr i} { r set k$i v }
        lf_big_set big
        r flushall async
        set size [r dbsize]
        lf_wait_done
        list $size [expr {[s lazyfreed_objects] - $before}]
    } {0 101}

    test {FLUSHDB SYNC frees at once even with lazyfree-lazy-user-flush} {
        r config set lazyfree-lazy-user-flush yes
        set before [s lazyfreed_objects]
        for {set i 0} {$i < 10} {incr i} { r set k$i v }
        r flushdb sync
        set sync [expr {[s lazyfreed_objects] - $before}]
        for {set i 0} {$i < 10} {incr i} { r set k$i v }
        r flushdb
        lf_wait_done
        r config set lazyfree-lazy-user-flush no
        list $sync [expr {[s lazyfreed_objects] - $before}]
    } {0 10}

    test {DEL frees big values lazily with lazyfree-lazy-user-del} {
        set before [s lazyfreed_objects]
        lf_big_set big
        r del big
        set plain [expr {[s lazyfreed_objects] - $before}]
        r config set lazyfree-lazy-user-del yes
        lf_big_set big
        r del big
        lf_wait_done
        r config set lazyfree-lazy-user-del no
        list $plain [expr {[s lazyfreed_objects] - $before}]
    } {0 1}

    test {A big value that expires is freed lazily with lazyfree-lazy-expire} {
        r config set lazyfree-lazy-expire yes
        set before [s lazyfreed_objects]
        lf_big_set big
        r pexpire big 1
        after 20
        assert_equal [r exists big] 0
        lf_wait_done
        r config set lazyfree-lazy-expire no
        expr {[s lazyfreed_objects] - $before}
    } {1}
}

start_server {tags {lazyfree}} {
    test {Overwrites and implicit deletions free at once by default} {
        set before [s lazyfreed_objects]
        lf_big_set big
        r set big value
        lf_big_set big2
        lf_big_set dst
        r rename big2 dst
        list [expr {[s lazyfreed_objects] - $before}] [r get big] [r scard dst]
    } {0 value 1000}

    test {lazyfree-lazy-server-del frees what SET, RENAME and *STORE replace in the background} {
        r flushall
        r config set lazyfree-lazy-server-del yes
        set before [s lazyfreed_objects]
        lf_big_set big
        r set big value
        lf_big_set big2
        lf_big_set dst
        r rename big2 dst
        lf_big_set store
        r sadd small a b
        r sunionstore store small
        lf_big_set gone
        r sinterstore gone small nosuchkey
        lf_wait_done
        r config set lazyfree-lazy-server-del no
        list [expr {[s lazyfreed_objects] - $before}] [r get big] [r scard dst] [lsort [r smembers store]] [r exists gone]
    } {4 value 1000 {a b} 0}

    test {DEL keeps to lazyfree-lazy-user-del, not -server-del} {
        r flushall
        r config set lazyfree-lazy-server-del yes
        set before [s lazyfreed_objects]
        lf_big_set big
        r del big
        r config set lazyfree-lazy-server-del no
        expr {[s lazyfreed_objects] - $before}
    } {0}

    test {FLUSHALL ASYNC inside MULTI after writes of the same transaction is safe} {
        r multi
        r set a 1
        r sadd s x y
        r flushall async
        r set b 2
        set replies [r exec]
        list $replies [r keys *] [r get b]
    } {{OK 2 OK OK} b 2}
}
