# bigkey-log-threshold (Ember's own directive): a command that touches more
# elements than the threshold is logged with the biggest key it named, once
# a minute per key, and counted in INFO stats bigkey_commands. Off (0) by
# default. Touched: the elements of the reply, of values removed or
# replaced, and of a key a write command left bigger than its reply; only
# commands without the `fast` flag are judged.

proc bigkey_count {} { s bigkey_commands }

proc fill_list {key n} {
    set items {}
    for {set i 0} {$i < $n} {incr i} { lappend items $i }
    r rpush $key {*}$items
}

start_server {tags {bigkey}} {
    test {Off by default: nothing is counted} {
        assert_equal [r config get bigkey-log-threshold] {bigkey-log-threshold 0}
        fill_list big 500
        r lrange big 0 -1
        bigkey_count
    } {0}

    test {A read that returns more than the threshold is logged with its key} {
        r config set bigkey-log-threshold 100
        r lrange big 0 -1
        assert_equal [bigkey_count] 1
        verify_log_message {*Big key: 'lrange' touched 500 elements of key 'big' in db 0 (500 elements); bigkey-log-threshold is 100*}
    }

    test {A small read of a big key, and fast commands, are not counted} {
        set before [bigkey_count]
        r lrange big 0 10
        r llen big
        r rpush big x
        r lindex big 250
        expr {[bigkey_count] - $before}
    } {0}

    test {The same key is logged once a minute, but counted every time} {
        set before [count_log_lines {*Big key: 'lrange'*}]
        r lrange big 0 -1
        r lrange big 0 -1
        assert_equal [count_log_lines {*Big key: 'lrange'*}] $before
        bigkey_count
    } {3}

    test {DEL of a big key counts the elements it frees} {
        r config resetstat
        fill_list gone 300
        r del gone
        assert_equal [bigkey_count] 1
        verify_log_message {*Big key: 'del' touched 300 elements of key 'gone' in db 0 (300 elements)*}
    }

    test {A store that builds a big key is counted} {
        r config resetstat
        for {set i 0} {$i < 200} {incr i} { lappend m $i }
        r sadd s1 {*}$m
        r sunionstore dst s1
        assert_equal [bigkey_count] 1
        verify_log_message {*Big key: 'sunionstore' touched 200 elements of key 'dst' in db 0 (200 elements)*}
    }

    test {A big reply that names no key (KEYS) is not a big key} {
        r config resetstat
        for {set i 0} {$i < 150} {incr i} { r set k$i v }
        r keys *
        bigkey_count
    } {0}

    test {Commands inside MULTI are judged one by one} {
        r config resetstat
        r multi
        for {set i 0} {$i < 150} {incr i} { r get k$i }
        r lrange big 0 -1
        r exec
        bigkey_count
    } {1}

    test {CONFIG RESETSTAT clears the counter; 0 turns the log off} {
        r config resetstat
        r config set bigkey-log-threshold 0
        r lrange big 0 -1
        bigkey_count
    } {0}
}
