# A primary's shutdown and restart, as Redis 7.0 does them: SHUTDOWN (or
# SIGTERM) waits up to shutdown-timeout for replicas that have not
# acknowledged the whole stream, with writes paused; SHUTDOWN ABORT ends
# the wait; NOW does not wait; the timeout passing exits with the lagging
# replicas logged. A primary restarted from the RDB it saved at shutdown
# keeps its history as replid2, and its replicas (Ember, and Redis 7.0.15
# when /usr/bin/redis-server is there) continue by partial resync. A
# lagging replica is stopped with SIGSTOP, never raced.

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

start_server {tags {repl external:skip} overrides {save {900 1}}} {
    set p [srv client]
    set pport [srv port]
    start_server {} {
        set r [srv client]
        set rpid [srv pid]
        $r replicaof 127.0.0.1 $pport
        rdb_fill_all_types $p
        repl_wait_synced $p $r

        test {SHUTDOWN waits for a lagging replica with writes paused; SHUTDOWN ABORT ends the wait} {
            assert_error {ERR No shutdown in progress.} {$p shutdown abort}
            assert_error {ERR syntax error} {$p shutdown now abort}
            exec kill -STOP $rpid
            $p set lagging 1
            set s [redis 127.0.0.1 $pport 1]
            $s shutdown
            $s flush
            wait_for_condition 100 50 {
                [string match "*shutdown_in_milliseconds:*" [$p info server]]
            } else {
                fail "the shutdown is not waiting"
            }
            assert {[getInfoProperty [$p info server] shutdown_in_milliseconds] > 0}
            set w [redis 127.0.0.1 $pport 1]
            $w set held 1
            $w flush
            assert_equal [$p get lagging] 1
            assert_equal [$p exists held] 0
            assert_equal [$p shutdown abort] OK
            assert_error {ERR Errors trying to SHUTDOWN. Check logs.} {$s read}
            assert_equal [$w read] OK
            $s close
            $w close
            assert_equal [string match "*shutdown_in_milliseconds*" [$p info server]] 0
            verify_log_message {*Waiting for replicas before shutting down.*} -1
            verify_log_message {*Shutdown manually aborted.*} -1
            exec kill -CONT $rpid
            repl_wait_synced $p $r
        }

        test {A primary restarted from its shutdown RDB: the replica continues by partial resync} {
            for {set j 0} {$j < 20} {incr j} { repl_write_round $p $j }
            set id [getInfoProperty [$p info replication] master_replid]
            repl_wait_synced $p $r
            restart_server -1
            set p [srv -1 client]
            set info [$p info replication]
            assert_equal [getInfoProperty $info master_replid2] $id
            set off [getInfoProperty $info master_repl_offset]
            assert_equal [getInfoProperty $info second_repl_offset] [expr {$off + 1}]
            assert_equal [getInfoProperty $info repl_backlog_active] 1
            repl_wait_synced $p $r
            assert_equal [getInfoProperty [$p info stats] sync_full] 0
            assert_equal [getInfoProperty [$p info stats] sync_partial_ok] 1
            $p set after-restart 1
            repl_wait_synced $p $r
            assert_equal [$r debug digest] [$p debug digest]
            assert_equal [$r get after-restart] 1
        }

        test {The shutdown timeout passing: the primary exits, the lagging replica logged} {
            $p config set shutdown-timeout 1
            exec kill -STOP $rpid
            $p set lagging 2
            catch {$p shutdown}
            assert_equal [wait_server_exit -1] 0
            verify_log_message {*Lagging replica * reported offset * behind master, lag=*, state=online.*} -1
            verify_log_message {*0 of 1 replicas are in sync when shutting down.*} -1
            exec kill -CONT $rpid
        }
    }
}

start_server {tags {repl external:skip}} {
    set p [srv client]
    set pport [srv port]
    start_server {} {
        set r [srv client]
        set rpid [srv pid]
        $r replicaof 127.0.0.1 $pport
        $p set k v
        repl_wait_synced $p $r

        test {SHUTDOWN NOW does not wait for replicas} {
            exec kill -STOP $rpid
            $p set lagging 1
            catch {$p shutdown now}
            assert_equal [wait_server_exit -1] 0
            assert_equal [count_log_lines {*Waiting for replicas before shutting down.*} -1] 0
            exec kill -CONT $rpid
        }
    }
}

if {![oracle_available]} {
    puts "replication-shutdown: /usr/bin/redis-server not found, skipping the interop test"
    return
}

start_server {tags {repl interop external:skip} overrides {save {900 1}}} {
    set p [srv client]
    set ox [oracle_start [repl_oracle_dir] --replicaof 127.0.0.1 [srv port]]
    set o [oracle_client $ox]

    test {A Redis 7.0 replica continues by partial resync after its Ember primary restarted} {
        rdb_fill_all_types $p
        for {set j 0} {$j < 20} {incr j} { repl_write_round $p $j }
        repl_wait_synced $p $o
        restart_server
        set p [srv client]
        repl_wait_synced $p $o
        assert_equal [getInfoProperty [$p info stats] sync_full] 0
        assert_equal [getInfoProperty [$p info stats] sync_partial_ok] 1
        $p set after-restart 1
        repl_wait_synced $p $o
        assert_equal [repl_dataset $o] [repl_dataset $p]
    }

    oracle_stop $ox
}
