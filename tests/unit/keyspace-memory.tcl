# The lean keyspace (keyspace.c): one allocation per key with the deadline
# and a short value inside, a pointer table with incremental rehash, the
# array of keys with a deadline, one table per slot in cluster mode. These
# tests assert the structure from outside: entry sizes through MEMORY
# USAGE, value objects through OBJECT and DEBUG OBJECT, the SCAN guarantee
# across a rehash, and that expiry, eviction and persistence still see every
# key.

# Scans db with COUNT count and returns the set of keys seen; between steps
# runs the script `between` (with the step number in $step).
proc km_scan_all {count between} {
    set seen {}
    set cursor 0
    set step 0
    while 1 {
        lassign [r scan $cursor count $count] cursor keys
        foreach k $keys { dict set seen $k 1 }
        uplevel 1 [list set step $step]
        uplevel 1 $between
        incr step
        if {$cursor == 0} break
    }
    return $seen
}

start_server {tags {keyspace memory}} {
    test {A 12-byte key with a 12-byte value is one 48-byte entry} {
        r flushall
        if {![string match jemalloc* [s mem_allocator]]} return
        r set key:00000001 val:00000001
        # The entry (48) and its slot in the table (8).
        assert_equal 56 [r memory usage key:00000001]
        r set key:00000002 val:00000002 ex 100
        # A deadline (16 bytes) puts the entry in the 64 class.
        assert_equal 72 [r memory usage key:00000002]
        assert_match {key_sds_len:12, key_sds_avail:0, key_zmalloc: 64, val_sds_len:12, val_sds_avail:0, val_zmalloc: 64} \
            [r debug sdslen key:00000002]
    }

    test {Values in the entry keep their encodings and reference counts} {
        r flushall
        r set emb hello
        r set int 123456
        r set shared 42
        r set raw [string repeat x 100]
        assert_encoding embstr emb
        assert_encoding int int
        assert_encoding int shared
        assert_encoding raw raw
        assert_match {Value at:* refcount:1 encoding:embstr serializedlength:*} [r debug object emb]
        assert_equal 1 [r object refcount int]
        assert_equal 2147483647 [r object refcount shared]
        assert_equal 1 [r object refcount raw]
        # Giving a key a deadline moves its entry; the value is the same.
        r expire emb 100
        r expire int 100
        assert_equal hello [r get emb]
        assert_equal 123457 [r incr int]
        assert_range [r ttl int] 90 100
        r persist int
        assert_equal -1 [r ttl int]
        assert_equal 123458 [r incr int]
        # Overwrites across the kinds: embedded, boxed, and back.
        r set emb [string repeat y 60]
        assert_encoding raw emb
        r set emb short
        assert_encoding embstr emb
        r append emb ened
        assert_equal shortened [r get emb]
        assert_encoding raw emb
        r set emb 7
        assert_equal 2147483647 [r object refcount emb]
    }

    test {SET on a key with a deadline drops it, KEEPTTL keeps it, in place or not} {
        r flushall
        r set k v1 ex 100
        r set k v2 keepttl
        assert_range [r ttl k] 90 100
        r set k [string repeat z 50] keepttl
        assert_range [r ttl k] 90 100
        r set k v3
        assert_equal -1 [r ttl k]
        assert_equal v3 [r get k]
        assert_match {*keys=1,expires=0,*} [r info keyspace]
    }

    test {RENAME, MOVE and COPY carry the value and the deadline} {
        r flushall
        r set a va px 100000
        r rename a b
        assert_equal va [r get b]
        assert_range [r pttl b] 90000 100000
        r move b 1
        r select 1
        assert_equal va [r get b]
        assert_range [r pttl b] 90000 100000
        r copy b c
        assert_equal va [r get c]
        assert_range [r pttl c] 90000 100000
        r flushdb
        r select 0
    }

    test {SCAN returns every key present throughout, across growth and shrink of the table} {
        r flushall
        # Rehash only through writes, so the scan overlaps the rehashes.
        r config set activerehashing no
        for {set j 0} {$j < 1000} {incr j} { r set keep:$j $j }
        set rehashing_seen 0
        set seen [km_scan_all 5 {
            if {$step < 150} {
                for {set i 0} {$i < 60} {incr i} { r set churn:$step:$i x }
            } elseif {$step == 150} {
                r eval {for _, k in ipairs(redis.call('keys', 'churn:*')) do redis.call('del', k) end} 0
            }
            if {[string match {*rehashing target*} [r debug htstats 0]]} { set rehashing_seen 1 }
        }]
        r config set activerehashing yes
        set missing 0
        for {set j 0} {$j < 1000} {incr j} { if {![dict exists $seen keep:$j]} { incr missing } }
        list $missing $rehashing_seen
    } {0 1}

    test {Active expiry removes many keys with a deadline among persistent ones} {
        r flushall
        r debug set-active-expire 0
        set rd [redis_deferring_client]
        for {set j 0} {$j < 5000} {incr j} {
            $rd set v:$j x px 50
            $rd set p:$j x
        }
        for {set j 0} {$j < 10000} {incr j} { $rd read }
        $rd close
        assert_equal 10000 [r dbsize]
        assert_match {*keys=10000,expires=5000,*} [r info keyspace]
        set before [s expired_keys]
        after 100
        r debug set-active-expire 1
        wait_for_condition 100 50 {[r dbsize] == 5000} else {
            fail "active expiry left [r dbsize] keys"
        }
        assert_equal 5000 [expr {[s expired_keys] - $before}]
        assert_match {*keys=5000,expires=0,*} [r info keyspace]
        assert_equal 0 [r exists v:1]
        assert_equal 1 [r exists p:1]
    }

    test {volatile-random evicts only keys with a deadline; allkeys-random any key} {
        r flushall
        r config set maxmemory 0
        set rd [redis_deferring_client]
        set val [string repeat x 200]
        for {set j 0} {$j < 2000} {incr j} {
            $rd set v:$j $val ex 10000
            $rd set p:$j $val
        }
        for {set j 0} {$j < 4000} {incr j} { $rd read }
        r config set maxmemory-policy volatile-random
        r config set maxmemory [expr {[s used_memory] - 100000}]
        for {set j 0} {$j < 200} {incr j} { $rd set new:$j $val }
        for {set j 0} {$j < 200} {incr j} { $rd read }
        $rd close
        r config set maxmemory 0
        set persistent 0
        foreach k [r keys p:*] { incr persistent }
        assert_equal 2000 $persistent
        assert_morethan [s evicted_keys] 100
        assert_lessthan [llength [r keys v:*]] 2000
        r config set maxmemory-policy noeviction
    }

    test {DEBUG RELOAD, DUMP and RESTORE keep values, deadlines and encodings} {
        r flushall
        r set e hello px 100000
        r set i 98765
        r set s 3
        r rpush l a b c
        set digest [r debug digest]
        r debug reload
        assert_equal $digest [r debug digest]
        assert_encoding embstr e
        assert_encoding int i
        assert_equal 2147483647 [r object refcount s]
        assert_range [r pttl e] 90000 100000
        set dump [r dump e]
        r del e
        r restore e 0 $dump idletime 1000
        assert_morethan [r object idletime e] 990
        assert_equal hello [r get e]
    }

    test {GET, DEL and SET of one key inside a transaction} {
        r flushall
        r set k value
        r multi
        r get k
        r del k
        r get k
        r set k other
        assert_equal {value 1 {} OK} [r exec]
    }

    test {FLUSHALL ASYNC and SWAPDB with the new tables} {
        r flushall
        for {set j 0} {$j < 1000} {incr j} { r set k:$j v px 100000 }
        r select 1
        r set only1 x
        r swapdb 0 1
        assert_equal 1000 [r dbsize]
        assert_match {*db1:keys=1000,expires=1000,*} [r info keyspace]
        r select 0
        assert_equal 1 [r dbsize]
        assert_equal x [r get only1]
        r flushall async
        assert_equal 0 [r dbsize]
        r select 1
        assert_equal 0 [r dbsize]
        r select 0
    }
}

# Cluster mode: one table per hash slot. This branch has no cluster bus, so
# the slot calls are reached through DEBUG; every key is served.
start_server {tags {keyspace memory cluster} overrides {cluster-enabled yes}} {
    # A one-node cluster serving every slot.
    r cluster addslotsrange 0 16383
    wait_for_condition 100 50 {[string match {*cluster_state:ok*} [r cluster info]]} else {
        fail "the cluster did not come up"
    }
    test {Per-slot tables: counting, listing and deleting the keys of a slot} {
        r flushall
        # {user1} hashes to slot 8106, {user2} to 12233.
        for {set j 0} {$j < 100} {incr j} { r set "{user1}:$j" $j }
        for {set j 0} {$j < 50} {incr j} { r set "{user2}:$j" $j px 100000 }
        for {set j 0} {$j < 500} {incr j} { r set other:$j $j }
        assert_equal 650 [r dbsize]
        assert_equal 100 [r debug countkeysinslot 8106]
        assert_equal 50 [r debug countkeysinslot 12233]
        set keys [r debug getkeysinslot 8106 10]
        assert_equal 10 [llength $keys]
        foreach k $keys { assert_match "{user1}:*" $k }
        assert_equal 100 [llength [r debug getkeysinslot 8106 1000]]
        assert_equal {} [r debug getkeysinslot 8106 0]
        assert_equal 50 [r debug delkeysinslot 12233]
        assert_equal 0 [r debug countkeysinslot 12233]
        assert_equal 600 [r dbsize]
        assert_match {*keys=600,expires=0,*} [r info keyspace]
        assert_error {ERR Invalid slot} {r debug countkeysinslot 16384}
        assert_error {ERR Invalid slot} {r debug getkeysinslot -1 10}
    }

    test {Per-slot tables: SCAN, KEYS, RANDOMKEY and eviction sampling see every slot} {
        set seen [km_scan_all 7 {
            if {$step % 10 == 0} { r set "added:$step" x }
        }]
        set missing 0
        for {set j 0} {$j < 100} {incr j} { if {![dict exists $seen "{user1}:$j"]} { incr missing } }
        for {set j 0} {$j < 500} {incr j} { if {![dict exists $seen other:$j]} { incr missing } }
        assert_equal 0 $missing
        assert_equal [r dbsize] [llength [r keys *]]
        set randoms {}
        for {set j 0} {$j < 200} {incr j} { dict set randoms [r randomkey] 1 }
        assert_morethan [dict size $randoms] 100
        r config set maxmemory-policy allkeys-lru
        r config set maxmemory [expr {[s used_memory] - 20000}]
        r set trigger x
        r config set maxmemory 0
        r config set maxmemory-policy noeviction
        assert_morethan [s evicted_keys] 0
    }

    test {Per-slot tables: deadlines, DEBUG RELOAD and FLUSHALL} {
        r flushall
        for {set j 0} {$j < 300} {incr j} { r set k:$j v px 100000 }
        for {set j 0} {$j < 300} {incr j} { r set p:$j v }
        set digest [r debug digest]
        r debug reload
        assert_equal $digest [r debug digest]
        assert_match {*keys=600,expires=300,*} [r info keyspace]
        r debug set-active-expire 0
        r pexpire p:1 1
        after 10
        assert_equal 0 [r exists p:1]
        r debug set-active-expire 1
        r flushall
        assert_equal 0 [r dbsize]
        assert_equal 0 [r debug countkeysinslot 8106]
    }
}
