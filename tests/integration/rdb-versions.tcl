# The RDB version hub: files written by Redis 7.2.6 (version 11) and 7.4.1
# (version 12) load with every value the writing server reported (the
# .expected.tcl files are generated from shared/compat/rdb/*.json; the
# stream, with its consumer group, is checked apart); what a 7.0-level
# server cannot hold (a hash with field expiries) is refused by default and
# skipped, naming the key, only with rdb-load-skip-unsupported yes.
# rdb-version picks what SAVE writes.

source tests/support/rdbfill.tcl

# Loads tests/assets/NAME.rdb into the server through DEBUG RELOAD NOSAVE.
proc load_asset {name} {
    file copy -force [file join tests assets $name.rdb] [file join [srv dir] dump.rdb]
    r debug reload nosave
}

# The stream of the 7.2/7.4 files, as the json beside them describes it
# (59 entries, group grp at 7-0 with 6 pending), then deleted so that the
# rest compares with the .expected.tcl files, which leave it out.
proc check_and_drop_asset_stream {} {
    assert_equal [r xlen stream] 59
    assert_equal [lindex [r xrange stream - + count 1] 0] {1-0 {f 1 g x}}
    set g [lindex [r xinfo groups stream] 0]
    assert_equal [dict get $g name] grp
    assert_equal [dict get $g last-delivered-id] 7-0
    assert_equal [dict get $g pending] 6
    assert_equal [lindex [r xpending stream grp] 0] 6
    r del stream
}

# Compares the loaded dataset with tests/assets/NAME.expected.tcl.
proc check_asset_content {name} {
    source [file join tests assets $name.expected.tcl]
    set total 0
    for {set db 0} {$db < 16} {incr db} { r select $db; incr total [r dbsize] }
    r select 0
    assert_equal $total [dict size $expected]
    dict for {dbkey want} $expected {
        lassign [split $dbkey :] db
        set key [string range $dbkey [expr {[string length $db] + 1}] end]
        lassign $want type ttl value
        r select $db
        assert_equal [r type $key] $type
        assert_equal [expr {[r pttl $key] > 0}] $ttl
        switch $type {
            string { assert_equal [r get $key] $value }
            list { assert_equal [r lrange $key 0 -1] $value }
            set { assert_equal [lsort [r smembers $key]] $value }
            hash { assert_equal [lsort -stride 2 [r hgetall $key]] $value }
            zset {
                set got [r zrange $key 0 -1 withscores]
                assert_equal [llength $got] [llength $value]
                foreach {m s} $got {wm ws} $value {
                    assert_equal $m $wm
                    assert {$s == $ws}
                }
            }
        }
    }
    r select 0
}

start_server {tags {rdb external:skip}} {
    foreach name {rdb-v11-redis-7.2.6 rdb-v12-redis-7.4.1} {
        test "$name loads every value, its stream's group and its function library" {
            load_asset $name
            check_and_drop_asset_stream
            check_asset_content $name
            assert_equal [r fcall fixfn 0] fix
            # 7.2's listpack sets take 7.0's encodings.
            assert_equal [r object encoding set:small] hashtable
            assert_equal [r object encoding set:int] intset
        }
    }

    test {A version 12 hash with field expiries is refused, or skipped by name with the option} {
        set name rdb-v12-hash-field-ttl-redis-7.4.1
        file copy -force [file join tests assets $name.rdb] [file join [srv dir] dump.rdb]
        assert_error {*Error trying to load the RDB dump*} {r debug reload nosave}
        r config set rdb-load-skip-unsupported yes
        load_asset $name
        wait_for_log_lines {*Skipping key 'hash:fieldttl' in DB 0: a hash with field expiries (Redis 7.4)*}
        assert_equal [r exists hash:fieldttl] 0
        check_and_drop_asset_stream
        check_asset_content rdb-v12-redis-7.4.1
        r config set rdb-load-skip-unsupported no
    }

    test {rdb-version chooses the header SAVE writes, and every version reloads} {
        r flushall
        rdb_fill_all_types [srv client]
        set before [rdb_dump_db [srv client]]
        foreach v {9 10 11} {
            r config set rdb-version $v
            r save
            set f [open [file join [srv dir] dump.rdb] rb]
            assert_equal [read $f 9] [format REDIS%04d $v]
            close $f
            r debug reload nosave
            assert_equal [rdb_dump_db [srv client]] $before
        }
        assert_error {*must be between 9 and 11*} {r config set rdb-version 12}
        r config set rdb-version 10
    }
}
