# Replica migration (cluster-migration-barrier, cluster-allow-replica-migration).
#
# Five nodes: masters 0 and 1; replicas 2 and 3 of master 0, replica 4 of
# master 1. When 4 stops (SIGSTOP) and is FAIL, master 1 is orphaned: the
# replica of 0 with the smaller name moves to it once master 0 keeps more
# than cluster-migration-barrier working replicas; with the barrier at 2
# none moves. A master that gives away its last slot (CLUSTER SETSLOT NODE on
# it, or a newer claim learnt from the taker) becomes the taker's replica
# with cluster-allow-replica-migration yes and stays an empty master with
# no. Then the same migrations in a cluster of Ember and Redis 7.0.15
# nodes, where each kind is once the replica that moves (node names are
# drawn again with CLUSTER RESET HARD until their order says so).

source tests/support/oracle.tcl
source tests/support/cluster.tcl

namespace eval ::cmig {}

# The log file of node i (Ember: the test server's stdout).
proc ::cmig::log {i} {
    set f [lindex [R $i config get logfile] 1]
    if {$f ne ""} { return [file join [lindex [R $i config get dir] 1] $f] }
    return [srv [dict get [::cl::node $i] level] stdout]
}

proc ::cmig::log_count {i pattern} {
    set fd [open [::cmig::log $i] r]
    set lines [split [read $fd] "\n"]
    close $fd
    llength [lsearch -all $lines $pattern]
}

# Node i's name, remembered (a stopped node cannot be asked).
proc ::cmig::id {i} {
    if {![info exists ::cmig::ids($i)]} { set ::cmig::ids($i) [R $i cluster myid] }
    return $::cmig::ids($i)
}

# Node j's flags in node i's CLUSTER NODES.
proc ::cmig::flags_seen {i j} {
    set id [::cmig::id $j]
    foreach l [split [string trim [R $i cluster nodes]] "\n"] {
        if {[lindex $l 0] eq $id} { return [lindex $l 2] }
    }
    return ""
}

# Whether every running node but j sees node j as failed.
proc ::cmig::all_see_fail {j} {
    for {set i 0} {$i < [cluster_size]} {incr i} {
        if {$i == $j || [cluster_paused $i]} continue
        if {![string match "*fail*" [::cmig::flags_seen $i $j]] || [string match "*fail?*" [::cmig::flags_seen $i $j]]} {
            return 0
        }
    }
    return 1
}

# Masters m1 (slots 100-16383, replicas r1a r1b) and m2 (slots 0-99,
# replica r2), from nodes that have not met.
proc ::cmig::build {m1 m2 r1a r1b r2} {
    array unset ::cmig::ids
    cluster_meet_all
    for {set i 0} {$i < [cluster_size]} {incr i} { ::cmig::id $i }
    R $m1 cluster addslotsrange 100 16383
    R $m2 cluster addslotsrange 0 99
    foreach {r m} [list $r1a $m1 $r1b $m1 $r2 $m2] { R $r cluster replicate [R $m cluster myid] }
    cluster_wait_ok
    foreach r [list $r1a $r1b $r2] {
        wait_for_condition 100 100 {
            [string match "*master_link_status:up*" [R $r info replication]]
        } else { fail "replica $r not syncing" }
    }
    wait_for_condition 100 100 {
        [llength [lindex [R $m1 role] 2]] == 2 && [llength [lindex [R $m2 role] 2]] == 1
    } else { fail "replicas not attached: [R $m1 role] | [R $m2 role]" }
}

# Node i's own CLUSTER NODES line.
proc ::cmig::my_line {i} {
    lsearch -inline [split [R $i cluster nodes] "\n"] "*myself*"
}

# The one of nodes a, b with the smaller cluster name.
proc ::cmig::smaller {a b} {
    expr {[string compare [R $a cluster myid] [R $b cluster myid]] < 0 ? $a : $b}
}

# Whether replica r is attached to master m (by m's ROLE) and in sync.
proc ::cmig::serves {m r} {
    if {[lsearch -exact [lmap e [lindex [R $m role] 2] {lindex $e 1}] [cluster_port $r]] < 0} { return 0 }
    string match "*master_link_status:up*" [R $r info replication]
}

# Stops replica `gone` and waits until everyone sees it FAIL and `mover`
# has become a replica of `orphan`; `stayer` keeps its master `from`.
proc ::cmig::expect_migration {gone mover stayer from orphan} {
    cluster_pause $gone
    wait_for_condition 200 100 {[::cmig::all_see_fail $gone]} else { fail "node $gone not FAIL" }
    wait_for_condition 200 100 {[cluster_master_of $mover] == $orphan} else {
        fail "node $mover did not migrate:\n[R $mover cluster nodes]"
    }
    assert_equal 1 [::cmig::log_count $mover "*Migrating to orphaned master [::cmig::id $orphan]*"]
    assert_equal $from [cluster_master_of $stayer]
    assert_equal 0 [::cmig::log_count $stayer "*Migrating to orphaned master [::cmig::id $orphan]*"]
    wait_for_condition 100 100 {[::cmig::serves $orphan $mover]} else { fail "the migrated replica does not sync" }
}

# Lets paused node j run again and waits until node i sees it working.
proc ::cmig::bring_back {j i} {
    cluster_resume $j
    wait_for_condition 200 100 {![string match "*fail*" [::cmig::flags_seen $i $j]]} else { fail "$j still FAIL" }
}

# Moves slots first..last (no keys) from master src to master dst as
# redis-cli does: IMPORTING and NODE on dst (a new config epoch), NODE on src.
proc ::cmig::move_slots {src dst first last} {
    set sid [R $src cluster myid]
    set did [R $dst cluster myid]
    for {set s $first} {$s <= $last} {incr s} {
        R $dst cluster setslot $s importing $sid
        R $dst cluster setslot $s node $did
        R $src cluster setslot $s node $did
    }
}

start_cluster 5 {tags {cluster external:skip}} {
    ::cmig::build 0 1 2 3 4
    for {set i 0} {$i < 50} {incr i} { exec redis-cli -c -p [cluster_port 0] set "{a}:$i" v$i }

    test {No migration while the master would keep no more than cluster-migration-barrier replicas} {
        for {set i 0} {$i < 5} {incr i} { R $i config set cluster-migration-barrier 2 }
        assert_equal {cluster-migration-barrier 2} [R 2 config get cluster-migration-barrier]
        cluster_pause 4
        wait_for_condition 200 100 {[::cmig::all_see_fail 4]} else { fail "node 4 not FAIL" }
        # Longer than the 5 s an orphan must wait before a replica moves.
        after 7000
        assert_equal 0 [cluster_master_of 2]
        assert_equal 0 [cluster_master_of 3]
        assert_equal 0 [::cmig::log_count 2 "*Migrating*"]
        assert_equal 0 [::cmig::log_count 3 "*Migrating*"]
    }

    test {With the barrier at 1, the replica with the smaller name moves to the orphaned master} {
        set mover [::cmig::smaller 2 3]
        set stayer [expr {5 - $mover}]
        foreach i {0 1 2 3} { R $i config set cluster-migration-barrier 1 }
        wait_for_condition 200 100 {[cluster_master_of $mover] == 1} else {
            fail "node $mover did not migrate:\n[R $mover cluster nodes]"
        }
        assert_equal 1 [::cmig::log_count $mover "*Migrating to orphaned master [R 1 cluster myid]*"]
        assert_equal 0 [cluster_master_of $stayer]
        assert_equal 0 [::cmig::log_count $stayer "*Migrating*"]
        wait_for_condition 100 100 {[::cmig::serves 1 $mover]} else { fail "not synced" }
        ::cmig::bring_back 4 0
        assert_equal 1 [cluster_master_of 4]
        cluster_wait_ok
        set ::cmig::shard1 [list 1 4 $mover]
    }

    test {cluster-allow-replica-migration no: a master that gave away its last slot stays an empty master} {
        foreach i $::cmig::shard1 { R $i config set cluster-allow-replica-migration no }
        ::cmig::move_slots 1 0 0 99
        cluster_wait_ok
        assert_equal master [cluster_role 1]
        assert_equal {} [lrange [::cmig::my_line 1] 8 end]
        assert_equal 0-16383 [lrange [::cmig::my_line 0] 8 end]
        foreach r [lrange $::cmig::shard1 1 end] { assert_equal 1 [cluster_master_of $r] }
        assert_equal 0 [::cmig::log_count 1 "*Reconfiguring myself*"]
    }

    test {cluster-allow-replica-migration yes: it becomes a replica of the taker, and so do its replicas} {
        # Give master 1 slots 0-99 back, then take them again.
        ::cmig::move_slots 0 1 0 99
        cluster_wait_ok
        assert_equal master [cluster_role 1]
        foreach i $::cmig::shard1 { R $i config set cluster-allow-replica-migration yes }
        ::cmig::move_slots 1 0 0 99
        foreach i $::cmig::shard1 {
            wait_for_condition 200 100 {[cluster_master_of $i] == 0} else {
                fail "node $i did not follow:\n[R $i cluster nodes]"
            }
        }
        assert_equal 1 [::cmig::log_count 1 "*Configuration change detected. Reconfiguring myself as a replica of [R 0 cluster myid]*"]
        cluster_wait_ok
        foreach i $::cmig::shard1 { wait_for_condition 100 100 {[::cmig::serves 0 $i]} else { fail "$i not synced" } }
        for {set i 0} {$i < 50} {incr i} { assert_equal v$i [exec redis-cli -c -p [cluster_port 1] get "{a}:$i"] }
    }
}

# Draws new names for nodes 1, 2 and 3 (CLUSTER RESET HARD, before they
# meet) until name(2) < name(3) < name(1).
proc ::cmig::order_names {} {
    for {set t 0} {$t < 200} {incr t} {
        lassign [lmap i {1 2 3} {R $i cluster myid}] n1 n2 n3
        if {[string compare $n2 $n3] < 0 && [string compare $n3 $n1] < 0} return
        foreach i {1 2 3} { R $i cluster reset hard }
    }
    fail "could not order the node names"
}

if {![oracle_available]} {
    puts "cluster-migration: /usr/bin/redis-server not found, skipping the mixed cluster"
    return
}

start_cluster 3 {tags {cluster interop external:skip} oracles 2} {
    # Ember 0 1 2, Redis 3 4. Master 0 (Ember) with replicas 1 (Ember) and
    # 3 (Redis); master 4 (Redis) with replica 2 (Ember).
    ::cmig::order_names
    ::cmig::build 0 4 1 3 2

    test {Mixed cluster: the Redis replica with the smallest name moves to an orphaned Redis master} {
        ::cmig::expect_migration 2 3 1 0 4
        ::cmig::bring_back 2 0
        assert_equal 4 [cluster_master_of 2]
    }

    test {Mixed cluster: the Ember replica with the smallest name moves to an orphaned Ember master} {
        ::cmig::expect_migration 1 2 3 4 0
        ::cmig::bring_back 1 4
        assert_equal 0 [cluster_master_of 1]
        cluster_wait_ok
    }

    test {Mixed cluster: a Redis master that gives its last slot to an Ember one becomes its replica, with its replica} {
        ::cmig::move_slots 4 0 0 99
        foreach i {4 3} {
            wait_for_condition 200 100 {[cluster_master_of $i] == 0} else {
                fail "node $i did not follow:\n[R $i cluster nodes]"
            }
        }
        assert_equal 1 [::cmig::log_count 4 "*Configuration change detected. Reconfiguring myself as a replica of [R 0 cluster myid]*"]
        cluster_wait_ok
        foreach i {1 2 3 4} { wait_for_condition 100 100 {[::cmig::serves 0 $i]} else { fail "$i not synced" } }
    }
}
