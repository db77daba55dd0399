# Interop with the real Redis 7.0.15 (/usr/bin/redis-server; skipped when
# it is absent): Ember writes and Redis loads (every key, type, encoding
# and TTL compared, and redis-check-rdb run on Ember's file), Redis writes
# and Ember loads.

source tests/support/rdbfill.tcl

set ::redis_bin /usr/bin/redis-server
set ::redis_check /usr/bin/redis-check-rdb

# Starts Redis 7.0 on dir (which may hold a dump.rdb); returns {pid client}.
proc start_oracle {dir} {
    set port [::srv::find_port]
    exec $::redis_bin --port $port --dir $dir --save {} --appendonly no --daemonize yes \
        --pidfile [file join $dir redis.pid] --logfile [file join $dir redis.log]
    for {set i 0} {$i < 100} {incr i} {
        if {![catch {set c [redis 127.0.0.1 $port]; $c ping}]} break
        after 50
    }
    return $c
}
proc stop_oracle {c} {
    catch {$c shutdown nosave}
    catch {$c close}
}

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
            set o [start_oracle $dir]
            assert_equal [rdb_dump_db $o] [rdb_dump_db [srv client]]
            if {$version == 10} { assert_equal [rdb_encodings $o] [rdb_encodings [srv client]] }
            foreach k [r keys *] {
                assert {abs([$o pttl $k] - [r pttl $k]) < 5000}
            }
            stop_oracle $o
        }
    }

    test {Ember loads a file written by Redis 7.0: same keys, types, encodings} {
        set dir [file normalize [file join $::opt(tmpdir) "oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set o [start_oracle $dir]
        rdb_fill_all_types $o
        $o select 5
        $o set in5 five
        $o select 0
        $o save
        set want [rdb_dump_db $o]
        set enc [rdb_encodings $o]
        stop_oracle $o
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
