# DEBUG: the inspection and fixture subcommands of Redis 7.0, and the clear
# errors of those that need a subsystem Ember does not have.

proc stdout_text {} {
    set fd [open [srv stdout] r]
    set text [read $fd]
    close $fd
    return $text
}

start_server {tags {debug}} {
    test {DEBUG POPULATE names keys key:N with values value:N} {
        r flushall
        assert_equal [r debug populate 3] OK
        assert_equal [lsort [r keys *]] {key:0 key:1 key:2}
        assert_equal [r mget key:0 key:1 key:2] {value:0 value:1 value:2}
        assert_encoding embstr key:1
    }

    test {DEBUG POPULATE with a prefix and a size pads with zero bytes or cuts} {
        r flushall
        r debug populate 2 pfx 10
        assert_equal [r get pfx:0] "value:0\x00\x00\x00"
        assert_equal [r strlen pfx:1] 10
        r debug populate 2 cut 2
        assert_equal [r get cut:1] va
        r debug populate 12 big 100
        assert_encoding raw big:11
        assert_equal [r get big:11] "value:11[string repeat \x00 92]"
        r debug populate 1 ""
        assert_equal [r get :0] value:0
    }

    test {DEBUG POPULATE leaves existing keys alone} {
        r flushall
        r set key:1 mine
        r debug populate 3
        assert_equal [r get key:1] mine
        assert_equal [r dbsize] 3
        r debug populate 0
        assert_equal [r dbsize] 3
    }

    test {DEBUG POPULATE argument errors} {
        assert_error {ERR value is out of range, must be positive} {r debug populate x}
        assert_error {ERR value is out of range, must be positive} {r debug populate -1}
        assert_error {ERR value is out of range, must be positive} {r debug populate 1 k -5}
        assert_error {ERR value is out of range, must be positive} {r debug populate 1 k x}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'populate'. Try DEBUG HELP.} {r debug populate}
    }

    test {DEBUG POPULATE touches watched keys} {
        r flushall
        r watch key:0
        r debug populate 1
        r multi
        r ping
        assert_equal [r exec] {}
    }

    test {DEBUG SDSLEN} {
        r flushall
        r set mystring [string repeat y 100]
        assert_match {key_sds_len:8, key_sds_avail:*, key_zmalloc: *, val_sds_len:100, val_sds_avail:*, val_zmalloc: 1*} \
            [r debug sdslen mystring]
        r set n 12345
        assert_error {ERR Not an sds encoded string.} {r debug sdslen n}
        assert_error {ERR no such key} {r debug sdslen nokey}
    }

    test {DEBUG LISTPACK prints a listpack on stdout} {
        r del h
        r hset h field1 value1 num 42
        assert_equal [r debug listpack h] {Listpack structure printed on stdout}
        wait_for_condition 50 20 {[string match {*str "field1"*int "42"*} [stdout_text]]} else {
            fail "the listpack entries were not printed"
        }
        r set s x
        assert_error {ERR Not a listpack encoded object.} {r debug listpack s}
        assert_error {ERR no such key} {r debug listpack nokey}
    }

    test {DEBUG QUICKLIST prints the nodes of a list on stdout} {
        r del l
        r rpush l alpha beta
        assert_equal [r debug quicklist l] {Quicklist structure printed on stdout}
        assert_equal [r debug quicklist l 1] {Quicklist structure printed on stdout}
        wait_for_condition 50 20 {[string match {*2 elements in 1 nodes*str "beta"*} [stdout_text]]} else {
            fail "the quicklist was not printed"
        }
        assert_error {ERR Not a quicklist encoded object.} {r debug quicklist s}
    }

    test {DEBUG QUICKLIST-PACKED-THRESHOLD puts large elements in plain nodes} {
        assert_equal [r debug quicklist-packed-threshold 100] OK
        r del l
        r rpush l small [string repeat x 200]
        r debug quicklist l
        wait_for_condition 50 20 {[string match {*: 1 elements, 200 bytes, plain*} [stdout_text]]} else {
            fail "no plain node"
        }
        assert_equal [r lindex l 1] [string repeat x 200]
        assert_equal [r debug quicklist-packed-threshold 0] OK
        assert_error {ERR argument must be a memory value bigger than 1 and smaller than 4gb} \
            {r debug quicklist-packed-threshold 5G}
        assert_error {ERR argument must be a memory value bigger than 1 and smaller than 4gb} \
            {r debug quicklist-packed-threshold x}
        assert_equal [r debug quicklist-packed-threshold 1k] OK
        assert_equal [r debug quicklist-packed-threshold 0] OK
    }

    test {DEBUG HTSTATS-KEY} {
        r del big small
        for {set i 0} {$i < 200} {incr i} { r sadd big m$i }
        assert_match {Hash table 0 stats (main hash table):*table size: *number of elements: *} [r debug htstats-key big]
        r sadd small 1
        assert_error {ERR The value stored at the specified key is not represented using an hash table} \
            {r debug htstats-key small}
        assert_error {ERR no such key} {r debug htstats-key nokey}
    }

    test {DEBUG STRUCTSIZE} {
        assert_match {bits:64 robj:16 dictentry:24 sdshdr8:3 *} [r debug structsize]
    }

    # DEBUG LEAK is left out: its leak would fail the sanitizer builds' runs.
    test {DEBUG STRINGMATCH-TEST, SET-DISABLE-DENY-SCRIPTS} {
        assert_equal [r debug stringmatch-test] {Apparently Redis did not crash: test passed}
        assert_equal [r debug set-disable-deny-scripts 1] OK
        assert_equal [r debug set-disable-deny-scripts 0] OK
    }

    test {DEBUG answers as Redis 7.0 outside cluster mode and client eviction} {
        assert_error {ERR Debug option only available for cluster mode enabled setup!} {r debug clusterlink kill all x}
        assert_error {ERR maxmemory-clients is disabled.} {r debug client-eviction}
    }

    test {DEBUG subcommands that need a missing subsystem say so} {
        foreach {cmd why} {
            {aof-flush-sleep 0} {the AOF flush cannot be delayed}
            {replicate x} {there is no replication}
            {restart} {the server cannot restart itself}
            {mallctl opt.narenas} {allocator tuning is not exposed}
            {pause-cron 1} {the cron cannot be paused}
            {replybuffer resizing 0} {reply buffers are not resized}
            {set-skip-checksum-validation 1} {checksums are always verified}
        } {
            set name [string toupper [lindex $cmd 0]]
            assert_error "ERR DEBUG $name is not supported: $why" [list r debug {*}$cmd]
        }
        assert_equal [r ping] PONG
    }

    test {DEBUG subcommands absent from 7.0.15 are unknown, as there} {
        assert_error {ERR unknown subcommand or wrong number of arguments for 'jmap'. Try DEBUG HELP.} {r debug jmap}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'stringmatch-len'. Try DEBUG HELP.} \
            {r debug stringmatch-len}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'structsize'. Try DEBUG HELP.} \
            {r debug structsize x}
    }

    test {DEBUG HELP lists the subcommands} {
        set help [r debug help]
        assert_match {DEBUG <subcommand> *} [lindex $help 0]
        foreach sub {{POPULATE <count> [<prefix>] [<size>]} {LISTPACK <key>} {QUICKLIST <key> [<0|1>]}
                     {QUICKLIST-PACKED-THRESHOLD <size>} {SDSLEN <key>} {HTSTATS-KEY <key>} STRUCTSIZE
                     STRINGMATCH-TEST {SET-DISABLE-DENY-SCRIPTS <0|1>} {OBJECT <key>} {SLEEP <seconds>} HELP} {
            assert_contains $help $sub
        }
    }
}

start_server {tags {debug external:skip}} {
    test {DEBUG CONFIG-REWRITE-FORCE-ALL writes every directive} {
        assert_equal [r debug config-rewrite-force-all] OK
        set fd [open [srv config_file] r]
        set text [read $fd]
        close $fd
        assert_match "*\nmaxmemory-policy noeviction\n*" $text
        assert_match "*\nlist-max-listpack-size -2\n*" $text
    }
}
