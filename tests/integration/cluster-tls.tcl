# tls-cluster yes: the cluster bus speaks TLS (the bus port is a TLS
# server; the links a node opens present tls-client-cert-file), and the
# port a node announces is its tls-port, its plain port going beside it
# (pport) for clients without TLS: CLUSTER NODES, SLOTS and the MOVED
# redirections give a TLS client the TLS ports and a plain client the
# plain ones; CLUSTER SHARDS gives both (port, tls-port); nodes.conf keeps
# the TLS ports. Six Ember nodes made one cluster by redis-cli --tls
# --cluster create, keys through redis-cli --tls -c, and a failover (the
# replicas replicate over TLS: tls-replication), and MIGRATE to a TLS
# port. Then a cluster of three Ember and three Redis 7.0.15 nodes on the
# same certificates.

source tests/support/oracle.tcl
source tests/support/cluster.tcl

if {![server_has_tls]} {
    puts "cluster-tls: this server is built without TLS, skipping"
    return
}

namespace eval ::ctls {}
set ::ctls::certs [tls_certs_dir]

proc ::ctls::cli {args} {
    exec redis-cli {*}[tls_cli_args] {*}$args
}

# The ports of the nodes in a CLUSTER NODES text, sorted.
proc ::ctls::nodes_ports {text} {
    lsort -integer [lmap l [split [string trim $text] "\n"] {
        lindex [split [lindex [split [lindex $l 1] @] 0] :] 1
    }]
}

proc ::ctls::ports {kind} {
    set out {}
    for {set i 0} {$i < [cluster_size]} {incr i} {
        lappend out [expr {$kind eq "tls" ? [cluster_tls_port $i] : [cluster_port $i]}]
    }
    lsort -integer $out
}

# The masters' ports of CLUSTER SLOTS (TLS client or not), sorted.
proc ::ctls::slots_ports {i tls} {
    if {$tls} {
        set text [::ctls::cli -p [cluster_tls_port $i] cluster slots]
        set out {}
        foreach l [split $text "\n"] { if {[string is integer -strict $l] && $l > 16383} { lappend out $l } }
        return [lsort -integer -unique $out]
    }
    lsort -integer -unique [lmap e [R $i cluster slots] {lindex [lindex $e 2] 1}]
}

proc ::ctls::bus_speaks_tls {i} {
    set busport [lindex [R $i config get cluster-port] 1]
    set out [exec openssl s_client -connect 127.0.0.1:$busport -CAfile [file join $::ctls::certs ca.crt] \
        -cert [file join $::ctls::certs client.crt] -key [file join $::ctls::certs client.key] < /dev/null 2>@1]
    string match "*Verify return code: 0 (ok)*" $out
}

# The tests common to both clusters: creation, views, keys, a failover.
proc ::ctls::run {label} {
    test "$label: redis-cli --tls --cluster create over the TLS ports" {
        set addrs {}
        for {set i 0} {$i < [cluster_size]} {incr i} { lappend addrs 127.0.0.1:[cluster_tls_port $i] }
        ::ctls::cli --cluster create {*}$addrs --cluster-replicas 1 --cluster-yes
        cluster_wait_ok
        wait_for_condition 100 100 {[::cl::all_know_all]} else { fail "nodes do not all know each other" }
        assert_match {*All 16384 slots covered*} [::ctls::cli --cluster check 127.0.0.1:[cluster_tls_port 0]]
    }

    test "$label: every bus port is a TLS server" {
        for {set i 0} {$i < [cluster_size]} {incr i} { assert {[::ctls::bus_speaks_tls $i]} }
    }

    test "$label: TLS clients see the TLS ports, plain clients the plain ones" {
        for {set i 0} {$i < [cluster_size]} {incr i} {
            assert_equal [::ctls::ports tls] [::ctls::nodes_ports [::ctls::cli -p [cluster_tls_port $i] cluster nodes]]
            assert_equal [::ctls::ports plain] [::ctls::nodes_ports [R $i cluster nodes]]
            set tls_masters [::ctls::slots_ports $i 1]
            set plain_masters [::ctls::slots_ports $i 0]
            assert_equal 3 [llength $tls_masters]
            foreach p $tls_masters { assert {[lsearch -exact [::ctls::ports tls] $p] >= 0} }
            foreach p $plain_masters { assert {[lsearch -exact [::ctls::ports plain] $p] >= 0} }
            set shard [lindex [lindex [lindex [R $i cluster shards] 0] 3] 0]
            # The fields of Redis 7.0.15 with tls-cluster: both ports.
            assert_equal {endpoint health id ip port replication-offset role tls-port} [lsort [dict keys $shard]]
            assert_equal [dict get $shard port] [cluster_port [cluster_index_of_port [dict get $shard port]]]
            assert_equal [dict get $shard tls-port] [cluster_tls_port [cluster_index_of_port [dict get $shard port]]]
        }
    }

    test "$label: keys through redis-cli --tls -c (MOVED to TLS ports) and plain redis-cli -c" {
        for {set i 0} {$i < 60} {incr i} {
            assert_equal OK [::ctls::cli -c -p [cluster_tls_port [expr {$i % 6}]] set key:$i v$i]
        }
        for {set i 0} {$i < 60} {incr i} {
            assert_equal v$i [exec redis-cli -c -p [cluster_port [expr {($i + 1) % 6}]] get key:$i]
        }
        set slot [R 0 cluster keyslot key:0]
        set owner [cluster_owner_of key:0]
        set other [expr {($owner + 1) % 6}]
        while {[cluster_role $other] ne "master"} { set other [expr {($other + 1) % 6}] }
        assert_error "MOVED $slot 127.0.0.1:[cluster_port $owner]" {R $other get key:0}
        assert_equal "MOVED $slot 127.0.0.1:[cluster_tls_port $owner]" [string trim [::ctls::cli -p [cluster_tls_port $other] get key:0]]
    }

    test "$label: a stopped master is replaced by its replica (replicated over TLS)" {
        set owner [cluster_owner_of key:0]
        set replica -1
        for {set i 0} {$i < 6} {incr i} { if {[cluster_master_of $i] == $owner} { set replica $i } }
        assert_morethan_equal $replica 0
        assert_match "*master_port:[cluster_tls_port $owner]*master_link_status:up*" [R $replica info replication]
        wait_for_condition 100 100 {[R $replica dbsize] == [R $owner dbsize]} else { fail "replica behind" }
        cluster_pause $owner
        wait_for_condition 200 100 {[cluster_role $replica] eq "master"} else { fail "replica not promoted" }
        set others {}
        for {set i 0} {$i < 6} {incr i} { if {$i != $owner} { lappend others $i } }
        cluster_wait_ok $others
        for {set i 0} {$i < 60} {incr i} {
            assert_equal v$i [::ctls::cli -c -p [cluster_tls_port [lindex $others [expr {$i % 5}]]] get key:$i]
        }
        cluster_resume $owner
        wait_for_condition 100 100 {[cluster_role $owner] eq "slave"} else { fail "old master still a master" }
        wait_for_condition 100 100 {
            [string match "*master_port:[cluster_tls_port $replica]*master_link_status:up*" [R $owner info replication]]
        } else { fail "old master not replicating over TLS" }
        cluster_wait_ok
    }
}

# Moves the slot of key (with its keys) from master a to master b by
# MIGRATE to b's TLS port, as redis-cli does a resharding.
proc ::ctls::move_slot {key a b} {
    set slot [R $a cluster keyslot $key]
    set aid [R $a cluster myid]
    set bid [R $b cluster myid]
    R $b cluster setslot $slot importing $aid
    R $a cluster setslot $slot migrating $bid
    set keys [R $a cluster getkeysinslot $slot 1000]
    assert_equal OK [R $a migrate 127.0.0.1 [cluster_tls_port $b] "" 0 5000 keys {*}$keys]
    R $b cluster setslot $slot node $bid
    R $a cluster setslot $slot node $bid
    assert_equal 0 [R $a cluster countkeysinslot $slot]
    assert_equal [llength $keys] [R $b cluster countkeysinslot $slot]
}

# Whether every node sees node b's config epoch as b does.
proc ::ctls::epoch_known {b} {
    set id [R $b cluster myid]
    set own [lindex [lsearch -inline [split [R $b cluster nodes] "\n"] "*myself*"] 6]
    for {set i 0} {$i < [cluster_size]} {incr i} {
        if {[lindex [lsearch -inline [split [R $i cluster nodes] "\n"] "$id *"] 6] ne $own} { return 0 }
    }
    return 1
}

proc ::ctls::run_migrate {label {first_kind ember}} {
    test "$label: MIGRATE goes over TLS (a slot moved there and back)" {
        set a [cluster_owner_of key:0]
        assert_equal $first_kind [dict get [::cl::node $a] kind]
        set b -1
        for {set i 0} {$i < 6} {incr i} { if {$i != $a && [cluster_role $i] eq "master"} { set b $i; break } }
        ::ctls::move_slot key:0 $a $b
        # Every node (its epochs too) up to date before the way back: a
        # node that does not know the newer epoch would not bump its own.
        wait_for_condition 100 100 {[cluster_owner_of key:0 $a] == $b} else { fail "slot not moved" }
        cluster_wait_ok
        wait_for_condition 100 100 {[::ctls::epoch_known $b]} else { fail "the new epoch of $b not known" }
        assert_equal v0 [::ctls::cli -c -p [cluster_tls_port $a] get key:0]
        ::ctls::move_slot key:0 $b $a
        cluster_wait_ok
        assert_equal v0 [::ctls::cli -c -p [cluster_tls_port $b] get key:0]
    }
}

set ::ctls::overrides [list tls-cluster yes tls-replication yes \
    tls-client-cert-file [file join $::ctls::certs client.crt] tls-client-key-file [file join $::ctls::certs client.key]]

start_cluster 6 [list tags {cluster tls external:skip} tls 1 overrides $::ctls::overrides] {
    ::ctls::run Ember
    ::ctls::run_migrate Ember

    test {nodes.conf keeps the TLS ports} {
        set f [open [file join [lindex [R 0 config get dir] 1] nodes.conf]]
        set conf [read $f]
        close $f
        assert_equal [::ctls::ports tls] [::ctls::nodes_ports [join [lrange [split [string trim $conf] "\n"] 0 end-1] "\n"]]
    }
}

if {![oracle_available]} {
    puts "cluster-tls: /usr/bin/redis-server not found, skipping the mixed cluster"
    return
}

start_cluster 3 [list tags {cluster tls interop external:skip} tls 1 overrides $::ctls::overrides oracles 3 oracle_tls 1] {
    ::ctls::run Mixed
    # The replica that took over is a Redis node: Redis migrates to Ember
    # and back.
    ::ctls::run_migrate Mixed oracle
}
