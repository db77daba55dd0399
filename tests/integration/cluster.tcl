# Redis Cluster on Ember nodes: creation by redis-cli --cluster create, the
# CLUSTER subcommands' replies and errors (Redis 7.0.15's texts), slot
# coverage, the redirections (-MOVED, -ASK with ASKING, -TRYAGAIN,
# -CROSSSLOT, -CLUSTERDOWN), transactions and scripts under cluster rules,
# PUBLISH across the bus and SPUBLISH in the shard, nodes.conf after a
# restart, and the refusals of a server with cluster-enabled no.

source tests/support/oracle.tcl
source tests/support/cluster.tcl

start_server {tags {cluster}} {
    test {CLUSTER and READONLY refused without cluster-enabled} {
        assert_error {ERR This instance has cluster support disabled} {r cluster info}
        assert_error {ERR This instance has cluster support disabled} {r cluster nodes}
        assert_error {ERR This instance has cluster support disabled} {r readonly}
        assert_error {ERR This instance has cluster support disabled} {r asking}
        assert_match {*cluster_enabled:0*} [r info cluster]
    }
}

start_cluster 3 {tags {cluster external:skip}} {
    test {A new node: its own id in nodes.conf, state fail, no slots} {
        set id [R 0 cluster myid]
        assert_equal [string length $id] 40
        assert_match "$id *myself,master - 0 0 0 connected*" [R 0 cluster nodes]
        assert_match {*cluster_state:fail*cluster_known_nodes:1*} [R 0 cluster info]
        assert_equal [R 0 cluster slots] {}
        assert_match {*cluster_enabled:1*} [R 0 info cluster]
    }

    test {CLUSTER argument errors as Redis 7.0} {
        assert_error {ERR Invalid or out of range slot} {R 0 cluster addslots 16384}
        assert_error {ERR Invalid or out of range slot} {R 0 cluster addslots abc}
        assert_error {ERR Slot 5 specified multiple times} {R 0 cluster addslots 5 5}
        assert_error {ERR start slot number 9 is greater than end slot number 3} {R 0 cluster addslotsrange 9 3}
        assert_error {ERR wrong number of arguments for 'cluster|addslotsrange' command} {R 0 cluster addslotsrange 1 2 3}
        assert_error {ERR Slot 7 is already unassigned} {R 0 cluster delslots 7}
        assert_error {ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP} {R 0 cluster setslot 0 foo}
        assert_error {ERR Unknown node abc} {R 0 cluster setslot 0 node abc}
        assert_error {ERR I'm not the owner of hash slot 0} {R 0 cluster setslot 0 migrating [R 0 cluster myid]}
        assert_error {ERR Invalid slot} {R 0 cluster countkeysinslot 99999}
        assert_error {ERR Invalid slot or number of keys} {R 0 cluster getkeysinslot 0 -1}
        assert_error {ERR Invalid node address specified: 1.2.3:5} {R 0 cluster meet 1.2.3 5}
        assert_error {ERR Invalid TCP base port specified: x} {R 0 cluster meet 127.0.0.1 x}
        assert_error {ERR Unknown node abc} {R 0 cluster forget abc}
        assert_error {ERR I tried hard but I can't forget myself...} {R 0 cluster forget [R 0 cluster myid]}
        assert_error {ERR Can't replicate myself} {R 0 cluster replicate [R 0 cluster myid]}
        assert_error {ERR syntax error} {R 0 cluster reset foo}
        assert_error {ERR You should send CLUSTER FAILOVER to a replica} {R 0 cluster failover}
        assert_error {ERR syntax error} {R 0 cluster failover foo}
        assert_error {ERR unknown subcommand 'foo'. Try CLUSTER HELP.} {R 0 cluster foo}
        assert_error {ERR REPLICAOF not allowed in cluster mode.} {R 0 replicaof 127.0.0.1 1}
        assert_equal [R 0 cluster keyslot foo] 12182
        assert_equal [R 0 cluster keyslot "{user1000}.following"] [R 0 cluster keyslot user1000]
    }

    test {CLUSTER SET-CONFIG-EPOCH and BUMPEPOCH on a lone node} {
        assert_error {ERR Invalid config epoch specified: -1} {R 0 cluster set-config-epoch -1}
        assert_equal [R 0 cluster set-config-epoch 5] OK
        assert_error {ERR Node config epoch is already non-zero} {R 0 cluster set-config-epoch 6}
        assert_equal [R 0 cluster bumpepoch] {STILL 5}
    }

    test {Meeting by hand and serving every slot makes the cluster ok} {
        cluster_meet_all
        assert_error {ERR The user can assign a config epoch only when the node does not know any other node.} {R 1 cluster set-config-epoch 2}
        cluster_add_ranges 3
        cluster_wait_ok
        set info [R 1 cluster info]
        assert_match {*cluster_slots_assigned:16384*cluster_slots_ok:16384*cluster_known_nodes:3*cluster_size:3*} $info
        assert_match {*cluster_stats_messages_ping_sent:*cluster_stats_messages_meet_received:*} [R 1 cluster info]
    }

    test {CLUSTER NODES, SLOTS, SHARDS and LINKS shapes} {
        set line [lindex [lsearch -all -inline [split [R 0 cluster nodes] "\n"] "*myself*"] 0]
        assert_match "[R 0 cluster myid] 127.0.0.1:[cluster_port 0]@* myself,master - 0 * 5 connected 0-5460" $line
        set e [lindex [lsort -index 0 -integer [R 0 cluster slots]] 0]
        assert_equal [lrange $e 0 1] {0 5460}
        assert_equal [lindex $e 2] [list 127.0.0.1 [cluster_port 0] [R 0 cluster myid] {}]
        set shards [R 0 cluster shards]
        assert_equal [llength $shards] 3
        foreach s $shards {
            assert_equal [lsearch -all -inline -not [dict keys $s] {}] {slots nodes}
            set n [lindex [dict get $s nodes] 0]
            assert_equal [dict keys $n] {id port ip endpoint role replication-offset health}
            assert_equal [dict get $n role] master
            assert_equal [dict get $n health] online
        }
        set links [R 0 cluster links]
        assert_equal [llength $links] 4
        assert_equal [dict keys [lindex $links 0]] {direction node create-time events send-buffer-allocated send-buffer-used}
        assert_equal [R 0 cluster count-failure-reports [R 1 cluster myid]] 0
        assert_equal [R 0 cluster replicas [R 1 cluster myid]] {}
    }

    test {MOVED for a key of another node, CROSSSLOT across slots} {
        set owner [cluster_owner_of foo]
        set other [expr {($owner + 1) % 3}]
        assert_equal [R $owner set foo bar] OK
        assert_error "MOVED 12182 127.0.0.1:[cluster_port $owner]" {R $other get foo}
        assert_error {CROSSSLOT Keys in request don't hash to the same slot} {R 0 mset a 1 b 2}
        set o [cluster_owner_of "{t}a"]
        assert_equal [R $o mset "{t}a" 1 "{t}b" 2] OK
        assert_equal [R $o mget "{t}a" "{t}b"] {1 2}
        assert_equal [R $other ping] PONG
    }

    test {MULTI/EXEC: MOVED when queueing, CROSSSLOT at EXEC for slots of one node} {
        set o [cluster_owner_of "{t}a"]
        set other [expr {($o + 1) % 3}]
        set far ""
        set near ""
        for {set i 0} {$i < 200 && ($far eq "" || $near eq "")} {incr i} {
            set owner [cluster_owner_of k$i]
            if {$owner == $other && $far eq ""} { set far k$i }
            if {$owner == $o && [R $o cluster keyslot k$i] != [R $o cluster keyslot "{t}a"] && $near eq ""} { set near k$i }
        }
        R $o multi
        R $o set "{t}a" 10
        assert_error {MOVED*} {R $o set $far 1}
        assert_error {EXECABORT*} {R $o exec}
        R $o multi
        R $o set "{t}a" 10
        R $o set $near 1
        assert_error {CROSSSLOT Keys in request don't hash to the same slot} {R $o exec}
        assert_equal [R $o get "{t}a"] 1
        R $o multi
        R $o incr "{t}a"
        R $o get "{t}b"
        assert_equal [R $o exec] {2 2}
    }

    test {EVAL: declared keys route like the command's keys} {
        set o [cluster_owner_of "{t}a"]
        set other [expr {($o + 1) % 3}]
        assert_equal [R $o eval {return redis.call('get', KEYS[1])} 1 "{t}b"] 2
        assert_error {MOVED*} {R $other eval {return 1} 1 "{t}b"}
        assert_error {CROSSSLOT*} {R $o eval {return 1} 2 "{t}a" foo}
        set far ""
        set near ""
        for {set i 0} {$i < 200 && ($far eq "" || $near eq "")} {incr i} {
            set owner [cluster_owner_of k$i]
            if {$owner != $o && $far eq ""} { set far k$i }
            if {$owner == $o && [R $o cluster keyslot k$i] != [R $o cluster keyslot "{t}a"] && $near eq ""} { set near k$i }
        }
        assert_error {*Script attempted to access a non local key in a cluster node*} {R $o eval "return redis.call('get', '$far')" 0}
        assert_error {*Script attempted to access keys that do not hash to the same slot*} {R $o eval "redis.call('get', KEYS\[1\]) return redis.call('get', '$near')" 1 "{t}a"}
        assert_equal [R $o eval "#!lua flags=allow-cross-slot-keys\nredis.call('get', KEYS\[1\]) return redis.call('get', '$near')" 1 "{t}a"] {}
        assert_error {*Can not run script on cluster, 'no-cluster' flag is set.*} {R $o eval "#!lua flags=no-cluster\nreturn 1" 0}
    }

    test {COUNTKEYSINSLOT and GETKEYSINSLOT} {
        set o [cluster_owner_of "{t}a"]
        set slot [R $o cluster keyslot "{t}a"]
        assert_equal [R $o cluster countkeysinslot $slot] 2
        assert_equal [lsort [R $o cluster getkeysinslot $slot 10]] [list "{t}a" "{t}b"]
        assert_equal [llength [R $o cluster getkeysinslot $slot 1]] 1
    }

    test {ASK and ASKING while a slot migrates, TRYAGAIN for split multi-key requests} {
        set src [cluster_owner_of "{m}1"]
        set dst [expr {($src + 1) % 3}]
        set slot [R $src cluster keyslot "{m}1"]
        R $src set "{m}1" here
        assert_equal [R $dst cluster setslot $slot importing [R $src cluster myid]] OK
        assert_equal [R $src cluster setslot $slot migrating [R $dst cluster myid]] OK
        assert_match "*\[$slot->-[R $dst cluster myid]\]*" [R $src cluster nodes]
        assert_equal [R $src get "{m}1"] here
        assert_error "ASK $slot 127.0.0.1:[cluster_port $dst]" {R $src get "{m}2"}
        assert_error "MOVED $slot *" {R $dst get "{m}2"}
        assert_equal [R $dst asking] OK
        assert_equal [R $dst set "{m}2" there] OK
        assert_error "MOVED $slot *" {R $dst get "{m}2"}
        R $dst asking
        assert_equal [R $dst get "{m}2"] there
        R $dst asking
        assert_error {TRYAGAIN Multiple keys request during rehashing of slot} {R $dst mget "{m}1" "{m}2"}
        assert_error {ERR Can't assign hashslot * to a different node while I still hold keys for this hash slot.} {R $src cluster setslot $slot node [R $dst cluster myid]}
        R $src del "{m}1"
        assert_equal [R $dst cluster setslot $slot node [R $dst cluster myid]] OK
        assert_equal [R $src cluster setslot $slot node [R $dst cluster myid]] OK
        assert_equal [R $dst get "{m}2"] there
        cluster_wait_ok
        assert_equal [cluster_owner_of "{m}2" [expr {($dst + 2) % 3}]] $dst
    }

    test {A client blocked on a key whose slot moves away gets MOVED} {
        set o [cluster_owner_of "{b}q"]
        set other [expr {($o + 1) % 3}]
        set slot [R $o cluster keyslot "{b}q"]
        set rd [redis 127.0.0.1 [cluster_port $o] 1]
        $rd blpop "{b}q" 0
        wait_for_condition 50 20 {[getInfoProperty [R $o info clients] blocked_clients] == 1} else { fail "not blocked" }
        R $o cluster setslot $slot node [R $other cluster myid]
        assert_error "MOVED $slot 127.0.0.1:[cluster_port $other]" {$rd read}
        $rd close
        R $o cluster setslot $slot node [R $o cluster myid]
        cluster_wait_ok
        assert_equal [cluster_owner_of "{b}q" $other] $o
    }

    test {PUBLISH reaches subscribers on every node, SPUBLISH the shard} {
        set sub [redis 127.0.0.1 [cluster_port 2]]
        $sub subscribe news
        assert_equal [R 0 publish news hello] 0
        assert_equal [$sub read] {message news hello}
        set o [cluster_owner_of shardch]
        set ssub [redis 127.0.0.1 [cluster_port $o]]
        $ssub ssubscribe shardch
        assert_equal [R $o spublish shardch hi] 1
        assert_equal [$ssub read] {smessage shardch hi}
        assert_error {MOVED*} {R [expr {($o + 1) % 3}] spublish shardch hi}
        $sub close
        $ssub close
    }

    test {DELSLOTS makes the cluster down: CLUSTERDOWN texts, reads when allowed} {
        set o [cluster_owner_of foo]
        set slot [R $o cluster keyslot foo]
        for {set i 0} {$i < 3} {incr i} { R $i cluster delslots $slot }
        assert_error {CLUSTERDOWN Hash slot not served} {R $o get foo}
        wait_for_condition 50 100 {[string match "*cluster_state:fail*" [R $o cluster info]]} else { fail "still ok" }
        assert_error {CLUSTERDOWN The cluster is down} {R $o get "{t}a"}
        R $o config set cluster-allow-reads-when-down yes
        assert_equal [R $o get "{t}a"] 2
        assert_error {CLUSTERDOWN The cluster is down and only accepts read commands} {R $o set "{t}a" 3}
        R $o config set cluster-allow-reads-when-down no
        R $o cluster addslots $slot
        cluster_wait_ok
        assert_equal [R $o get foo] bar
    }

    test {nodes.conf keeps the node's id, slots and epochs across a restart} {
        set id [R 2 cluster myid]
        set mine [lindex [lsearch -all -inline [split [R 2 cluster nodes] "\n"] "*myself*"] 0]
        set conf [::srv::read_file [file join [srv 0 dir] nodes.conf]]
        assert_match "*$id 127.0.0.1:[cluster_port 2]@* myself,master - *" $conf
        assert_match "*vars currentEpoch * lastVoteEpoch *" $conf
        restart_server 0
        assert_equal [R 2 cluster myid] $id
        cluster_wait_ok
        set now [lindex [lsearch -all -inline [split [R 2 cluster nodes] "\n"] "*myself*"] 0]
        assert_equal [lrange $now 6 end] [lrange $mine 6 end]
        assert_equal [lrange $now 0 3] [lrange $mine 0 3]
        assert_equal [llength [split [string trim [R 2 cluster nodes]] "\n"]] 3
        verify_log_message "*Node configuration loaded, I'm $id*"
    }

    test {CLUSTER RESET and FLUSHSLOTS refuse a master with keys; FORGET drops a node} {
        set o [cluster_owner_of foo]
        R $o set foo bar
        assert_error {ERR CLUSTER RESET can't be called with master nodes containing keys} {R $o cluster reset}
        assert_error {ERR DB must be empty to perform CLUSTER FLUSHSLOTS.} {R $o cluster flushslots}
        set gone [expr {($o + 1) % 3}]
        set id [R $gone cluster myid]
        assert_equal [R $o cluster forget $id] OK
        assert_no_match "*$id*" [R $o cluster nodes]
        assert_match {*cluster_known_nodes:2*} [R $o cluster info]
    }
}

# How many masters node i's CLUSTER NODES lists.
proc ::cluster_test_masters {i} {
    set masters 0
    foreach line [split [string trim [R $i cluster nodes]] "\n"] {
        if {[string match "* master *" $line] || [string match "*,master *" $line]} { incr masters }
    }
    return $masters
}

start_cluster 6 {tags {cluster external:skip}} {
    test {redis-cli --cluster create with replicas, --cluster check clean, redis-cli -c across nodes} {
        cluster_create 1
        set check [exec redis-cli --cluster check 127.0.0.1:[cluster_port 0]]
        assert_match {*All nodes agree about slots configuration*All 16384 slots covered*} $check
        assert_no_match {*ERR*} $check
        for {set i 0} {$i < 50} {incr i} {
            assert_equal [exec redis-cli -c -p [cluster_port 0] set key:$i v$i] OK
        }
        for {set i 0} {$i < 50} {incr i} {
            assert_equal [exec redis-cli -c -p [cluster_port 3] get key:$i] v$i
        }
        # Node 0 learns the replicas' roles by gossip, maybe a moment later.
        wait_for_condition 100 50 {
            [::cluster_test_masters 0] == 3
        } else {
            fail "node 0 sees [::cluster_test_masters 0] masters:\n[R 0 cluster nodes]"
        }
    }

    test {Replicas replicate their master and serve reads after READONLY} {
        set line [lindex [lsearch -all -inline [split [R 3 cluster nodes] "\n"] "*myself*"] 0]
        set master_id [lindex $line 3]
        assert_match {*slave*} $line
        set shards [R 0 cluster shards]
        wait_for_condition 100 100 {
            [string match "*master_link_status:up*" [R 3 info replication]]
        } else { fail "replica not synced" }
        set key ""
        for {set i 0} {$i < 50} {incr i} {
            set owner [cluster_owner_of key:$i]
            if {[R $owner cluster myid] eq $master_id} { set key key:$i; break }
        }
        assert_not_equal $key ""
        wait_for_condition 100 50 {[R 3 dbsize] == [R [cluster_owner_of $key] dbsize]} else { fail "not replicated" }
        assert_error {MOVED*} {R 3 get $key}
        R 3 readonly
        assert_match {v*} [R 3 get $key]
        assert_error {MOVED*} {R 3 set $key x}
        R 3 readwrite
        assert_error {MOVED*} {R 3 get $key}
        assert_equal [llength [R 0 cluster replicas $master_id]] 1
    }
}
