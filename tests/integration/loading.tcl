# The loading state: while the data set is read at start-up, clients are
# answered -LOADING, INFO reports the progress, and a shutdown asked for
# during the load exits without writing the partial data set. The replies,
# field names and log lines are Redis 7.0.15's (these tests pass against it).

proc loading_info {} {
    set info [r info persistence]
    set fields {}
    foreach line [split $info "\r\n"] {
        if {[regexp {^((?:async_)?loading[a-z_]*):(.*)$} $line -> k v]} { lappend fields $k $v }
    }
    return $fields
}

proc wait_loading_done {} {
    wait_for_condition 500 20 {
        [dict get [loading_info] loading] eq 0
    } else {
        fail "the load did not finish"
    }
}

# A few seconds of loading: key-load-delay sleeps per key (per command for
# an AOF), and clients are served every KB read.
set slow_load {key-load-delay 100 loading-process-events-interval-bytes 1024 save {900 1}}

start_server [list tags {persistence loading external:skip} overrides $slow_load] {
    r debug populate 20000 key 10
    r save
    set rdb [file join [srv dir] dump.rdb]
    set size [file size $rdb]

    proc file_bytes {path} {
        set fd [open $path rb]
        set data [read $fd]
        close $fd
        return $data
    }

    test {Clients get -LOADING while the RDB loads} {
        restart_server 0 listening
        assert_error {LOADING Redis is loading the dataset in memory} {r ping}
        assert_error {LOADING*} {r get key:1}
        assert_error {LOADING*} {r dbsize}
    }

    test {INFO shows the loading fields in order with consistent values} {
        set f [loading_info]
        assert_equal [dict keys $f] [list loading async_loading loading_start_time loading_total_bytes \
            loading_rdb_used_mem loading_loaded_bytes loading_loaded_perc loading_eta_seconds]
        assert_equal [dict get $f loading] 1
        assert_equal [dict get $f async_loading] 0
        assert_equal [dict get $f loading_total_bytes] $size
        assert {[dict get $f loading_rdb_used_mem] > 0}
        set loaded [dict get $f loading_loaded_bytes]
        assert {$loaded > 0 && $loaded < $size}
        set perc [format %.2f [expr {double($loaded) / ($size + 1) * 100}]]
        assert_equal [dict get $f loading_loaded_perc] $perc
        assert {abs([dict get $f loading_start_time] - [clock seconds]) < 30}
        assert {[dict get $f loading_eta_seconds] >= 0}
    }

    test {Once loaded, every key is there and the loading fields are gone} {
        r config set key-load-delay 0
        wait_loading_done
        assert_equal [r dbsize] 20000
        assert_equal [dict keys [loading_info]] {loading async_loading}
        assert_equal [r ping] PONG
    }

    test {SHUTDOWN during the load exits without saving over the file} {
        restart_server 0 listening
        assert_error {LOADING*} {r ping}
        set before [file_bytes $rdb]
        catch {r shutdown}
        assert_equal [wait_server_exit] 0
        assert {[file_bytes $rdb] eq $before}
        verify_log_message {*User requested shutdown*}
    }

    test {SIGTERM during the load exits without saving over the file} {
        restart_server 0 listening
        assert_error {LOADING*} {r ping}
        set before [file_bytes $rdb]
        exec kill -TERM [srv pid]
        assert_equal [wait_server_exit] 0
        assert {[file_bytes $rdb] eq $before}
        verify_log_message {*Received shutdown signal during loading, scheduling shutdown.*}
    }

    test {The file left by those shutdowns loads whole} {
        restart_server 0 listening
        catch {r config set key-load-delay 0}
        wait_loading_done
        assert_equal [r dbsize] 20000
    }
}

# Redis 7.0.15 serves clients during an AOF load only every 1024 commands;
# Ember counts bytes for both formats, so this one is an Ember test.
start_server [list tags {persistence loading aof external:skip} \
        overrides [concat $slow_load {appendonly yes aof-use-rdb-preamble no key-load-delay 2000}]] {
    r config set key-load-delay 0
    for {set i 0} {$i < 2000} {incr i} { r set k$i [string repeat x 20] }
    set aofdir [file join [srv dir] appendonlydir]

    test {Clients get -LOADING while the AOF loads, INFO counts every file} {
        restart_server 0 listening
        assert_error {LOADING Redis is loading the dataset in memory} {r ping}
        set total 0
        foreach f [glob -directory $aofdir *.aof] { incr total [file size $f] }
        set f [loading_info]
        assert_equal [dict get $f loading] 1
        assert_equal [dict get $f loading_total_bytes] $total
        assert {[dict get $f loading_loaded_bytes] < $total}
        r config set key-load-delay 0
        wait_loading_done
        assert_equal [r dbsize] 2000
    }
}
