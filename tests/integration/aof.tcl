# The append-only file while the server runs: the propagation stream in the
# incr file, written before the reply, appendfsync, timestamps, write
# errors (-MISCONF and recovery), INFO, and turning the AOF on and off at
# runtime. File contents and texts were compared with redis-server 7.0.15
# started with --appendonly yes --aof-use-rdb-preamble no.

source tests/support/aof.tcl

# The commands of the server's current incr file.
proc incr_commands {{name appendonly.aof.1.incr.aof}} {
    return [aof_commands [aof_read [aof_path $name]]]
}

tags {aof external:skip} {
    start_server {overrides {appendonly yes appendfsync always aof-use-rdb-preamble no}} {
        test {The incr file holds the stream as Redis 7.0 writes it} {
            r set foo bar
            r expire foo 100
            r select 2
            r incrbyfloat f 1.5
            set cmds [incr_commands]
            assert_equal [lindex $cmds 0] {SELECT 0}
            assert_equal [lindex $cmds 1] {set foo bar}
            assert_equal [lindex [lindex $cmds 2] 0] PEXPIREAT
            assert_equal [lindex $cmds 3] {SELECT 2}
            assert_equal [lindex $cmds 4] {SET f 1.5 KEEPTTL}
            assert_equal [llength $cmds] 5
            r select 0
        }

        test {A write is in the file when its reply arrives} {
            for {set j 0} {$j < 20} {incr j} {
                r rpush list $j
                assert_equal [lindex [incr_commands] end] [list rpush list $j]
            }
        }

        test {A command that changes nothing writes nothing} {
            set before [file size [aof_path appendonly.aof.1.incr.aof]]
            r del nosuchkey
            r get foo
            assert_equal [file size [aof_path appendonly.aof.1.incr.aof]] $before
        }

        test {A transaction is written between MULTI and EXEC} {
            r multi
            r set a 1
            r incr a
            r exec
            assert_equal [lrange [incr_commands] end-3 end] {MULTI {set a 1} {incr a} EXEC}
        }

        test {INFO persistence has every aof_* field of Redis 7.0 while on} {
            set info [r info persistence]
            foreach f {aof_enabled:1 aof_rewrite_in_progress:0 aof_rewrite_scheduled:0
                       aof_last_rewrite_time_sec:-1 aof_current_rewrite_time_sec:-1
                       aof_last_bgrewrite_status:ok aof_rewrites:0 aof_rewrites_consecutive_failures:0
                       aof_last_write_status:ok module_fork_in_progress:0 module_fork_last_cow_size:0
                       aof_pending_rewrite:0 aof_buffer_length:0 aof_pending_bio_fsync:0 aof_delayed_fsync:0} {
                assert_match "*\r\n$f\r\n*" $info
            }
            assert_equal [getInfoProperty $info aof_current_size] [file size [aof_path appendonly.aof.1.incr.aof]]
            assert_equal [getInfoProperty $info aof_base_size] 0
            assert_match "*\r\naof_last_cow_size:0\r\n*" $info
        }

        test {The data is back after a restart} {
            set before [dataset_dump [srv client]]
            restart_server
            assert_equal [dataset_dump [srv client]] $before
            assert_equal [r get a] 2
            assert_morethan [r ttl foo] 90
            verify_log_message {*DB loaded from incr file appendonly.aof.1.incr.aof: * seconds*}
            verify_log_message {*Opening AOF incr file appendonly.aof.1.incr.aof on server start*}
        }

        test {Shutdown fsyncs the AOF} {
            restart_server
            verify_log_message {*Calling fsync() on the AOF file.*}
        }

        test {appendfsync always: a write error ends the server} {
            r debug aof-write-fault enospc
            catch {r set x y}
            assert_equal [wait_server_exit] 1
            verify_log_message {*Error writing to the AOF file: No space left on device*}
            verify_log_message {*Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...*}
        }
    }

    start_server {overrides {appendonly yes appendfsync everysec aof-use-rdb-preamble no}} {
        test {A write error refuses writes with -MISCONF; reads and the file stay good} {
            r set k1 v1
            set good [aof_read [aof_path appendonly.aof.1.incr.aof]]
            r debug aof-write-fault enospc
            r set k2 v2
            assert_error {MISCONF Errors writing to the AOF file: No space left on device} {r set k3 v3}
            assert_error {MISCONF Errors writing to the AOF file: No space left on device} {r ping}
            assert_equal [r get k1] v1
            assert_match "*\r\naof_last_write_status:err\r\n*" [r info persistence]
            assert_equal [aof_read [aof_path appendonly.aof.1.incr.aof]] $good
            verify_log_message {*Error writing to the AOF file: No space left on device*}
        }

        test {Writes work again once the file can be written, nothing lost} {
            r debug aof-write-fault off
            wait_for_condition 50 100 {
                [string match "*\r\naof_last_write_status:ok\r\n*" [r info persistence]]
            } else {
                fail "the AOF write error did not clear"
            }
            verify_log_message {*AOF write error looks solved, Redis can write again.*}
            r set k3 v3
            # everysec may postpone a write while a fsync is still running.
            wait_for_condition 50 100 {
                [lrange [aof_commands [aof_read [aof_path appendonly.aof.1.incr.aof]]] end-1 end] eq
                {{set k2 v2} {set k3 v3}}
            } else {
                fail "the incr file lacks k2 or k3"
            }
        }

        test {CONFIG SET appendfsync switches the policy of a running AOF} {
            r config set appendfsync always
            r set k6 v6
            assert_equal [lindex [aof_commands [aof_read [aof_path appendonly.aof.1.incr.aof]]] end] {set k6 v6}
            r config set appendfsync no
            r set k7 v7
            r config set appendfsync everysec
            assert_equal [r config get appendfsync] {appendfsync everysec}
            restart_server
            assert_equal [r mget k6 k7] {v6 v7}
        }

        test {DEBUG AOF-WRITE-FAULT refuses an unknown fault} {
            assert_error {ERR unknown fault*} {r debug aof-write-fault nosuch}
        }
    }

    # Write errors are logged at most once every 30 s: a server of its own.
    start_server {overrides {appendonly yes appendfsync everysec aof-use-rdb-preamble no}} {
        r set k1 v1
        test {A short write is taken back out of the file} {
            set good [aof_read [aof_path appendonly.aof.1.incr.aof]]
            r debug aof-write-fault short
            r set k4 [string repeat x 100]
            # The write may wait for a background fsync still running (up
            # to 2 s under everysec, as in Redis) before it fails.
            wait_for_condition 50 100 {
                [string match "*\r\naof_last_write_status:err\r\n*" [r info persistence]]
            } else {
                fail "the short write was not seen"
            }
            assert_error {MISCONF Errors writing to the AOF file: No space left on device} {r set k5 v5}
            assert_equal [aof_read [aof_path appendonly.aof.1.incr.aof]] $good
            verify_log_message {*Short write while writing to the AOF file: (nwritten=*, expected=*)*}
            r debug aof-write-fault off
            wait_for_condition 50 100 {
                [string match "*\r\naof_last_write_status:ok\r\n*" [r info persistence]]
            } else {
                fail "the AOF write error did not clear"
            }
            restart_server
            assert_equal [r get k4] [string repeat x 100]
            assert_equal [r exists k5] 0
        }

    }

    start_server {overrides {appendonly yes aof-timestamp-enabled yes aof-use-rdb-preamble no}} {
        test {aof-timestamp-enabled annotates the file with #TS lines} {
            r set t 1
            set cmds [incr_commands]
            assert_match {#TS:*} [lindex [lindex $cmds 0] 0]
            set ts [string range [lindex [lindex $cmds 0] 0] 4 end]
            assert_range $ts [expr {[clock seconds] - 5}] [clock seconds]
            assert_equal [lrange $cmds 1 end] {{SELECT 0} {set t 1}}
        }

        test {A file with annotations loads} {
            r set t 2
            restart_server
            assert_equal [r get t] 2
        }
    }

    start_server {overrides {appendonly no aof-use-rdb-preamble no}} {
        test {INFO persistence with the AOF off has only the common aof_* fields} {
            set info [r info persistence]
            assert_match "*\r\naof_enabled:0\r\n*" $info
            assert_no_match "*aof_current_size*" $info
            assert_no_match "*aof_buffer_length*" $info
        }

        test {CONFIG SET appendonly yes starts the AOF with a rewrite} {
            r set before 1
            r config set appendonly yes
            wait_for_condition 50 100 {
                [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]] &&
                [string match "*\r\naof_rewrites:1\r\n*" [r info persistence]]
            } else {
                fail "the first rewrite did not finish"
            }
            r set after 2
            assert_equal [aof_manifest] {{file appendonly.aof.1.base.aof seq 1 type b} {file appendonly.aof.1.incr.aof seq 1 type i}}
            assert_equal [aof_commands [aof_read [aof_path appendonly.aof.1.base.aof]]] {{SELECT 0} {SET before 1}}
            assert_equal [lindex [incr_commands] end] {set after 2}
            verify_log_message {*Background append only file rewriting started by pid*}
            verify_log_message {*Background AOF rewrite finished successfully*}
        }

        test {CONFIG SET appendonly no stops writing the file} {
            set size [file size [aof_path appendonly.aof.1.incr.aof]]
            r config set appendonly no
            r set ignored 1
            assert_equal [file size [aof_path appendonly.aof.1.incr.aof]] $size
            assert_match "*\r\naof_enabled:0\r\n*" [r info persistence]
        }

        test {The AOF turned on at runtime loads after a restart} {
            r config set appendonly yes
            wait_for_condition 50 100 {
                [string match "*\r\naof_rewrites:2\r\n*" [r info persistence]]
            } else {
                fail "the rewrite did not finish"
            }
            r set late 3
            r config rewrite
            restart_server
            assert_equal [r mget before after ignored late] {1 2 1 3}
        }
    }

    start_server {overrides {appendonly yes aof-use-rdb-preamble yes}} {
        test {DEBUG LOADAOF reloads the data set from the base and incr files} {
            r set a 1
            r rpush l x y z
            r bgrewriteaof
            wait_for_condition 50 100 {
                [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]] &&
                [string match "*\r\naof_rewrite_scheduled:0\r\n*" [r info persistence]]
            } else {
                fail "the rewrite did not finish"
            }
            r set b 2
            r hset h f v
            set digest [r debug digest]
            assert_equal [r debug loadaof] OK
            assert_equal [r debug digest] $digest
            assert_equal [r mget a b] {1 2}
            verify_log_message {*Append Only File loaded by DEBUG LOADAOF*}
        }

        test {DEBUG LOADAOF does not append what it replays} {
            set incr [glob -directory [file join [srv dir] appendonlydir] *.incr.aof]
            set size [file size $incr]
            r debug loadaof
            assert_equal [file size $incr] $size
            assert_match "*\r\nrdb_changes_since_last_save:0\r\n*" [r info persistence]
        }
    }

    start_server {overrides {appendonly no}} {
        test {DEBUG LOADAOF without an AOF is an error and changes nothing} {
            r set a 1
            assert_error {ERR DEBUG LOADAOF needs appendonly yes} {r debug loadaof}
            assert_equal [r get a] 1
        }
    }
}
