# Helpers of the replication tests: a write load of every type, waiting
# for a replica to catch up, and a dataset comparison that works between
# Ember and Redis (whose DEBUG DIGEST values differ).

proc repl_oracle_dir {} {
    set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
    file mkdir $dir
    return $dir
}

# One round of writes of every type on client c (keys spread over two
# databases); n makes the values differ between rounds.
proc repl_write_round {c n} {
    $c select 0
    $c set s:$n v$n
    $c incr counter
    $c append s:app $n
    $c rpush l:a $n x$n
    $c lpop l:a
    $c sadd st:a $n m$n
    $c srem st:a [expr {$n - 1}]
    $c hset h:a f$n $n
    $c hincrby h:a cnt 1
    $c zadd z:a $n m$n
    $c zincrby z:a 1.5 m0
    $c setex ttl:$n 1000 x
    $c pfadd hll m$n
    $c xadd xs * f $n
    $c setbit bits $n 1
    $c select 9
    $c set other:$n $n
    $c multi
    $c incr tx
    $c rpush l:tx $n
    $c exec
    $c select 0
}

# Waits until the replica (client r) has applied everything the primary
# (client m) wrote: equal offsets and a link that is up.
proc repl_wait_synced {m rc} {
    wait_for_condition 200 50 {
        [getInfoProperty [$rc info replication] master_link_status] eq "up" &&
        [getInfoProperty [$m info replication] master_repl_offset] ==
        [getInfoProperty [$rc info replication] slave_repl_offset]
    } else {
        fail "replica did not catch up: [$rc info replication]"
    }
}

# Every key of every database of c with its type, value in a canonical
# form and absolute deadline; c is left on database 0.
proc repl_dataset {c} {
    set out {}
    for {set db 0} {$db < 16} {incr db} {
        $c select $db
        foreach k [lsort [$c keys *]] {
            set t [$c type $k]
            switch $t {
                string { set v [$c get $k] }
                list { set v [$c lrange $k 0 -1] }
                set { set v [lsort [$c smembers $k]] }
                zset { set v [$c zrange $k 0 -1 withscores] }
                hash { set v [lsort -stride 2 [$c hgetall $k]] }
                stream { set v [$c xrange $k - +] }
                default { set v ? }
            }
            lappend out [list $db $k $t $v [$c pexpiretime $k]]
        }
    }
    $c select 0
    return $out
}

proc repl_info_names {c} {
    set names {}
    foreach line [split [$c info replication] "\n"] {
        set line [string trim $line]
        if {$line eq "" || [string index $line 0] eq "#"} continue
        lappend names [lindex [split $line :] 0]
    }
    return $names
}
