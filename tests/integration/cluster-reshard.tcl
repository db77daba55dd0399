# Live resharding with Debian's redis-cli --cluster (7.0.15) and the other
# cluster-manager commands, on Ember clusters and on a mixed one.
#
# A load client (tests/helpers/cluster_load.py) writes and reads keys,
# following -MOVED and -ASK, while redis-cli --cluster reshard moves slots
# (one key at a time and with --cluster-pipeline). Afterwards every key the
# load saw acknowledged reads back through the cluster, exactly once: the
# masters' DBSIZE adds up to the number of keys written, and each master's
# CLUSTER COUNTKEYSINSLOT over the slots it owns adds up to its DBSIZE (no
# key left behind in a slot that moved). redis-cli --cluster check finds the
# slots covered and the nodes agreeing. Then add-node (as a master and with
# --cluster-slave), rebalance, del-node and fix, each checked by its effect;
# and (interop) slots moved from an Ember master to a Redis 7.0.15 master
# and back under the same load. Moving all the slots of a master and the
# mixed cluster are tagged slow (a minute or more each).

source tests/support/oracle.tcl
source tests/support/cluster.tcl

if {[catch {exec python3 -c {import binascii}}]} {
    puts "cluster-reshard: python3 not found, skipping"
    return
}

namespace eval ::rs {
    variable helper [file normalize tests/helpers/cluster_load.py]
}

# Runs the helper to completion; returns its output line as a dict.
proc ::rs::run {args} {
    set out [exec python3 $::rs::helper {*}$args 2>@1]
    return [string trim $out]
}

# Starts a load on prefix through node i's port; returns its channel.
proc ::rs::load_start {i prefix tags} {
    open |[list python3 $::rs::helper load [cluster_port $i] $prefix -1 $tags 2>@1] r
}

# Stops a load (SIGTERM; it finishes the command in flight) and returns its
# report as a dict: written moved ask tryagain bad.
proc ::rs::load_stop {chan} {
    exec kill -TERM [pid $chan]
    set line [string trim [read $chan]]
    close $chan
    if {![string match "written *" $line]} { fail "load client failed: $line" }
    return $line
}

proc ::rs::id {i} { R $i cluster myid }

# redis-cli --cluster SUB ... against node i; returns the output.
proc ::rs::cli {sub i args} {
    exec redis-cli --cluster $sub 127.0.0.1:[cluster_port $i] {*}$args 2>@1
}

# Every key of the given loads ({prefix n tags} ...) reads back, and the
# cluster holds exactly those keys (plus extra), each once.
proc ::rs::assert_keys {i loads {extra 0}} {
    set total $extra
    foreach l $loads {
        lassign $l prefix n tags
        assert_equal "found $n" [::rs::run verify [cluster_port $i] $prefix $n $tags]
        incr total $n
    }
    assert_equal "keys $total inslots $total" [::rs::run census [cluster_port $i]]
}

# redis-cli --cluster check against node i, whatever its exit status (it
# fails when it finds something to warn about).
proc ::rs::check_output {i} {
    catch {exec redis-cli --cluster check 127.0.0.1:[cluster_port $i] 2>@1} out
    return $out
}

proc ::rs::assert_check {i} {
    set out [::rs::cli check $i]
    assert_match {*All nodes agree about slots configuration*} $out
    assert_match {*All 16384 slots covered*} $out
    assert_no_match {*WARNING*} $out
    assert_no_match {*ERR*} $out
}

# The number of slots node i owns, from its CLUSTER NODES line.
proc ::rs::slot_count {i} {
    set n 0
    set line [lindex [lsearch -all -inline [split [R $i cluster nodes] "\n"] "*myself*"] 0]
    foreach r [lrange [split [string trim $line] " "] 8 end] {
        if {[string index $r 0] eq "\["} continue
        lassign [split $r -] a b
        if {$b eq ""} { set b $a }
        incr n [expr {$b - $a + 1}]
    }
    return $n
}

# Whether every node of indexes lists node j as connected.
proc ::rs::all_know {j indexes} {
    set id [::rs::id $j]
    foreach i $indexes {
        if {![string match "*$id * connected*" [R $i cluster nodes]]} { return 0 }
    }
    return 1
}

# Whether any node of indexes still lists node id.
proc ::rs::any_knows {id indexes} {
    foreach i $indexes {
        if {[string match "*$id *" [R $i cluster nodes]]} { return 1 }
    }
    return 0
}

# The index of the node serving slot (from node 0's view).
proc ::rs::owner_of_slot {slot} {
    foreach e [R 0 cluster slots] {
        if {$slot >= [lindex $e 0] && $slot <= [lindex $e 1]} {
            return [cluster_index_of_port [lindex [lindex $e 2] 1]]
        }
    }
    return -1
}

# Reshards n slots from node a to node b under a load, then checks.
proc ::rs::reshard_under_load {via a b n prefix extra_args} {
    set chan [::rs::load_start $via $prefix 40]
    after 300
    set out [::rs::cli reshard $via --cluster-from [::rs::id $a] --cluster-to [::rs::id $b] \
        --cluster-slots $n --cluster-yes {*}$extra_args]
    set report [::rs::load_stop $chan]
    assert_match "*Moving slot *" $out
    assert_no_match {*ERR*} $out
    return $report
}

# A master emptied by a reshard stays a master here, for rebalance and
# del-node to use (with the 7.0 default, cluster-allow-replica-migration
# yes, it becomes the taker's replica: cluster-migration.tcl tests that).
start_cluster 5 {tags {cluster external:skip} overrides {cluster-allow-replica-migration no}} {
    set loads {}
    set masters {0 1 2}

    test {Setup: a cluster of three Ember masters with 20000 keys in 40 hash tags} {
        exec redis-cli --cluster create 127.0.0.1:[cluster_port 0] 127.0.0.1:[cluster_port 1] \
            127.0.0.1:[cluster_port 2] --cluster-yes 2>@1
        cluster_wait_ok $masters
        assert_equal "written 20000 moved 0 ask 0 tryagain 0 bad 0" [::rs::run load [cluster_port 0] pre 20000 40]
        lappend loads {pre 20000 40}
        ::rs::assert_keys 0 $loads
    }

    test {redis-cli --cluster reshard under a write/read load loses and duplicates no key} {
        set r [::rs::reshard_under_load 0 0 1 1500 k1 {}]
        assert_equal [dict get $r bad] 0
        assert_morethan [dict get $r moved] 0
        lappend loads [list k1 [dict get $r written] 40]
        set r [::rs::reshard_under_load 1 1 2 1500 k2 {--cluster-pipeline 7}]
        assert_equal [dict get $r bad] 0
        assert_morethan [dict get $r moved] 0
        lappend loads [list k2 [dict get $r written] 40]
        cluster_wait_ok $masters
        ::rs::assert_check 0
        ::rs::assert_keys 2 $loads
        assert_equal [exec redis-cli -c -p [cluster_port 1] get "{pre:3}:6"] 6
        assert_equal [exec redis-cli -c -p [cluster_port 2] get "{pre:17}:19954"] 19954
        assert_equal [exec redis-cli -c -p [cluster_port 0] get "pre:19977"] 19977
    }

    tags {slow} {
        test {Moving every slot of a master away leaves it empty} {
            set n [::rs::slot_count 2]
            set r [::rs::reshard_under_load 2 2 0 $n k3 {--cluster-pipeline 20}]
            assert_equal [dict get $r bad] 0
            lappend loads [list k3 [dict get $r written] 40]
            cluster_wait_ok $masters
            assert_equal [::rs::slot_count 2] 0
            assert_equal [R 2 dbsize] 0
            ::rs::assert_check 0
            ::rs::assert_keys 1 $loads
        }
    }

    test {redis-cli --cluster rebalance (with empty masters) evens out the slots} {
        ::rs::cli rebalance 0 --cluster-use-empty-masters
        cluster_wait_ok $masters
        foreach i $masters {
            set n [::rs::slot_count $i]
            assert_range $n 5400 5500
        }
        ::rs::assert_check 1
        ::rs::assert_keys 0 $loads
    }

    test {redis-cli --cluster add-node adds a master with no slots} {
        set out [::rs::cli add-node 3 127.0.0.1:[cluster_port 0]]
        assert_match {*New node added correctly*} $out
        wait_for_condition 100 100 {[::rs::all_know 3 {0 1 2 3}]} else { fail "node 3 not known" }
        assert_equal [cluster_role 3] master
        assert_equal [::rs::slot_count 3] 0
        lappend masters 3
        cluster_wait_ok $masters
        ::rs::cli rebalance 0 --cluster-use-empty-masters
        cluster_wait_ok $masters
        assert_range [::rs::slot_count 3] 4000 4200
        ::rs::assert_check 3
        ::rs::assert_keys 3 $loads
    }

    test {redis-cli --cluster add-node --cluster-slave makes a replica that syncs} {
        set out [::rs::cli add-node 4 127.0.0.1:[cluster_port 0] --cluster-slave --cluster-master-id [::rs::id 3]]
        assert_match {*New node added correctly*} $out
        wait_for_condition 100 100 {[cluster_master_of 4] == 3} else { fail "node 4 not a replica of 3" }
        wait_for_condition 100 100 {
            [string match "*master_link_status:up*" [R 4 info replication]] && [R 4 dbsize] == [R 3 dbsize]
        } else { fail "replica 4 not synced" }
        assert_morethan [R 4 dbsize] 0
        cluster_wait_ok
        ::rs::assert_check 4
    }

    test {redis-cli --cluster fix closes a slot left migrating, and covers an unassigned slot} {
        set slot [R 0 cluster keyslot "{pre:5}"]
        set owner [cluster_owner_of "{pre:5}"]
        set other [expr {($owner + 1) % 3}]
        set keys [R $owner cluster countkeysinslot $slot]
        assert_morethan $keys 200
        R $other cluster setslot $slot importing [::rs::id $owner]
        R $owner cluster setslot $slot migrating [::rs::id $other]
        assert_match "*has slots in migrating state $slot*" [::rs::check_output 0]
        ::rs::cli fix 0
        cluster_wait_ok
        ::rs::assert_check 0
        ::rs::assert_keys 0 $loads
        # A slot no node serves.
        set free -1
        for {set s 100} {$free < 0} {incr s} {
            set o [::rs::owner_of_slot $s]
            if {[R $o cluster countkeysinslot $s] == 0} { set free $s }
        }
        foreach i $masters { catch {R $i cluster delslots $free} }
        wait_for_condition 100 100 {[string match "*cluster_state:fail*" [R 0 cluster info]]} else { fail "still ok" }
        assert_match {*Not all 16384 slots are covered*} [::rs::check_output 0]
        # This prompt of fix wants its "yes" typed, --cluster-yes or not.
        set out [exec redis-cli --cluster fix 127.0.0.1:[cluster_port 0] --cluster-yes << "yes\n" 2>@1]
        assert_match "*uncovered slots have no keys*\\\[$free\\\]*" $out
        cluster_wait_ok
        ::rs::assert_check 0
        ::rs::assert_keys 0 $loads
    }

    test {redis-cli --cluster del-node removes a replica, then an emptied master} {
        set id4 [::rs::id 4]
        set out [::rs::cli del-node 0 $id4]
        assert_match {*Sending CLUSTER RESET SOFT to the deleted node*} $out
        wait_for_condition 100 100 {![::rs::any_knows $id4 {0 1 2 3}]} else { fail "node 4 still known" }
        # The reset replica is an empty master that knows only itself.
        assert_equal [llength [split [string trim [R 4 cluster nodes]] "\n"]] 1
        assert_equal [cluster_role 4] master
        assert_equal [R 4 dbsize] 0
        set n [::rs::slot_count 3]
        ::rs::cli reshard 0 --cluster-from [::rs::id 3] --cluster-to [::rs::id 0] --cluster-slots $n --cluster-yes
        assert_equal [R 3 dbsize] 0
        set id3 [::rs::id 3]
        assert_match {*Sending CLUSTER RESET SOFT*} [::rs::cli del-node 0 $id3]
        set masters {0 1 2}
        wait_for_condition 100 100 {![::rs::any_knows $id3 $masters]} else { fail "node 3 still known" }
        cluster_wait_ok $masters
        ::rs::assert_check 0
        ::rs::assert_keys 0 $loads
    }
}

if {![oracle_available]} {
    puts "cluster-reshard: /usr/bin/redis-server not found, skipping the mixed cluster"
    return
}

start_cluster 2 {tags {cluster interop slow external:skip} oracles 1} {
    test {Slots move from an Ember master to a Redis 7.0.15 master and back under load} {
        exec redis-cli --cluster create 127.0.0.1:[cluster_port 0] 127.0.0.1:[cluster_port 1] \
            127.0.0.1:[cluster_port 2] --cluster-yes 2>@1
        cluster_wait_ok
        assert_equal "written 10000 moved 0 ask 0 tryagain 0 bad 0" [::rs::run load [cluster_port 2] pre 10000 40]
        set loads {{pre 10000 40}}
        set r [::rs::reshard_under_load 0 0 2 2500 k1 {--cluster-pipeline 10}]
        assert_equal [dict get $r bad] 0
        assert_morethan [dict get $r moved] 0
        lappend loads [list k1 [dict get $r written] 40]
        cluster_wait_ok
        ::rs::assert_check 2
        ::rs::assert_keys 1 $loads
        set r [::rs::reshard_under_load 2 2 0 2500 k2 {}]
        assert_equal [dict get $r bad] 0
        assert_morethan [dict get $r moved] 0
        lappend loads [list k2 [dict get $r written] 40]
        cluster_wait_ok
        ::rs::assert_check 0
        ::rs::assert_keys 2 $loads
        assert_equal [exec redis-cli -c -p [cluster_port 2] get "{pre:9}:18"] 18
    }
}
