# The lean skiplist encoding of sorted sets (t_zset.c): one allocation per
# member (the skiplist node holds the score and the member's bytes) and a
# pointer table member -> node. These tests assert it from outside: growth
# and shrink of the table (DEBUG HTSTATS-KEY), ranks and scores across both,
# the ZSCAN guarantee across a resize, random picks that reach every member,
# MEMORY USAGE, and RDB files exchanged with the real Redis 7.0.15.

# Adds members m0..m(n-1) with score i*2 to key, in batches.
proc zl_fill {key n} {
    for {set i 0} {$i < $n} {incr i 500} {
        set args {}
        for {set j $i} {$j < $n && $j < $i + 500} {incr j} { lappend args [expr {$j * 2}] m$j }
        r zadd $key {*}$args
    }
}

# The size the member table is heading for: of the last array DEBUG
# HTSTATS-KEY describes (the new one while a resize runs).
proc zl_table_size {key} {
    set sizes [regexp -all -inline {table size: \d+} [r debug htstats-key $key]]
    return [lindex [lindex $sizes end] end]
}

# Walks ZSCAN with COUNT count, running `between` after each step; returns
# the dict of members seen -> score.
proc zl_scan_all {key count between} {
    set seen {}
    set cursor 0
    while 1 {
        lassign [r zscan $key $cursor count $count] cursor pairs
        foreach {m s} $pairs { dict set seen $m $s }
        uplevel 1 $between
        if {$cursor == 0} break
    }
    return $seen
}

start_server {tags {zset lean}} {
    test {A big sorted set grows its member table and keeps ranks and scores} {
        r del z
        zl_fill z 5000
        assert_encoding skiplist z
        assert_equal 5000 [r zcard z]
        assert_morethan_equal [zl_table_size z] 5000
        set bad 0
        for {set i 0} {$i < 5000} {incr i 97} {
            if {[r zscore z m$i] != $i * 2 || [r zrank z m$i] != $i || [r zrevrank z m$i] != 4999 - $i} {
                incr bad
            }
        }
        list $bad [r zrange z 4998 -1 withscores] [r zrangebyscore z (9990 +inf]
    } {0 {m4998 9996 m4999 9998} {m4996 m4997 m4998 m4999}}

    test {Score changes move nodes without losing members} {
        # Every member's score flips sign: each node moves to the other end.
        for {set i 0} {$i < 5000} {incr i 500} {
            set args {}
            for {set j $i} {$j < $i + 500} {incr j} { lappend args [expr {-$j * 2}] m$j }
            r zadd z {*}$args
        }
        r zincrby z 100000 m0
        list [r zcard z] [r zrange z 0 1] [r zrange z -1 -1 withscores] [r zscore z m2500] [r zrank z m2500]
    } {5000 {m4999 m4998} {m0 100000} -5000 2499}

    test {Deleting down to a few members shrinks the table} {
        set big [zl_table_size z]
        r zremrangebyrank z 0 4989
        r zadd z 1 x
        r zrem z x
        set small [zl_table_size z]
        list [r zcard z] [expr {$small < $big}] [r zrange z 0 -1] [r zscore z m0] [r zscore z m4000]
    } {10 1 {m9 m8 m7 m6 m5 m4 m3 m2 m1 m0} 100000 {}}

    test {ZSCAN returns every member once a rehash is under way, with their scores} {
        r del z
        zl_fill z 3000
        # Growing while the walk runs: each step adds 50 members past m3000,
        # so the table resizes (at least once) during the walk.
        set size_before [zl_table_size z]
        set next 3000
        set seen [zl_scan_all z 20 {
            set args {}
            for {set k 0} {$k < 50} {incr k} {
                lappend args [expr {$next * 2}] m$next
                incr next
            }
            r zadd z {*}$args
        }]
        assert_morethan [zl_table_size z] $size_before
        set missing 0
        for {set i 0} {$i < 3000} {incr i} {
            if {![dict exists $seen m$i] || [dict get $seen m$i] != $i * 2} { incr missing }
        }
        set missing
    } {0}

    test {ZSCAN returns every member while deletions shrink the table} {
        r del z
        zl_fill z 3000
        set size_before [zl_table_size z]
        set doomed 2999
        set seen [zl_scan_all z 10 {
            # Deletes only members m200 and up; m0..m199 are there all along.
            for {set k 0} {$k < 50 && $doomed >= 200} {incr k} {
                r zrem z m$doomed
                incr doomed -1
            }
        }]
        set missing 0
        for {set i 0} {$i < 200} {incr i} {
            if {![dict exists $seen m$i]} { incr missing }
        }
        list $missing [r zcard z] [expr {[zl_table_size z] < $size_before}]
    } {0 200 1}

    test {ZSCAN MATCH on the big encoding} {
        r del z
        zl_fill z 1000
        set seen [dict create]
        set cursor 0
        while 1 {
            lassign [r zscan z $cursor match m99* count 100] cursor pairs
            foreach {m s} $pairs { dict set seen $m $s }
            if {$cursor == 0} break
        }
        lsort [dict keys $seen]
    } {m99 m990 m991 m992 m993 m994 m995 m996 m997 m998 m999}

    test {Random picks reach every member of a big sorted set} {
        r del z
        zl_fill z 300
        set seen [dict create]
        for {set round 0} {$round < 50 && [dict size $seen] < 300} {incr round} {
            foreach {m s} [r zrandmember z -200 withscores] {
                if {$s != [string range $m 1 end] * 2} { error "wrong score $s for $m" }
                dict set seen $m 1
            }
        }
        set distinct [llength [r zrandmember z 300]]
        list [dict size $seen] $distinct [llength [r zrandmember z 250]]
    } {300 300 250}

    test {ZPOPMIN and ZPOPMAX empty a big sorted set in order} {
        r del z
        zl_fill z 1000
        set prev -1
        set ok 1
        while {[r exists z]} {
            lassign [r zpopmin z] m s
            if {$s <= $prev} { set ok 0 }
            set prev $s
            if {[r exists z]} {
                lassign [r zpopmax z] m2 s2
                if {$s2 <= $s} { set ok 0 }
            }
        }
        set ok
    } {1}

    test {MEMORY USAGE counts the nodes and the table, below Redis's 110 bytes a member} {
        r del z
        zl_fill z 2000
        set all [r memory usage z samples 0]
        # A node is at least its 24-byte header, one level and the member.
        assert_morethan $all [expr {2000 * 40}]
        assert_lessthan $all [expr {2000 * 100}]
    }

    test {DEBUG HTSTATS-KEY describes the member table} {
        assert_match {*table size: *number of elements: 2000*} [r debug htstats-key z]
    }
}

source tests/support/oracle.tcl

if {[oracle_available]} {
    start_server {tags {zset lean interop external:skip}} {
        test {Redis 7.0 loads a big sorted set from Ember's RDB file, and Ember loads Redis's} {
            r flushall
            zl_fill z 2000
            r zadd z 1.5 frac -inf low +inf high
            r zadd z 0 [string repeat x 300]
            set want [r zrange z 0 -1 withscores]
            r save
            set dir [file normalize [file join $::opt(tmpdir) "zl-oracle.[pid]"]]
            file mkdir $dir
            file copy -force [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
            assert_match {*RDB looks OK*} [exec /usr/bin/redis-check-rdb [file join $dir dump.rdb]]
            set ox [oracle_start $dir --appendonly no]
            set o [oracle_client $ox]
            set got_redis [$o zrange z 0 -1 withscores]
            set enc_redis [$o object encoding z]
            $o zadd z 7 fromredis
            $o zrem z m0
            set want_back [$o zrange z 0 -1 withscores]
            $o save
            oracle_stop $ox
            r flushall
            file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
            r debug reload nosave
            list [string equal $got_redis $want] $enc_redis [string equal [r zrange z 0 -1 withscores] $want_back] \
                [r object encoding z] [r zcard z] [r zscore z fromredis]
        } {1 skiplist 1 skiplist 2004 7}

        test {A big sorted set DUMPs to the same bytes as Redis 7.0's and RESTOREs both ways} {
            set dir [file normalize [file join $::opt(tmpdir) "zl-oracle2.[pid]"]]
            file mkdir $dir
            set ox [oracle_start $dir --appendonly no]
            set o [oracle_client $ox]
            r del z
            zl_fill z 1000
            for {set i 0} {$i < 1000} {incr i 500} {
                set args {}
                for {set j $i} {$j < $i + 500} {incr j} { lappend args [expr {$j * 2}] m$j }
                $o zadd z {*}$args
            }
            set ours [r dump z]
            set theirs [$o dump z]
            $o restore z2 0 $ours
            r restore z2 0 $theirs
            set back [$o zrange z2 0 -1 withscores]
            oracle_stop $ox
            list [string equal $ours $theirs] [string equal $back [r zrange z 0 -1 withscores]] \
                [string equal [r zrange z2 0 -1 withscores] $back] [r object encoding z2]
        } {1 1 1 skiplist}
    }
}
