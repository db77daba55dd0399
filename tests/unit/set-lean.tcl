# Hashtable sets as one allocation per member in a pointer table
# (src/t_set_table.c): growth and shrink, scans across a rehash, random
# picks, member lengths around the header's limit, MEMORY USAGE, set
# algebra on big sets, and RDB and DUMP payloads exchanged with the real
# Redis 7.0.15.

source tests/support/oracle.tcl

# Adds members prefix0 .. prefix(n-1) to key, 500 to a command.
proc lean_fill {key prefix n} {
    for {set i 0} {$i < $n} {incr i 500} {
        set batch {}
        for {set j $i} {$j < $n && $j < $i + 500} {incr j} { lappend batch $prefix$j }
        r sadd $key {*}$batch
    }
}

proc lean_members {prefix from to} {
    set l {}
    for {set j $from} {$j < $to} {incr j} { lappend l $prefix$j }
    return $l
}

# The "table size" figures of DEBUG HTSTATS-KEY, largest first.
proc lean_table_size {key} {
    set sizes [regexp -all -inline {table size: (\d+)} [r debug htstats-key $key]]
    set n 0
    foreach {_ s} $sizes { if {$s > $n} { set n $s } }
    return $n
}

start_server {tags {set lean}} {
    test {A big set keeps every member across growth and back down to a few} {
        r del s
        lean_fill s m 5000
        assert_encoding hashtable s
        assert_equal [r scard s] 5000
        assert_equal [lsort [r smembers s]] [lsort [lean_members m 0 5000]]
        assert_equal [lsort -unique [r smismember s {*}[lean_members m 0 5000]]] 1
        assert_equal [r sismember s m5000] 0
        set big [lean_table_size s]
        assert_morethan_equal $big 5000
        r srem s {*}[lean_members m 3 5000]
        assert_equal [lsort [r smembers s]] {m0 m1 m2}
        assert_encoding hashtable s
        # The table shrinks with the deletions (possibly mid-rehash).
        assert_lessthan [lean_table_size s] $big
        assert_equal [r sadd s m1 m4] 1
        assert_equal [lsort [r smembers s]] {m0 m1 m2 m4}
    }

    test {SSCAN misses no member present all along while the table grows and shrinks} {
        r del s
        lean_fill s keep 1000
        set seen {}
        set cursor 0
        set step 0
        while 1 {
            lassign [r sscan s $cursor count 20] cursor batch
            foreach m $batch { dict set seen $m 1 }
            incr step
            # Grow by 4000 members early on, then take them away again.
            if {$step == 3} { lean_fill s tmp 4000 }
            if {$step == 20} { r srem s {*}[lean_members tmp 0 4000] }
            if {$cursor == 0} break
        }
        foreach m [lean_members keep 0 1000] {
            if {![dict exists $seen $m]} { fail "SSCAN missed $m" }
        }
        assert_equal [r scard s] 1000
    }

    test {SSCAN with MATCH and COUNT on a big set} {
        r del s
        lean_fill s m 3000
        set seen {}
        set cursor 0
        while 1 {
            lassign [r sscan s $cursor match m1* count 100] cursor batch
            foreach m $batch { dict set seen $m 1 }
            if {$cursor == 0} break
        }
        assert_equal [lsort [dict keys $seen]] [lsort [lsearch -all -inline [lean_members m 0 3000] m1*]]
    }

    test {Random picks reach every member of a hashtable set} {
        r del s
        lean_fill s r 40
        assert_encoding hashtable s
        set seen {}
        foreach m [r srandmember s -4000] { dict set seen $m 1 }
        assert_equal [lsort [dict keys $seen]] [lsort [lean_members r 0 40]]
        set seen {}
        for {set i 0} {$i < 400} {incr i} { dict set seen [r srandmember s] 1 }
        assert_equal [lsort [dict keys $seen]] [lsort [lean_members r 0 40]]
        # Distinct picks, by the shuffle (count > size/3) and by sampling.
        foreach count {30 5} {
            set picked [r srandmember s $count]
            assert_equal [llength $picked] $count
            assert_equal [llength [lsort -unique $picked]] $count
            foreach m $picked { assert_equal [r sismember s $m] 1 }
        }
        set popped {}
        for {set i 0} {$i < 40} {incr i} { lappend popped [r spop s] }
        assert_equal [lsort $popped] [lsort [lean_members r 0 40]]
        assert_equal [r exists s] 0
    }

    test {SPOP with a count, both ways, gives distinct members and keeps the rest} {
        foreach count {10 900} {
            r del s
            lean_fill s p 1000
            set popped [r spop s $count]
            assert_equal [llength [lsort -unique $popped]] $count
            set rest [r smembers s]
            assert_equal [llength $rest] [expr {1000 - $count}]
            assert_equal [lsort [concat $popped $rest]] [lsort [lean_members p 0 1000]]
        }
    }

    test {Members of every length: empty, binary, around the 255-byte header limit, long} {
        r del s
        set members [list "" "a\x00b" [string repeat x 254] [string repeat y 255] \
            [string repeat z 256] [string repeat w 100000] plain]
        assert_equal [r sadd s {*}$members] [llength $members]
        assert_equal [r sadd s {*}$members] 0
        assert_encoding hashtable s
        assert_equal [lsort [r smembers s]] [lsort $members]
        foreach m $members { assert_equal [r sismember s $m] 1 }
        assert_equal [r sismember s [string repeat y 254]] 0
        set digest [r debug digest-value s]
        r debug reload
        assert_equal [r debug digest-value s] $digest
        assert_equal [lsort [r smembers s]] [lsort $members]
        r restore s2 0 [r dump s]
        assert_equal [r debug digest-value s2] $digest
        assert_equal [r srem s {*}$members] [llength $members]
        assert_equal [r exists s] 0
    }

    test {Set algebra on big sets matches the members computed here} {
        r del a b i u d
        lean_fill a m 3000
        for {set j 2000} {$j < 5000} {incr j 500} { r sadd b {*}[lean_members m $j [expr {$j + 500}]] }
        r sadd b 7 8 9
        assert_equal [lsort [r sinter a b]] [lsort [lean_members m 2000 3000]]
        assert_equal [r sintercard 2 a b] 1000
        assert_equal [r sintercard 2 a b limit 10] 10
        assert_equal [r sinterstore i a b] 1000
        assert_encoding hashtable i
        assert_equal [r sunionstore u a b] 5003
        assert_equal [lsort [r sunion a b]] [lsort [concat [lean_members m 0 5000] {7 8 9}]]
        assert_equal [r sdiffstore d a b] 2000
        assert_equal [lsort [r smembers d]] [lsort [lean_members m 0 2000]]
        assert_equal [lsort [r sdiff b a]] [lsort [concat [lean_members m 3000 5000] {7 8 9}]]
        assert_equal [r smove a b m0] 1
        assert_equal [r smismember a m0 m1] {0 1}
    }

    test {MEMORY USAGE of a big set counts 16 to 48 bytes a member of 13 to 16 bytes} {
        r del s
        lean_fill s member:00000 10000
        set usage [r memory usage s samples 0]
        assert_morethan $usage [expr {10000 * 16}]
        assert_lessthan $usage [expr {10000 * 48}]
        assert_morethan [r memory usage s] [expr {10000 * 16}]
    }
}

start_server {tags {set lean interop external:skip}} {
    if {![oracle_available]} {
        puts "set-lean: /usr/bin/redis-server not found, skipping the interop tests"
        return
    }

    test {Redis 7.0 loads Ember's big sets, and restores their DUMP payloads} {
        r flushall
        lean_fill big e 3000
        r sadd long [string repeat q 300] [string repeat r 70000] short
        r sadd ints {*}[lean_members "" 0 600]
        assert_encoding hashtable ints
        set want {}
        foreach k {big long ints} { lappend want [lsort [r smembers $k]] }
        set payload [r dump big]
        r save
        set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        file copy [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
        assert_match {*RDB looks OK*} [exec /usr/bin/redis-check-rdb [file join $dir dump.rdb]]
        set ox [oracle_start $dir --appendonly no ]
        set o [oracle_client $ox]
        set got {}
        foreach k {big long ints} { lappend got [lsort [$o smembers $k]] }
        assert_equal $got $want
        assert_equal [$o object encoding big] hashtable
        $o restore copy 0 $payload
        assert_equal [lsort [$o smembers copy]] [lindex $want 0]
        oracle_stop $ox
    }

    test {Ember loads Redis 7.0's big sets} {
        set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no ]
        set o [oracle_client $ox]
        for {set j 0} {$j < 3000} {incr j 500} { $o sadd big {*}[lean_members f $j [expr {$j + 500}]] }
        $o sadd long [string repeat q 300] short
        $o sadd many {*}[lean_members "" 0 600]
        set want {}
        foreach k {big long many} { lappend want [lsort [$o smembers $k]] }
        set payload [$o dump big]
        $o save
        oracle_stop $ox
        r flushall
        file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
        r debug reload nosave
        set got {}
        foreach k {big long many} { lappend got [lsort [r smembers $k]] }
        assert_equal $got $want
        assert_encoding hashtable big
        assert_encoding hashtable many
        assert_equal [r scard big] 3000
        r restore copy 0 $payload
        assert_equal [lsort [r smembers copy]] [lindex $want 0]
    }
}
