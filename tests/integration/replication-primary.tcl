# Ember as a primary: SYNC/PSYNC served to the real Redis 7.0.15
# (/usr/bin/redis-server; skipped when absent) and to Ember replicas. A
# full sync (RDB saved to disk, then streamed) under a write load of every
# type, partial resyncs from the backlog after the link is cut from either
# side, two replicas sharing one BGSAVE, a backlog too small falling back
# to a full sync, min-replicas-to-write, a replica dropped by its output
# buffer limit, WAIT, INFO slaveN lines and ROLE.

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

if {![oracle_available]} {
    puts "replication-primary: /usr/bin/redis-server not found, skipping"
    return
}

start_server {tags {repl interop external:skip} overrides {repl-diskless-sync no}} {
    set m [srv client]

    test {A Redis 7.0 replica of Ember: full sync under a write load of every type} {
        rdb_fill_all_types $m
        $m select 4
        $m set in4 four
        $m select 0
        set dir [repl_oracle_dir]
        set ox [oracle_start $dir --replicaof 127.0.0.1 [srv port] --enable-debug-command yes]
        set o [oracle_client $ox]
        set n 0
        while {[getInfoProperty [$o info replication] master_link_status] ne "up" && $n < 2000} {
            repl_write_round $m [incr n]
        }
        for {set j 0} {$j < 50} {incr j} { repl_write_round $m [incr n] }
        repl_wait_synced $m $o
        assert_equal [repl_dataset $o] [repl_dataset $m]
        assert_equal [getInfoProperty [$m info stats] sync_full] 1
        assert_equal [count_log_lines {*Starting BGSAVE for SYNC with target: disk*}] 1
    }

    test {INFO replication and ROLE of a primary with a replica} {
        set info [$m info replication]
        assert_match "*connected_slaves:1*slave0:ip=127.0.0.1,port=[lindex $ox 1],state=online,offset=*,lag=*" $info
        assert_equal [getInfoProperty $info repl_backlog_active] 1
        assert_equal [getInfoProperty $info repl_backlog_first_byte_offset] 1
        assert_equal [getInfoProperty $info repl_backlog_histlen] [getInfoProperty $info master_repl_offset]
        assert_equal [getInfoProperty [$o info replication] master_replid] [getInfoProperty $info master_replid]
        set role [$m role]
        assert_equal [lindex $role 0] master
        assert_equal [lindex $role 1] [getInfoProperty $info master_repl_offset]
        assert_equal [lindex [lindex $role 2] 0 0] 127.0.0.1
        assert_equal [lindex [lindex $role 2] 0 1] [lindex $ox 1]
        assert_equal [repl_info_names $m] [list role connected_slaves slave0 master_failover_state master_replid \
            master_replid2 master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size \
            repl_backlog_first_byte_offset repl_backlog_histlen]
    }

    test {Partial resync of the Redis replica after CLIENT KILL TYPE replica on Ember} {
        set ok [getInfoProperty [$m info stats] sync_partial_ok]
        $m client kill type replica
        for {set j 0} {$j < 20} {incr j} { repl_write_round $m [incr n] }
        repl_wait_synced $m $o
        assert_equal [getInfoProperty [$m info stats] sync_partial_ok] [expr {$ok + 1}]
        assert_equal [getInfoProperty [$m info stats] sync_full] 1
        assert_equal [repl_dataset $o] [repl_dataset $m]
    }

    test {Partial resync after CLIENT KILL TYPE master on the Redis replica} {
        set ok [getInfoProperty [$m info stats] sync_partial_ok]
        $o client kill type master
        for {set j 0} {$j < 20} {incr j} { repl_write_round $m [incr n] }
        repl_wait_synced $m $o
        assert_equal [getInfoProperty [$m info stats] sync_partial_ok] [expr {$ok + 1}]
        assert_equal [repl_dataset $o] [repl_dataset $m]
        assert_match {*Successful partial resynchronization with master*} \
            [exec cat [file join $dir oracle.log]]
    }

    test {min-replicas-to-write: -NOREPLICAS without enough acknowledging replicas} {
        $m config set min-replicas-to-write 2
        assert_error {NOREPLICAS Not enough good replicas to write.} {$m set k v}
        assert_equal [$m get s:1] v1
        $m config set min-replicas-to-write 1
        assert_equal [$m set k v] OK
        assert_match {*min_slaves_good_slaves:1*} [$m info replication]
        $m config set min-replicas-to-write 0
    }

    test {REPLCONF: unknown options refused, known ones accepted} {
        assert_error {ERR Unrecognized REPLCONF option: foo} {$m replconf foo bar}
        assert_equal [$m replconf listening-port 1234 capa eof capa psync2] OK
    }

    oracle_stop $ox
}

start_server {tags {repl external:skip} overrides {repl-diskless-sync no}} {
    set m [srv client]
    start_server {} {
        start_server {} {
            test {Two Ember replicas attached together share one BGSAVE} {
                rdb_fill_all_types $m
                set forks [getInfoProperty [$m info stats] total_forks]
                # A save slow enough for the second replica to find it running.
                $m config set rdb-key-save-delay 50000
                r -1 replicaof 127.0.0.1 [srv -2 port]
                r replicaof 127.0.0.1 [srv -2 port]
                repl_wait_synced $m [srv -1 client]
                repl_wait_synced $m [srv client]
                $m config set rdb-key-save-delay 0
                assert_equal [getInfoProperty [$m info stats] total_forks] [expr {$forks + 1}]
                assert_equal [repl_dataset [srv client]] [repl_dataset $m]
                assert_equal [repl_dataset [srv -1 client]] [repl_dataset $m]
                assert_equal [count_log_lines {*Waiting for end of BGSAVE for SYNC*} -2] 1
            }

            test {WAIT: acknowledged by the replicas, or the count at the timeout} {
                $m set w 1
                assert_equal [$m wait 2 5000] 2
                $m incr w
                set start [clock milliseconds]
                assert_equal [$m wait 3 300] 2
                assert {[clock milliseconds] - $start >= 290}
                assert_equal [$m wait 0 0] 2
                assert_error {ERR timeout is negative} {$m wait 1 -1}
                assert_error {ERR timeout is not an integer or out of range} {$m wait 1 abc}
                assert_error {ERR WAIT cannot be used with replica instances.*} {r wait 1 0}
                $m multi
                $m wait 5 0
                assert_equal [$m exec] 2
                # CLIENT UNBLOCK ends a WAIT with the count so far.
                set rd [redis_deferring_client -2]
                $rd client id
                set id [$rd read]
                $rd wait 5 0
                wait_for_condition 50 20 {[getInfoProperty [$m info clients] blocked_clients] == 1} else {
                    fail "WAIT did not block"
                }
                assert_equal [$m client unblock $id] 1
                assert_equal [$rd read] 2
                $rd close
            }

            test {A backlog overflow turns the next PSYNC into a full sync} {
                $m config set repl-backlog-size 16384
                $m set trigger 1
                r replicaof 127.0.0.1 [::srv::find_port]
                for {set j 0} {$j < 100} {incr j} { repl_write_round $m $j }
                set full [getInfoProperty [$m info stats] sync_full]
                r replicaof 127.0.0.1 [srv -2 port]
                repl_wait_synced $m [srv client]
                assert_equal [getInfoProperty [$m info stats] sync_full] [expr {$full + 1}]
                assert_equal [repl_dataset [srv client]] [repl_dataset $m]
                assert {[getInfoProperty [$m info replication] repl_backlog_histlen] <= 16384 + 16384}
            }

            test {A replica over client-output-buffer-limit replica is dropped, the others stay} {
                $m config set client-output-buffer-limit "replica 256kb 0 0"
                # A replica that never reads: its stream piles up.
                set fake [redis_deferring_client -2]
                $fake psync ? -1
                wait_for_condition 50 100 {
                    [getInfoProperty [$m info replication] connected_slaves] == 3
                } else { fail "the fake replica did not attach" }
                set big [string repeat x 1000000]
                for {set j 0} {$j < 12} {incr j} { $m set big:[expr {$j % 4}] $big }
                wait_for_log_lines {*scheduled to be closed ASAP for overcoming of output buffer limits*} 1 100 100 -2
                wait_for_condition 50 100 {
                    [getInfoProperty [$m info replication] connected_slaves] == 2
                } else { fail "the fake replica was not dropped" }
                $fake close
                repl_wait_synced $m [srv -1 client]
                repl_wait_synced $m [srv client]
                assert_equal [repl_dataset [srv -1 client]] [repl_dataset $m]
                $m config set client-output-buffer-limit "replica 256mb 64mb 60"
            }
        }
    }
}

# repl-diskless-sync yes: the child writes the RDB in the $EOF:<mark> form
# straight to the replicas' sockets; replicas that ask within
# repl-diskless-sync-delay share one child; the stream waits for each
# replica's first ACK (it is loading until then).
start_server {tags {repl interop external:skip} overrides {repl-diskless-sync yes repl-diskless-sync-delay 1}} {
    set m [srv client]
    start_server {} {
        start_server {} {
            test {Diskless: two Ember replicas asking within the delay share one child} {
                rdb_fill_all_types $m
                set forks [getInfoProperty [$m info stats] total_forks]
                r -1 replicaof 127.0.0.1 [srv -2 port]
                r replicaof 127.0.0.1 [srv -2 port]
                for {set j 0} {$j < 50} {incr j} { repl_write_round $m $j }
                repl_wait_synced $m [srv -1 client]
                repl_wait_synced $m [srv client]
                assert_equal [getInfoProperty [$m info stats] total_forks] [expr {$forks + 1}]
                assert_equal [r debug digest] [$m debug digest]
                assert_equal [r -1 debug digest] [$m debug digest]
                assert_equal [count_log_lines {*Starting BGSAVE for SYNC with target: replicas sockets*} -2] 1
                assert_equal [count_log_lines {*receiving streamed RDB from master with EOF to disk*}] 1
            }

            test {Diskless: a Redis 7.0 replica of Ember under a write load} {
                if {![oracle_available]} { return }
                set ox [oracle_start [repl_oracle_dir] --replicaof 127.0.0.1 [srv -2 port]]
                set o [oracle_client $ox]
                set n 100
                while {[getInfoProperty [$o info replication] master_link_status] ne "up" && $n < 3000} {
                    repl_write_round $m [incr n]
                }
                for {set j 0} {$j < 30} {incr j} { repl_write_round $m [incr n] }
                repl_wait_synced $m $o
                assert_equal [repl_dataset $o] [repl_dataset $m]
                assert_equal [count_log_lines {*Starting BGSAVE for SYNC with target: replicas sockets*} -2] 2
                oracle_stop $ox
            }
        }
    }
}

# What a replica announces, and the backlog's ttl.
start_server {tags {repl external:skip} overrides {repl-diskless-sync no}} {
    set m [srv client]
    start_server {overrides {replica-announce-ip 10.1.2.3 replica-announce-port 4567}} {
        test {replica-announce-ip and -port are what the primary lists} {
            r replicaof 127.0.0.1 [srv -1 port]
            repl_wait_synced $m [srv client]
            assert_match {*slave0:ip=10.1.2.3,port=4567,state=online*} [$m info replication]
            assert_equal [lrange [lindex [$m role] 2 0] 0 1] {10.1.2.3 4567}
        }

        test {repl-backlog-ttl: the backlog of a primary left without replicas is freed} {
            $m config set repl-backlog-ttl 1
            set id [getInfoProperty [$m info replication] master_replid]
            r replicaof no one
            wait_for_condition 50 100 {
                [getInfoProperty [$m info replication] repl_backlog_active] == 0
            } else { fail "the backlog is still there" }
            assert {[getInfoProperty [$m info replication] master_replid] ne $id}
            assert_equal [getInfoProperty [$m info memory] mem_total_replication_buffers] 0
        }
    }
}

# rdb-del-sync-files: without save points and AOF, the RDB a disk sync
# wrote is deleted by the primary once sent and by the replica once
# loaded (Redis 7.0.15's log lines); with a save point both keep it.
start_server {tags {repl external:skip} overrides {repl-diskless-sync no rdb-del-sync-files yes}} {
    set m [srv client]
    set mfile [file join [srv dir] [lindex [$m config get dbfilename] 1]]
    start_server {overrides {rdb-del-sync-files yes}} {
        set rfile [file join [srv dir] [lindex [r config get dbfilename] 1]]
        test {rdb-del-sync-files: a persistence-less primary and replica delete the sync's RDB} {
            $m set k v
            r replicaof 127.0.0.1 [srv -1 port]
            repl_wait_synced $m [srv client]
            wait_for_log_lines {*Removing the RDB file used to feed replicas in a persistence-less instance*} 1 100 100 -1
            wait_for_log_lines {*Removing the RDB file obtained from the master. This replica has persistence disabled*}
            wait_for_condition 50 100 {![file exists $mfile] && ![file exists $rfile]} else {
                fail "a sync file is still there"
            }
            assert_equal [r get k] v
        }
    }
}

start_server {tags {repl external:skip} overrides {repl-diskless-sync no rdb-del-sync-files yes save {3600 1}}} {
    set m [srv client]
    set mfile [file join [srv dir] [lindex [$m config get dbfilename] 1]]
    start_server {overrides {rdb-del-sync-files yes save {3600 1}}} {
        set rfile [file join [srv dir] [lindex [r config get dbfilename] 1]]
        test {rdb-del-sync-files: with a save point both keep the files} {
            $m set k v
            r replicaof 127.0.0.1 [srv -1 port]
            repl_wait_synced $m [srv client]
            after 1500
            assert {[file exists $mfile] && [file exists $rfile]}
            assert_equal [count_log_lines {*Removing the RDB file*} -1] 0
            assert_equal [count_log_lines {*Removing the RDB file*}] 0
        }
    }
}

# bind-source-addr: a replica's link to its primary leaves from that
# address (127.0.0.2, on the loopback network), as the primary sees it.
start_server {tags {repl external:skip}} {
    set m [srv client]
    set mport [srv port]
    start_server {overrides {bind-source-addr 127.0.0.2}} {
        test {bind-source-addr: the replica connects from that address} {
            r replicaof 127.0.0.1 $mport
            repl_wait_synced $m [srv client]
            assert_match "*slave0:ip=127.0.0.2,*" [$m info replication]
            assert_match "*addr=127.0.0.2:*flags=S*" [$m client list type replica]
        }
    }
}
