# The tools that speak the replication protocol to a primary: redis-cli
# --rdb (REPLCONF rdb-only, then SYNC: the RDB saved to a file that
# redis-check-rdb and Ember read back) and redis-cli --replica (SYNC, then
# the stream printed), redis-cli --functions-rdb (REPLCONF rdb-filter-only
# functions: an RDB of the functions alone), the raw SYNC reply, and
# REPLCONF rdb-filter-only's checks with Redis 7.0.15's texts.

source tests/support/repl.tcl

start_server {tags {repl external:skip} overrides {enable-debug-command yes}} {
    r debug populate 1000 k 10
    r set hello world

    test {redis-cli --rdb: the snapshot arrives whole and loads} {
        set out [file join [srv dir] cli.rdb]
        set log [exec redis-cli -p [srv port] --rdb $out 2>@1]
        assert_match {*Transfer finished with success*} $log
        assert_match {*1001 keys read*} [exec /usr/bin/redis-check-rdb $out 2>@1]
        set dir [srv dir]
        start_server {overrides {enable-debug-command yes enable-protected-configs yes}} {
            r config set dir $dir
            r config set dbfilename cli.rdb
            r debug reload nosave
            assert_equal [r dbsize] 1001
            assert_equal [r get hello] world
        }
    }

    test {redis-cli --functions-rdb: the functions without the keys} {
        r function load {#!lua name=toolslib
redis.register_function('toolsfn', function(keys, args) return 7 end)}
        set out [file join [srv dir] functions.rdb]
        set log [exec redis-cli -p [srv port] --functions-rdb $out 2>@1]
        assert_match {*Transfer finished with success*} $log
        assert_match {*0 keys read*} [exec /usr/bin/redis-check-rdb $out 2>@1]
        set dir [srv dir]
        start_server {overrides {enable-debug-command yes enable-protected-configs yes}} {
            r config set dir $dir
            r config set dbfilename functions.rdb
            r debug reload nosave
            assert_equal [r dbsize] 0
            assert_equal [r fcall toolsfn 0] 7
        }
        # The dump file was not touched, and a later full copy has the keys.
        set log [exec redis-cli -p [srv port] --rdb $out 2>@1]
        assert_match {*1001 keys read*} [exec /usr/bin/redis-check-rdb $out 2>@1]
        r function delete toolslib
    }

    test {redis-cli --replica: the stream after the snapshot, as commands} {
        set out [file join [srv dir] replica.out]
        set pid [exec redis-cli -p [srv port] --replica > $out 2>@1 &]
        wait_for_condition 100 50 {
            [string match "*SYNC done*" [exec cat $out]]
        } else {
            fail "redis-cli --replica did not sync: [exec cat $out]"
        }
        r set from-cli 1
        wait_for_condition 100 50 {
            [string match {*"set","from-cli","1"*} [exec cat $out]]
        } else {
            fail "the stream did not reach redis-cli: [exec cat $out]"
        }
        exec kill $pid
        assert_equal [string match "*error*" [exec cat $out]] 0
    }

    test {SYNC on a raw connection: the RDB as a bulk, then the stream} {
        set c [redis 127.0.0.1 [srv port] 1]
        $c sync
        $c flush
        set fd [$c channel]
        set line [gets $fd]
        while {$line eq ""} { set line [gets $fd] }
        assert_match {$*} $line
        set size [string range [string trim $line] 1 end]
        set rdb [read $fd $size]
        assert_equal [string range $rdb 0 4] REDIS
        $c close
    }

    test {REPLCONF rdb-filter-only: the filters Redis 7.0 knows} {
        assert_equal [r replconf rdb-filter-only ""] OK
        assert_equal [r replconf rdb-filter-only functions] OK
        assert_error {ERR Unsupported rdb-filter-only option: bogus} {r replconf rdb-filter-only bogus}
        assert_error {ERR Unsupported rdb-filter-only option: bogus} {r replconf rdb-filter-only "functions bogus"}
        assert_error {ERR Missing rdb-filter-only values} {r replconf rdb-filter-only "\"unbalanced"}
    }
}
