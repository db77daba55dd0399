# The hashtable encoding of hashes as a table of entries (one allocation
# per field, src/t_hash_entry.c): growth and shrinking, values changing
# size in place and across the entry's two forms, HSCAN across a resize,
# random picks, MEMORY USAGE, and RDB / DUMP interop with Redis 7.0.15.

source tests/support/oracle.tcl

# The fields and values of hash key of client c, sorted by field: what
# two servers compare (DEBUG DIGEST-VALUE is Ember's own, not Redis's).
proc hl_content {c key} {
    set pairs {}
    foreach {f v} [$c hgetall $key] { lappend pairs [list $f $v] }
    lsort -index 0 $pairs
}

# Every field HSCAN of key returns, COUNT count; `between` runs after
# each step (it may change the hash).
proc hl_scan_fields {key count between} {
    set seen {}
    set cursor 0
    while 1 {
        lassign [r hscan $key $cursor count $count] cursor pairs
        foreach {f v} $pairs { dict set seen $f $v }
        uplevel 1 $between
        if {$cursor == 0} break
    }
    return $seen
}

proc hl_fill {key from to} {
    for {set i $from} {$i < $to} {incr i 500} {
        set args {}
        for {set j $i} {$j < $to && $j < $i + 500} {incr j} { lappend args f$j v$j }
        r hset $key {*}$args
    }
}

# The "table size" figures of DEBUG HTSTATS-KEY.
proc hl_table_sizes {key} {
    regexp -all -inline {table size: (\d+)} [r debug htstats-key $key]
}

start_server {tags {hash lean}} {
    test {A big hash grows and shrinks back as fields come and go} {
        r del h
        hl_fill h 0 5000
        assert_equal [r object encoding h] hashtable
        assert_equal [r hlen h] 5000
        for {set i 0} {$i < 5000} {incr i 7} { assert_equal [r hget h f$i] v$i }
        assert_match {Hash table 0 stats (main hash table):*number of elements: *} [r debug htstats-key h]
        set big [lindex [hl_table_sizes h] 1]
        assert {$big >= 5000 * 4 / 3}
        for {set i 3} {$i < 5000} {incr i} { r hdel h f$i }
        # A few more writes finish the shrink the deletions started.
        for {set i 0} {$i < 50} {incr i} { r hset h x$i y; r hdel h x$i }
        assert_equal [r hlen h] 3
        assert_equal [lsort [r hkeys h]] {f0 f1 f2}
        assert_equal [r hget h f2] v2
        set small [lindex [hl_table_sizes h] 1]
        assert {$small < 64}
        assert_equal [r object encoding h] hashtable
    }

    test {Values change size in place and across the long form} {
        r del h
        hl_fill h 0 200
        set long200 [string repeat a 200]
        set long300 [string repeat b 300]
        set field130 [string repeat c 130]
        r hset h f1 x
        assert_equal [r hget h f1] x
        r hset h f1 $long200
        assert_equal [r hget h f1] $long200
        r hset h f1 $long300
        assert_equal [r hstrlen h f1] 300
        assert_equal [r hget h f1] $long300
        r hset h f1 short
        assert_equal [r hget h f1] short
        r hset h $field130 v
        assert_equal [r hget h $field130] v
        r hset h $field130 $long300
        assert_equal [r hget h $field130] $long300
        r hset h "" ""
        assert_equal [r hexists h ""] 1
        assert_equal [r hget h ""] ""
        assert_equal [r hstrlen h ""] 0
        r hset h ctr 99
        assert_equal [r hincrby h ctr 1] 100
        assert_equal [r hincrby h ctr -91] 9
        assert_equal [r hincrbyfloat h ctr 0.5] 9.5
        assert_error {*not an integer*} {r hincrby h f1 1}
        assert_equal [r hsetnx h ctr 1] 0
        assert_equal [r hsetnx h new 1] 1
        assert_equal [r hget h ctr] 9.5
        assert_equal [r hlen h] 204
        set all [r hgetall h]
        assert_equal [dict get $all $field130] $long300
        assert_equal [dict get $all f150] v150
        assert_equal [llength [r hvals h]] 204
        assert_equal [r object encoding h] hashtable
    }

    test {HSCAN misses no field across a growth} {
        r del h
        hl_fill h 0 2000
        set i 2000
        set seen [hl_scan_fields h 50 {
            if {$i < 12000} { hl_fill h $i [expr {$i + 500}]; incr i 500 }
        }]
        for {set j 0} {$j < 2000} {incr j} {
            if {![dict exists $seen f$j]} { fail "f$j missing from the scan" }
            assert_equal [dict get $seen f$j] v$j
        }
    }

    test {HSCAN misses no field across a shrink} {
        r del h
        hl_fill h 0 8000
        set i 100
        set seen [hl_scan_fields h 20 {
            for {set k 0} {$k < 400 && $i < 8000} {incr k; incr i} { r hdel h f$i }
        }]
        for {set j 0} {$j < 100} {incr j} {
            if {![dict exists $seen f$j]} { fail "f$j missing from the scan" }
        }
        assert_equal [r hlen h] 100
    }

    test {HSCAN MATCH and COUNT on a big hash} {
        r del h
        hl_fill h 0 1000
        set seen {}
        set cursor 0
        while 1 {
            lassign [r hscan h $cursor match f1?? count 100] cursor pairs
            foreach {f v} $pairs { dict set seen $f $v }
            if {$cursor == 0} break
        }
        assert_equal [dict size $seen] 100
        assert_equal [dict get $seen f123] v123
    }

    test {HRANDFIELD picks every field, with values that belong to them} {
        r del h
        hl_fill h 0 300
        set seen {}
        for {set k 0} {$k < 10} {incr k} {
            foreach {f v} [r hrandfield h -1000 withvalues] {
                assert_equal $v "v[string range $f 1 end]"
                dict set seen $f 1
            }
        }
        assert_equal [dict size $seen] 300
        set one [r hrandfield h]
        assert_match {f*} $one
        foreach count {20 250 300 1000} {
            set picked [r hrandfield h $count withvalues]
            set expect [expr {$count > 300 ? 300 : $count}]
            assert_equal [llength $picked] [expr {$expect * 2}]
            set fields [dict keys $picked]
            assert_equal [llength [lsort -unique $fields]] $expect
            dict for {f v} $picked { assert_equal $v "v[string range $f 1 end]" }
        }
    }

    test {MEMORY USAGE of a big hash counts the table and the entries} {
        r del h
        set args {}
        for {set i 0} {$i < 10000} {incr i} { lappend args [format f%011d $i] [format v%011d $i] }
        r hset h {*}$args
        set usage [r memory usage h samples 0]
        # 10,000 entries of 26 bytes and 16,384 slots of 8 bytes; with
        # jemalloc an entry is a 32-byte allocation.
        assert {$usage >= 10000 * 26 + 16384 * 8}
        if {[string match jemalloc* [s mem_allocator]]} {
            assert {$usage >= 10000 * 32 + 16384 * 8}
            assert {$usage < 10000 * 32 + 16384 * 8 + 1024}
        }
        assert_equal [r memory usage h] $usage
    }

    test {DEBUG RELOAD, COPY and DEBUG DIGEST-VALUE keep a big hash} {
        r del h h2
        hl_fill h 0 3000
        r hset h long [string repeat x 1000]
        set digest [r debug digest-value h]
        r copy h h2
        assert_equal [r debug digest-value h2] $digest
        r debug reload
        assert_equal [r object encoding h] hashtable
        assert_equal [r debug digest-value h] $digest
        assert_equal [r hlen h] 3001
        assert_equal [r hget h f2999] v2999
    }
}

# Interop with the real Redis 7.0.15: the RDB file and DUMP payloads of a
# big hash go both ways.
if {[oracle_available]} {
    start_server {tags {hash lean interop external:skip}} {
        set dir [file normalize [file join $::opt(tmpdir) "hash-lean-oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no --enable-debug-command yes]
        set o [oracle_client $ox]

        test {Redis 7.0 loads Ember's RDB of a big hash, and Ember loads Redis's} {
            r flushall
            hl_fill h 0 4000
            r hset h long [string repeat y 700] "" empty
            set content [hl_content r h]
            r save
            assert_match {*RDB looks OK*} [exec /usr/bin/redis-check-rdb [file join [srv dir] dump.rdb]]
            file copy -force [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
            $o debug reload nosave
            assert_equal [$o object encoding h] hashtable
            assert_equal [$o hlen h] 4002
            assert_equal [hl_content $o h] $content
            assert_equal [$o hget h f3999] v3999
            $o hset h fromredis 1
            $o hdel h f0
            set content [hl_content $o h]
            $o save
            file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
            r debug reload nosave
            assert_equal [r object encoding h] hashtable
            assert_equal [hl_content r h] $content
            assert_equal [r hget h fromredis] 1
            assert_equal [r hexists h f0] 0
        }

        test {A DUMP of a big hash restores in Redis 7.0, and the reverse} {
            r del h
            $o del h
            hl_fill h 0 1000
            assert_equal [$o restore h 0 [r dump h]] OK
            assert_equal [hl_content $o h] [hl_content r h]
            $o hset h extra [string repeat z 300]
            r del h
            assert_equal [r restore h 0 [$o dump h]] OK
            assert_equal [hl_content r h] [hl_content $o h]
            assert_equal [r object encoding h] hashtable
        }

        oracle_stop $ox
    }
}
