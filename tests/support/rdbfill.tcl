# Helpers of the persistence tests (sourced by the files that need them):
# a fill with every type in each of its encodings, and a dump of a
# database's content that does not depend on encodings or on hash order.

# Fills the current database of client c with one key per type and
# encoding (7.0's default thresholds), plus keys with deadlines.
proc rdb_fill_all_types {c} {
    $c set str:int 12345
    $c set str:neg -7
    $c set str:emb hello
    $c set str:raw [string repeat x 200]
    $c set str:bin "a\x00b\r\n\xff"
    $c set str:big64 9223372036854775807
    $c set str:ttl v px 100000000
    $c rpush list:small a 1 2 b -300 70000 3000000000
    for {set i 0} {$i < 300} {incr i} { lappend l elem-$i }
    $c rpush list:big {*}$l
    $c sadd set:int 1 2 3 -5 100000
    $c sadd set:str a b c
    for {set i 0} {$i < 600} {incr i} { lappend s $i }
    $c sadd set:bigint {*}$s
    $c hset hash:small a 1 b 2 c [string repeat y 30]
    set h {}
    for {set i 0} {$i < 600} {incr i} { lappend h f$i v$i }
    $c hset hash:big {*}$h
    $c hset hash:longval f [string repeat z 100]
    $c zadd zset:small 1.5 a -2 b 3 c
    set z {}
    for {set i 0} {$i < 200} {incr i} { lappend z [expr {$i / 3.0}] m$i }
    $c zadd zset:big {*}$z
    $c zadd zset:inf +inf p -inf n 0 zero
    $c hset hash:ttl a b
    $c pexpire hash:ttl 100000000
}

# The content of the current database of c as a sorted list of
# {key type value ttl-present} items, values in a canonical form.
proc rdb_dump_db {c} {
    set out {}
    foreach k [lsort [$c keys *]] {
        set t [$c type $k]
        switch $t {
            string { set v [$c get $k] }
            list { set v [$c lrange $k 0 -1] }
            set { set v [lsort [$c smembers $k]] }
            zset { set v [$c zrange $k 0 -1 withscores] }
            hash { set v [lsort -stride 2 [$c hgetall $k]] }
            default { set v ? }
        }
        lappend out [list $k $t $v [expr {[$c pttl $k] > 0}]]
    }
    return $out
}

# The encoding of every key of the current database of c, as a dict.
proc rdb_encodings {c} {
    set out {}
    foreach k [lsort [$c keys *]] { dict set out $k [$c object encoding $k] }
    return $out
}
