# Interop with the real Redis 7.0.15 (/usr/bin/redis-server; skipped when
# it is absent): Ember writes and Redis loads (every key, type, encoding
# and TTL compared, and redis-check-rdb run on Ember's file), Redis writes
# and Ember loads.

source tests/support/rdbfill.tcl
source tests/support/oracle.tcl

set ::redis_bin /usr/bin/redis-server
set ::redis_check /usr/bin/redis-check-rdb

if {![file executable $::redis_bin]} {
    puts "rdb-interop: $::redis_bin not found, skipping"
    return
}

start_server {tags {rdb interop external:skip}} {
    foreach version {10 9} {
        test "Redis 7.0 loads Ember's version $version file: same keys, types, encodings, TTLs" {
            r flushall
            rdb_fill_all_types [srv client]
            r config set rdb-version $version
            r save
            r config set rdb-version 10
            set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
            file mkdir $dir
            file copy [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
            set check [exec $::redis_check [file join $dir dump.rdb]]
            assert_match {*RDB looks OK*} $check
            set ox [oracle_start $dir --appendonly no]
            set o [oracle_client $ox]
            assert_equal [rdb_dump_db $o] [rdb_dump_db [srv client]]
            if {$version == 10} { assert_equal [rdb_encodings $o] [rdb_encodings [srv client]] }
            foreach k [r keys *] {
                assert {abs([$o pttl $k] - [r pttl $k]) < 5000}
            }
            oracle_stop $ox
        }
    }

    test {Ember loads a file written by Redis 7.0: same keys, types, encodings} {
        set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no]
        set o [oracle_client $ox]
        rdb_fill_all_types $o
        $o select 5
        $o set in5 five
        $o select 0
        $o save
        set want [rdb_dump_db $o]
        set enc [rdb_encodings $o]
        oracle_stop $ox
        r flushall
        file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
        r debug reload nosave
        assert_equal [rdb_dump_db [srv client]] $want
        assert_equal [rdb_encodings [srv client]] $enc
        r select 5
        assert_equal [r get in5] five
        r select 0
    }
}
