# Crash safety: the server is killed with SIGKILL under a write load with
# appendfsync always, again and again, and after each restart every write
# it acknowledged is there, and nothing beyond the one command in flight.
# Then interoperability with the real Redis 7.0.15, when it is installed:
# an AOF Ember wrote loads in redis-server, one Redis wrote loads in Ember,
# and redis-check-aof accepts Ember's files.

source tests/support/aof.tcl

# Writes rpush l <n> for n = from, from+1 ... until the connection breaks
# (the server was killed); returns the last n acknowledged, from-1 if none.
proc push_until_killed {from} {
    set n $from
    while 1 {
        if {[catch {r rpush l $n} len]} { return [expr {$n - 1}] }
        assert_equal $len [expr {$n + 1}]
        incr n
    }
}

tags {aof external:skip} {
    start_server {overrides {appendonly yes appendfsync always aof-use-rdb-preamble no}} {
        test {SIGKILL under write load 20 times: every acknowledged write survives, nothing more} {
            set next 0
            for {set round 0} {$round < 20} {incr round} {
                set pid [srv pid]
                # The kill comes from another process at a random moment.
                exec sh -c "sleep 0.0[expr {2 + $round % 7}]; kill -9 $pid" &
                set acked [push_until_killed $next]
                wait_for_process_exit $pid 10000
                restart_server
                set len [r llen l]
                # The in-flight command may or may not have made it.
                assert_range $len [expr {$acked + 1}] [expr {$acked + 2}]
                assert_equal [r lrange l 0 -1] [lrange [lsort -integer [r lrange l 0 -1]] 0 end]
                assert_equal [r lindex l -1] [expr {$len - 1}]
                set next $len
                # Half of the rounds kill during a rewrite.
                if {$round % 2} {
                    r config set rdb-key-save-delay 2000
                    r bgrewriteaof
                }
            }
            assert_morethan $next 20
        }

        test {A rewrite killed by SIGKILL leaves the AOF whole} {
            r config set rdb-key-save-delay 0
            wait_for_condition 100 100 {
                [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]]
            } else {
                fail "rewrite still running"
            }
            set before [r lrange l 0 -1]
            # 30 keys at 100 ms each: the child is still writing when killed.
            for {set j 0} {$j < 30} {incr j} { r set filler$j $j }
            r config set rdb-key-save-delay 100000
            r bgrewriteaof
            wait_for_condition 50 20 {[get_child_pid] ne ""} else { fail "no rewrite child" }
            exec kill -9 [get_child_pid]
            wait_for_condition 100 100 {
                [string match "*\r\naof_last_bgrewrite_status:err\r\n*" [r info persistence]]
            } else {
                fail "the killed rewrite was not noticed"
            }
            r config set rdb-key-save-delay 0
            r rpush l after
            restart_server
            assert_equal [r lrange l 0 -1] [concat $before after]
        }
    }

    start_server {overrides {appendonly yes appendfsync everysec aof-use-rdb-preamble no}} {
        test {appendfsync everysec: a killed process loses no acknowledged write} {
            # The file is written before each reply; only the disk's cache
            # (a power loss) could lose the last second, not a dead process.
            for {set j 0} {$j < 200} {incr j} { r set k$j $j }
            kill_server_hard
            restart_server
            assert_equal [r dbsize] 200
            assert_equal [r get k199] 199
        }
    }

    if {[oracle_available]} {
        start_server {overrides {appendonly yes aof-use-rdb-preamble no}} {
            test {An AOF written by Ember loads in redis-server 7.0.15 (incr files)} {
                fill_mixed_dataset [srv client]
                set expected [dataset_dump [srv client]]
                restart_server
                set dir [file join [srv dir] oracle-a]
                file mkdir $dir
                file copy [aof_dir] [file join $dir appendonlydir]
                set o [oracle_start $dir --appendonly yes --aof-use-rdb-preamble no]
                assert_equal [dataset_dump [lindex $o 2]] $expected
                oracle_stop $o
            }

            test {An AOF rewritten by Ember loads in redis-server 7.0.15 (base file)} {
                r bgrewriteaof
                wait_for_condition 100 100 {
                    [string match "*\r\naof_rewrites:1\r\n*" [r info persistence]] &&
                    [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]]
                } else {
                    fail "no rewrite"
                }
                r set after-rewrite 1
                set expected [dataset_dump [srv client]]
                set dir [file join [srv dir] oracle-b]
                file mkdir $dir
                file copy [aof_dir] [file join $dir appendonlydir]
                set o [oracle_start $dir --appendonly yes --aof-use-rdb-preamble no]
                assert_equal [dataset_dump [lindex $o 2]] $expected
                oracle_stop $o
            }

            test {redis-check-aof 7.0.15 accepts Ember's AOF} {
                set out [exec /usr/bin/redis-check-aof [aof_path appendonly.aof.manifest]]
                assert_match {*All AOF files and manifest are valid*} $out
            }

            test {An AOF written by redis-server 7.0.15 loads in Ember} {
                set dir [file join [srv dir] oracle-c]
                file mkdir $dir
                set o [oracle_start $dir --appendonly yes --aof-use-rdb-preamble no]
                set c [lindex $o 2]
                fill_mixed_dataset $c
                $c bgrewriteaof
                wait_for_condition 100 100 {
                    [string match "*aof_rewrite_in_progress:0*" [$c info persistence]] &&
                    [string match "*aof_rewrites:1*" [$c info persistence]]
                } else {
                    fail "no rewrite in redis-server"
                }
                $c set after-rewrite 2
                $c spop set
                $c select 3
                $c expire other 1000
                $c select 0
                set expected [dataset_dump $c]
                oracle_stop $o
                kill_server_hard
                file delete -force [aof_dir]
                file copy [file join $dir appendonlydir] [aof_dir]
                restart_server
                assert_equal [dataset_dump [srv client]] $expected
            }
        }
    }
}
