# A replica's full-sync load: repl-diskless-load (disabled, on-empty-db,
# swapdb) parsing the RDB straight from the socket of an Ember primary
# (diskless $EOF form, or the $<length> form of a disk-based one) and of
# Redis 7.0.15; clients get -LOADING and INFO shows the loading fields
# while the replica loads; swapdb keeps the old dataset when the transfer
# breaks; replica-lazy-flush frees the old data on the lazy-free thread;
# and a replica with appendonly yes restarts its AOF with a rewrite of the
# new dataset; a swapdb sync from the same history loads asynchronously,
# serving the old data meanwhile. A slow load comes from key-load-delay,
# never from timing.

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

proc load_wait_loading {c} {
    wait_for_condition 100 50 {
        [getInfoProperty [$c info persistence] loading] eq "1"
    } else {
        fail "the replica never started loading"
    }
}

start_server {tags {repl external:skip} overrides {enable-debug-command yes}} {
    set m [srv client]
    set mport [srv port]
    rdb_fill_all_types $m
    $m debug populate 20000 pop 10

    start_server {overrides {repl-diskless-load swapdb enable-debug-command yes
                             loading-process-events-interval-bytes 1024}} {
        set r [srv client]

        test {swapdb: the RDB is parsed from the socket, clients get -LOADING meanwhile, the old data goes} {
            $r set old-key 1
            $r config set key-load-delay 50
            $r replicaof 127.0.0.1 $mport
            load_wait_loading $r
            assert_error {LOADING*} {$r get old-key}
            set info [$r info persistence]
            assert_equal [getInfoProperty $info async_loading] 0
            assert {[getInfoProperty $info loading_loaded_bytes] > 0}
            assert_equal [getInfoProperty [$r info replication] master_sync_in_progress] 1
            $r config set key-load-delay 0
            repl_wait_synced $m $r
            assert_equal [$r exists old-key] 0
            assert_equal [$r debug digest] [$m debug digest]
            verify_log_message {*receiving streamed RDB from master with EOF to parser*}
            verify_log_message {*MASTER <-> REPLICA sync: Swapping active DB with loaded DB*}
            assert_equal [count_log_lines {*Flushing old data*}] 0
        }

        test {The stream after a diskless load applies on top of it} {
            for {set j 0} {$j < 20} {incr j} { repl_write_round $m $j }
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
        }
    }

    start_server {overrides {repl-diskless-load on-empty-db}} {
        set r [srv client]
        test {on-empty-db: an empty replica loads from the socket} {
            $r replicaof 127.0.0.1 $mport
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
            verify_log_message {*receiving streamed RDB from master with EOF to parser*}
            verify_log_message {*MASTER <-> REPLICA sync: Flushing old data*}
        }
        test {on-empty-db: a replica with data goes through the disk, replica-lazy-flush frees the old data} {
            $r replicaof no one
            $r config set replica-lazy-flush yes
            $r debug populate 3000 mine 10
            set freed [getInfoProperty [$r info memory] lazyfreed_objects]
            $m set after-promotion 1
            $r replicaof 127.0.0.1 $mport
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
            verify_log_message {*receiving streamed RDB from master with EOF to disk*}
            wait_for_condition 100 50 {
                [getInfoProperty [$r info memory] lazyfreed_objects] >= $freed + [$m dbsize] + 3000
            } else {
                fail "the old data was not freed lazily: [$r info memory]"
            }
        }
    }
}

# The $<length> form from a disk-based primary, and a transfer cut in the
# middle: with swapdb the replica keeps serving what it had.
start_server {tags {repl external:skip} overrides {repl-diskless-sync no enable-debug-command yes}} {
    set m [srv client]
    set mport [srv port]
    $m debug populate 200000 big 100

    start_server {overrides {repl-diskless-load swapdb enable-debug-command yes}} {
        set r [srv client]

        test {swapdb: a transfer cut mid-load puts the old dataset back} {
            $r debug populate 500 mine 10
            set digest [$r debug digest]
            $r config set key-load-delay 100
            $r replicaof 127.0.0.1 $mport
            load_wait_loading $r
            verify_log_message {*receiving * bytes from master to parser*}
            # No second sync may start: the primary refuses the retry.
            $m acl setuser default -psync -sync
            $m client kill type replica
            $r config set key-load-delay 0
            wait_for_log_lines {*Failed trying to load the MASTER synchronization DB from socket: *}
            verify_log_message {*MASTER <-> REPLICA sync: Discarding temporary DB in background*}
            assert_equal [$r dbsize] 500
            assert_equal [$r debug digest] $digest
            $m acl setuser default +psync +sync
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
        }
    }
}

# appendonly yes on a replica: the full sync restarts the AOF.
start_server {tags {repl aof external:skip} overrides {enable-debug-command yes}} {
    set m [srv client]
    set mport [srv port]
    rdb_fill_all_types $m

    start_server {overrides {appendonly yes enable-debug-command yes}} {
        set r [srv client]
        test {After a full sync the replica's AOF is rewritten from the new dataset} {
            $r set local-only 1
            wait_for_condition 100 50 {
                [getInfoProperty [$r info persistence] aof_rewrite_in_progress] eq "0"
            } else {
                fail "the first rewrite did not end"
            }
            set rewrites [getInfoProperty [$r info persistence] aof_rewrites]
            $r replicaof 127.0.0.1 $mport
            repl_wait_synced $m $r
            for {set j 0} {$j < 10} {incr j} { repl_write_round $m $j }
            repl_wait_synced $m $r
            wait_for_condition 100 50 {
                [getInfoProperty [$r info persistence] aof_rewrites] == $rewrites + 1 &&
                [getInfoProperty [$r info persistence] aof_rewrite_in_progress] eq "0"
            } else {
                fail "the AOF was not rewritten after the sync: [$r info persistence]"
            }
            assert_equal [getInfoProperty [$r info persistence] aof_enabled] 1
            # What the AOF holds is the primary's dataset, without the key
            # the replica had before, and the stream applied after it.
            $r debug loadaof
            assert_equal [$r exists local-only] 0
            assert_equal [$r debug digest] [$m debug digest]
        }
    }
}

# A load longer than the primary's repl-timeout: the replica's newlines
# while it loads keep it from being dropped.
start_server {tags {repl external:skip} overrides {enable-debug-command yes repl-timeout 1}} {
    set m [srv client]
    set mport [srv port]
    $m debug populate 30000 k 10
    start_server {overrides {loading-process-events-interval-bytes 1024}} {
        set r [srv client]
        test {A replica loading for longer than the primary's repl-timeout is not dropped} {
            $r config set key-load-delay 100
            $r replicaof 127.0.0.1 $mport
            load_wait_loading $r
            wait_for_condition 200 50 {
                [getInfoProperty [$r info persistence] loading] eq "0"
            } else {
                fail "the load did not end"
            }
            repl_wait_synced $m $r
            assert_equal [$r dbsize] 30000
            assert_equal [count_log_lines {*Disconnecting timedout replica*} -1] 0
            # One sync for this replica (sync_full would also count a stray
            # replica of another test that finds this port reused).
            assert_equal [count_log_lines "*Replica 127.0.0.1:[srv port] asks for synchronization*" -1] 1
        }
    }
}

# replica-ignore-maxmemory: a replica over maxmemory evicts only when no.
start_server {tags {repl maxmemory external:skip} overrides {enable-debug-command yes}} {
    set m [srv client]
    set mport [srv port]
    $m debug populate 20000 k 100
    start_server {overrides {maxmemory-policy allkeys-random}} {
        set r [srv client]
        test {replica-ignore-maxmemory yes: the replica keeps every key over maxmemory; no: it evicts} {
            $r replicaof 127.0.0.1 $mport
            repl_wait_synced $m $r
            $r config set maxmemory 1mb
            $m set one-more 1
            repl_wait_synced $m $r
            assert_equal [$r dbsize] [$m dbsize]
            assert_equal [getInfoProperty [$r info stats] evicted_keys] 0
            $r config set replica-ignore-maxmemory no
            $m set another 1
            wait_for_condition 100 50 {
                [getInfoProperty [$r info stats] evicted_keys] > 0
            } else {
                fail "the replica did not evict"
            }
            assert {[$r dbsize] < [$m dbsize]}
        }
    }
}

# An asynchronous load (swapdb, same history): m's replica r (a server
# whose pid is rpid, loading-process-events-interval-bytes small) falls
# out of m's 16 KB backlog while stopped, so its sync is a full one from
# the same replication id; meanwhile its clients read the old data, and
# see the new data, WATCH touched, once it is whole.
proc async_load_scenario {m r rpid} {
    $m set foo old
    repl_wait_synced $m $r
    assert_equal [$r get foo] old
    $r config set key-load-delay 100
    exec kill -STOP $rpid
    $m client kill type replica
    for {set i 0} {$i < 40} {incr i} { $m set pad:$i [string repeat x 2000] }
    $m set foo new
    exec kill -CONT $rpid
    wait_for_condition 100 50 {
        [getInfoProperty [$r info persistence] async_loading] eq "1"
    } else {
        fail "no asynchronous load: [$r info persistence]"
    }
    set info [$r info persistence]
    assert_equal [getInfoProperty $info loading] 0
    assert {[getInfoProperty $info loading_loaded_perc] < 100}
    assert_equal [$r get foo] old
    assert_equal [$r exists pad:0] 0
    assert_error {LOADING*} {$r bgsave}
    set w [redis_client]
    $w watch foo
    wait_for_condition 200 50 {
        [getInfoProperty [$r info persistence] async_loading] eq "0"
    } else {
        fail "the load did not end"
    }
    assert_equal [getInfoProperty [$r info persistence] loading] 0
    $r config set key-load-delay 0
    repl_wait_synced $m $r
    assert_equal [$r get foo] new
    assert_equal [$r dbsize] [$m dbsize]
    $w multi
    $w ping
    assert_equal [$w exec] {}
    $w close
    verify_log_message {*Swapping active DB with loaded DB*}
}

start_server {tags {repl external:skip} overrides {enable-debug-command yes repl-backlog-size 16kb
                                                   repl-diskless-sync-delay 0}} {
    set m [srv client]
    set mport [srv port]
    $m debug populate 20000 k 10
    start_server {overrides {repl-diskless-load swapdb loading-process-events-interval-bytes 1024}} {
        test {swapdb from the same history loads asynchronously: the old data is served meanwhile} {
            r replicaof 127.0.0.1 $mport
            async_load_scenario $m [srv client] [srv pid]
        }
    }
}

if {![oracle_available]} {
    puts "replication-load: /usr/bin/redis-server not found, skipping the interop test"
    return
}

start_server {tags {repl interop external:skip} overrides {repl-diskless-load swapdb
                                                         loading-process-events-interval-bytes 1024}} {
    set ox [oracle_start [repl_oracle_dir] --repl-diskless-sync-delay 0 --repl-backlog-size 16kb \
                    --enable-debug-command yes]
    set o [oracle_client $ox]
    test {An asynchronous load from a Redis 7.0 primary} {
        $o debug populate 20000 k 10
        r replicaof 127.0.0.1 [lindex $ox 1]
        async_load_scenario $o [srv client] [srv pid]
    }
    oracle_stop $ox
}

start_server {tags {repl interop external:skip} overrides {repl-diskless-load swapdb}} {
    set ox [oracle_start [repl_oracle_dir] --repl-diskless-sync-delay 0]
    set o [oracle_client $ox]

    test {swapdb from a diskless Redis 7.0 primary, under a write load} {
        rdb_fill_all_types $o
        r set mine 1
        r replicaof 127.0.0.1 [lindex $ox 1]
        set n 0
        while {[getInfoProperty [r info replication] master_link_status] ne "up" && $n < 2000} {
            repl_write_round $o [incr n]
        }
        for {set j 0} {$j < 30} {incr j} { repl_write_round $o [incr n] }
        repl_wait_synced $o [srv client]
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
        verify_log_message {*receiving streamed RDB from master with EOF to parser*}
    }

    oracle_stop $ox
}
