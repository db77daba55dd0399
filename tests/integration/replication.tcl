# Ember as a replica of the real Redis 7.0.15 (/usr/bin/redis-server;
# skipped when absent): REPLICAOF and the handshake, a full sync (disk and
# diskless primary) under a write load of every type, partial resyncs
# after the link is cut from either side, the replica's refusals
# (READONLY, MASTERDOWN), expiry left to the primary, ROLE and INFO
# replication as 7.0 lists them, and REPLICAOF NO ONE. Datasets are
# compared key by key in every database, deadlines included (Ember's DEBUG
# DIGEST is its own hash, not Redis's, so digests cannot be compared).

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

if {![oracle_available]} {
    puts "replication: /usr/bin/redis-server not found, skipping"
    return
}

start_server {tags {repl interop external:skip}} {
    set dir [repl_oracle_dir]
    set ox [oracle_start $dir --enable-debug-command yes --repl-diskless-sync-delay 1]
    set o [oracle_client $ox]
    set oport [lindex $ox 1]

    test {REPLICAOF argument errors and the already-connected reply, as Redis 7.0} {
        assert_error {ERR Invalid master port} {r replicaof 127.0.0.1 abc}
        assert_error {ERR Invalid master port} {r replicaof 127.0.0.1 70000}
        assert_error {ERR Invalid master port} {r replicaof no two}
        assert_equal [r replicaof no one] OK
        assert_equal [lindex [r role] 0] master
    }

    test {Full sync from a diskless Redis 7.0 primary under a write load of every type} {
        rdb_fill_all_types $o
        $o select 3
        $o set in3 three
        $o select 0
        r set stale-local 1
        r replicaof 127.0.0.1 $oport
        # Writes while the primary waits for its sync delay, sends the RDB
        # and then streams: the replica must end with all of them.
        set n 0
        while {[getInfoProperty [r info replication] master_link_status] ne "up" && $n < 2000} {
            repl_write_round $o [incr n]
        }
        for {set j 0} {$j < 50} {incr j} { repl_write_round $o [incr n] }
        repl_wait_synced $o [srv client]
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
        assert_equal [r exists stale-local] 0
        r select 9
        assert_equal [r get other:$n] $n
        r select 0
        assert_equal [count_log_lines {*receiving streamed RDB from master with EOF to disk*}] 1
    }

    test {ROLE and INFO replication of a replica list what Redis 7.0 lists} {
        set role [r role]
        assert_equal [lrange $role 0 3] [list slave 127.0.0.1 $oport connected]
        assert_equal [lindex $role 4] [getInfoProperty [$o info replication] master_repl_offset]
        set want [list role master_host master_port master_link_status master_last_io_seconds_ago \
            master_sync_in_progress slave_read_repl_offset slave_repl_offset slave_priority slave_read_only \
            replica_announced connected_slaves master_failover_state master_replid master_replid2 \
            master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size \
            repl_backlog_first_byte_offset repl_backlog_histlen]
        assert_equal [repl_info_names [srv client]] $want
        assert_equal [getInfoProperty [r info replication] master_replid] \
            [getInfoProperty [$o info replication] master_replid]
        # The primary sees us under our listening port, acknowledging.
        wait_for_condition 50 100 {
            [string match "*port=[srv port],state=online*" [$o info replication]]
        } else { fail "primary does not list the replica: [$o info replication]" }
    }

    test {A replica refuses writes with -READONLY, also queued in MULTI} {
        assert_error {READONLY You can't write against a read only replica.} {r set x y}
        r multi
        catch {r set x y} e
        assert_match {READONLY*} $e
        assert_error {EXECABORT*} {r exec}
        assert_equal [r get s:1] v1
    }

    test {Partial resync after CLIENT KILL TYPE master on the replica} {
        set before [getInfoProperty [$o info stats] sync_partial_ok]
        r client kill type master
        for {set j 0} {$j < 20} {incr j} { repl_write_round $o [incr n] }
        repl_wait_synced $o [srv client]
        assert_equal [getInfoProperty [$o info stats] sync_partial_ok] [expr {$before + 1}]
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
    }

    test {Partial resync after CLIENT KILL TYPE replica on the primary, writes meanwhile} {
        set before [getInfoProperty [$o info stats] sync_partial_ok]
        set full [getInfoProperty [$o info stats] sync_full]
        $o client kill type replica
        for {set j 0} {$j < 20} {incr j} { repl_write_round $o [incr n] }
        $o select 9
        $o set in9-after-kill 1
        $o select 0
        repl_wait_synced $o [srv client]
        assert_equal [getInfoProperty [$o info stats] sync_partial_ok] [expr {$before + 1}]
        assert_equal [getInfoProperty [$o info stats] sync_full] $full
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
    }

    test {Expired keys on a replica are hidden but only the primary's DEL removes them} {
        $o debug set-active-expire 0
        $o set soon v px 100
        repl_wait_synced $o [srv client]
        after 200
        assert_equal [r get soon] {}
        assert_equal [r exists soon] 0
        set size [r dbsize]
        # The primary's own lookup expires it and sends DEL.
        assert_equal [$o get soon] {}
        repl_wait_synced $o [srv client]
        assert_equal [r dbsize] [expr {$size - 1}]
        $o debug set-active-expire 1
    }

    test {Full sync from a Redis 7.0 primary saving to disk first} {
        $o config set repl-diskless-sync no
        $o config set repl-backlog-size 16384
        # A backlog too small for what is written while the link is down
        # makes the next PSYNC a full one.
        r replicaof 127.0.0.1 [::srv::find_port]
        for {set j 0} {$j < 120} {incr j} { repl_write_round $o [incr n] }
        set full [getInfoProperty [$o info stats] sync_full]
        r replicaof 127.0.0.1 $oport
        repl_wait_synced $o [srv client]
        assert {[getInfoProperty [$o info stats] sync_full] > $full}
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
        assert {[count_log_lines {*receiving * bytes from master to disk*}] >= 1}
        $o config set repl-diskless-sync yes
    }

    test {replica-serve-stale-data no: -MASTERDOWN while the link is down} {
        r config set replica-serve-stale-data no
        r replicaof 127.0.0.1 [::srv::find_port]
        assert_error {MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.} {r get s:1}
        assert_error {MASTERDOWN*} {r ping}
        assert_equal [r echo a] a
        assert_equal [lindex [r role] 3] connect
        r config set replica-serve-stale-data yes
        assert_equal [r get s:1] v1
        assert_match {*master_link_status:down*master_link_down_since_seconds:*} [r info replication]
    }

    test {REPLICAOF NO ONE keeps the data and moves the history to replid2} {
        r replicaof 127.0.0.1 $oport
        repl_wait_synced $o [srv client]
        set id [getInfoProperty [r info replication] master_replid]
        set off [getInfoProperty [r info replication] master_repl_offset]
        set digest [r debug digest]
        r replicaof no one
        set info [r info replication]
        assert_equal [getInfoProperty $info role] master
        assert_equal [getInfoProperty $info master_replid2] $id
        assert_equal [getInfoProperty $info second_repl_offset] [expr {$off + 1}]
        assert {[getInfoProperty $info master_replid] ne $id}
        assert_equal [r debug digest] $digest
        assert_equal [r set x y] OK
        assert_equal [lindex [r role] 0] master
        assert_equal [repl_info_names [srv client]] [repl_info_names $o]
    }

    oracle_stop $ox
}

start_server {tags {repl interop external:skip}} {
    test {masterauth: the handshake authenticates to a primary with requirepass} {
        set dir [repl_oracle_dir]
        set ox [oracle_start $dir --enable-debug-command yes --repl-diskless-sync-delay 0]
        set o [oracle_client $ox]
        $o config set requirepass s3cret
        $o auth s3cret
        $o set k v
        r config set masterauth wrong
        r replicaof 127.0.0.1 [lindex $ox 1]
        wait_for_log_lines {*Unable to AUTH to MASTER*}
        r config set masterauth s3cret
        repl_wait_synced $o [srv client]
        assert_equal [r get k] v
        r replicaof no one
        oracle_stop $ox
    }
}

# The RDB of a replica carries its primary's history (repl-id, repl-offset,
# repl-stream-db): restarted with it, the replica continues by PSYNC.
set ::repl_restart_oracle [oracle_start [repl_oracle_dir] --enable-debug-command yes --repl-diskless-sync-delay 0]
start_server [list tags {repl interop external:skip} \
        overrides [list replicaof "127.0.0.1 [lindex $::repl_restart_oracle 1]"]] {
    test {A replica restarted from its own RDB continues with a partial resync} {
        set o [oracle_client $::repl_restart_oracle]
        for {set j 0} {$j < 20} {incr j} { repl_write_round $o $j }
        repl_wait_synced $o [srv client]
        r save
        for {set j 20} {$j < 40} {incr j} { repl_write_round $o $j }
        set full [getInfoProperty [$o info stats] sync_full]
        set ok [getInfoProperty [$o info stats] sync_partial_ok]
        restart_server
        repl_wait_synced $o [srv client]
        assert_equal [getInfoProperty [$o info stats] sync_full] $full
        assert_equal [getInfoProperty [$o info stats] sync_partial_ok] [expr {$ok + 1}]
        assert_equal [repl_dataset [srv client]] [repl_dataset $o]
    }
}
oracle_stop $::repl_restart_oracle
