# A cluster of Ember and real Redis 7.0.15 nodes (skipped without
# /usr/bin/redis-server): three of each, made by redis-cli --cluster create
# with one replica per master, so the bus speaks both ways. Every node sees
# every other connected with the same slot map, redis-cli -c writes and
# reads through nodes of both kinds, replication runs between them, and a
# master of each kind that stops is replaced by a replica of the other
# kind, and comes back as a replica.
# Then (slow) an Ember server takes a Redis node's place in a Redis cluster,
# on the node's own nodes.conf and RDB.

source tests/support/oracle.tcl
source tests/support/cluster.tcl

if {![oracle_available]} {
    puts "cluster-mixed: /usr/bin/redis-server not found, skipping"
    return
}

namespace eval ::cm {}
# Whether every master's replica is of the other kind (Ember 0-2, Redis 3-5).
proc ::cm::mixed_pairs {} {
    set n 0
    for {set r 0} {$r < 6} {incr r} {
        set m [cluster_master_of $r]
        if {$m < 0} continue
        if {($m < 3) == ($r < 3)} { return 0 }
        incr n
    }
    return [expr {$n == 3}]
}

# CLUSTER SLOTS with each range's replicas sorted (their order is the order
# in which a node learnt them).
proc ::cm::slots_view {i} {
    lsort [lmap e [R $i cluster slots] {concat [lrange $e 0 2] [lsort [lrange $e 3 end]]}]
}

# CLUSTER NODES without the ping/pong times and the myself flag.
proc ::cm::nodes_view {i} {
    set out {}
    foreach l [split [string trim [R $i cluster nodes]] "\n"] {
        set f [split $l " "]
        lappend out [concat [lrange $f 0 1] [string map {myself, ""} [lindex $f 2]] [lindex $f 3] [lrange $f 6 end]]
    }
    lsort $out
}

start_cluster 3 {tags {cluster interop external:skip} oracles 3} {
    test {redis-cli --cluster create over Ember and Redis nodes} {
        # Ember 0 1 2, Redis 3 4 5: masters 0 3 1, replicas 4 2 5.
        set addrs {}
        foreach i {0 3 1 4 2 5} { lappend addrs 127.0.0.1:[cluster_port $i] }
        exec redis-cli --cluster create {*}$addrs --cluster-replicas 1 --cluster-yes 2>@1
        cluster_wait_ok
        for {set i 0} {$i < 6} {incr i} {
            set lines [split [string trim [R $i cluster nodes]] "\n"]
            assert_equal [llength $lines] 6
            foreach l $lines { assert_match {* connected*} $l }
        }
        assert_match {*All 16384 slots covered*} [exec redis-cli --cluster check 127.0.0.1:[cluster_port 3]]
        assert_match {*All nodes agree*} [exec redis-cli --cluster check 127.0.0.1:[cluster_port 0]]
    }

    test {Ember and Redis nodes describe the cluster alike (CLUSTER SLOTS, NODES)} {
        wait_for_condition 50 100 {
            [::cm::slots_view 0] eq [::cm::slots_view 3] && [::cm::nodes_view 1] eq [::cm::nodes_view 4]
        } else {
            fail "views differ:\n[::cm::slots_view 0]\n[::cm::slots_view 3]\n[::cm::nodes_view 1]\n[::cm::nodes_view 4]"
        }
    }

    test {Keys through every node; each shard's replica has its master's keys} {
        for {set i 0} {$i < 100} {incr i} {
            assert_equal [exec redis-cli -c -p [cluster_port [expr {$i % 6}]] set key:$i v$i] OK
        }
        for {set i 0} {$i < 100} {incr i} {
            assert_equal [exec redis-cli -c -p [cluster_port [expr {($i + 3) % 6}]] get key:$i] v$i
        }
        set kinds {}
        for {set r 0} {$r < 6} {incr r} {
            set m [cluster_master_of $r]
            if {$m < 0} continue
            wait_for_condition 100 100 {[R $r dbsize] == [R $m dbsize]} else { fail "replica $r behind $m" }
            lappend kinds [expr {$m < 3 ? "E" : "R"}][expr {$r < 3 ? "E" : "R"}]
        }
        assert_equal [llength $kinds] 3
    }

    test {PUBLISH crosses between Ember and Redis nodes} {
        set sub [redis 127.0.0.1 [cluster_port 4]]
        $sub subscribe mixed
        R 0 publish mixed fromember
        assert_equal [$sub read] {message mixed fromember}
        $sub close
        set sub [redis 127.0.0.1 [cluster_port 1]]
        $sub subscribe mixed
        R 5 publish mixed fromredis
        assert_equal [$sub read] {message mixed fromredis}
        $sub close
    }

    test {CLUSTER REPLICATE across kinds: every master gets a replica of the other kind} {
        # Swap replicas between a same-kind pair and its opposite, if any.
        for {set r 0} {$r < 6} {incr r} {
            set m [cluster_master_of $r]
            if {$m < 0 || ($m < 3) != ($r < 3)} continue
            for {set r2 0} {$r2 < 6} {incr r2} {
                set m2 [cluster_master_of $r2]
                if {$m2 < 0 || $r2 == $r || ($m2 < 3) != ($r2 < 3) || ($m2 < 3) == ($m < 3)} continue
                assert_equal [R $r cluster replicate [R $m2 cluster myid]] OK
                assert_equal [R $r2 cluster replicate [R $m cluster myid]] OK
                break
            }
        }
        wait_for_condition 100 100 {[::cm::mixed_pairs]} else { fail "pairs not mixed" }
        cluster_wait_ok
        for {set r 0} {$r < 6} {incr r} {
            set m [cluster_master_of $r]
            if {$m < 0} continue
            wait_for_condition 100 100 {
                [string match "*master_link_status:up*" [R $r info replication]] && [R $r dbsize] == [R $m dbsize]
            } else { fail "replica $r not synced with $m" }
        }
    }

    test {An Ember master stops and its Redis replica takes over; then a Redis master and its Ember replica} {
        set dead {}
        foreach kind {ember redis} {
            set m -1
            for {set r 0} {$r < 6} {incr r} {
                if {[lsearch $dead $r] >= 0} continue
                set mm [cluster_master_of $r]
                if {$mm >= 0 && ($kind eq "ember") == ($mm < 3) && [lsearch $dead $mm] < 0} { set m $mm; set rep $r }
            }
            assert_morethan_equal $m 0
            cluster_pause $m
            lappend dead $m
            wait_for_condition 200 100 {[cluster_role $rep] eq "master"} else { fail "replica $rep not promoted" }
            set alive {}
            for {set i 0} {$i < 6} {incr i} { if {[lsearch $dead $i] < 0} { lappend alive $i } }
            cluster_wait_ok $alive
        }
        set alive_node [lindex $alive 0]
        for {set i 0} {$i < 100} {incr i} {
            assert_equal [exec redis-cli -c -p [cluster_port $alive_node] get key:$i] v$i
        }
        # Both come back as replicas of the nodes that replaced them.
        foreach m $dead { cluster_resume $m }
        foreach m $dead {
            wait_for_condition 100 100 {[cluster_role $m] eq "slave"} else { fail "node $m still a master" }
        }
        cluster_wait_ok
    }
}

start_cluster 0 {tags {cluster interop slow external:skip} oracles 3} {
    test {Ember takes a Redis node's place on its nodes.conf and RDB} {
        for {set i 0} {$i < 3} {incr i} { R $i config set cluster-announce-hostname host$i }
        cluster_create 0
        for {set i 0} {$i < 100} {incr i} { exec redis-cli -c -p [cluster_port 0] set k$i v$i }
        set o [dict get [::cl::node 1] oracle]
        set port [cluster_port 1]
        set bus [lindex [R 1 config get cluster-port] 1]
        set dir [lindex [R 1 config get dir] 1]
        set id [R 1 cluster myid]
        set keys [R 1 dbsize]
        R 1 save
        oracle_stop $o
        set pid [exec $::opt(server_binary) --port $port --bind 127.0.0.1 --dir $dir --cluster-enabled yes \
            --cluster-port $bus --cluster-node-timeout 2000 --cluster-announce-hostname host1 \
            --cluster-config-file [file join $dir nodes.conf] --logfile [file join $dir ember.log] &]
        try {
            set c ""
            wait_for_condition 100 50 {![catch {set c [redis 127.0.0.1 $port]}] && ![catch {$c ping}]} else {
                fail "Ember did not start on the Redis node's files"
            }
            assert_equal [$c cluster myid] $id
            wait_for_condition 100 50 {[$c dbsize] == $keys} else { fail "keys not loaded" }
            wait_for_condition 100 100 {
                [string match "*cluster_state:ok*" [$c cluster info]] && [string match "*cluster_state:ok*" [R 0 cluster info]]
            } else { fail "cluster not ok" }
            assert_match "*$id 127.0.0.1:$port@$bus,host1 master - * connected*" [R 0 cluster nodes]
            assert_match "*127.0.0.1:[cluster_port 0]@*,host0 master*" [$c cluster nodes]
            for {set i 0} {$i < 100} {incr i} { assert_equal [exec redis-cli -c -p [cluster_port 2] get k$i] v$i }
            assert_match {*All 16384 slots covered*} [exec redis-cli --cluster check 127.0.0.1:$port]
            $c close
        } finally {
            catch {exec kill $pid}
            wait_for_process_exit $pid 5000
        }
    }
}
