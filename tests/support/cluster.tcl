# Clusters of test servers on loopback.
#
# start_cluster n {options} {body} starts n Ember nodes with cluster-enabled
# (each its own start_server: own directory, port, and a bus port of the
# worker's range given as cluster-port), runs body, then stops them all.
# Options:
#     tags      {t1 t2}     tags for every test in body
#     overrides {k v ...}   directives for every node (over the cluster ones)
#     oracles   m           also start m real Redis 7.0.15 nodes (after the
#                           Ember ones: indexes n .. n+m-1)
#     tls       1           Ember nodes also listen with TLS (start_server's
#                           tls option); cluster_tls_port i is the port
#     oracle_tls 1          Redis nodes too, with tls-cluster and
#                           tls-replication on (certificate redis.crt, usable
#                           both ways)
# Inside body, `R i cmd ...` runs a command on node i, `cluster_port i`,
# `cluster_pid i` and `cluster_size` describe the nodes. cluster_create
# makes them one cluster with redis-cli --cluster create; cluster_meet_all
# and cluster_add_ranges do it by hand (CLUSTER MEET and ADDSLOTSRANGE).

namespace eval ::cl {
    variable nodes {}   ;# list of dicts: kind (ember|oracle), port, oracle
    variable total 0
}

proc cluster_size {} { return [llength $::cl::nodes] }

proc ::cl::node {i} {
    lindex $::cl::nodes $i
}

proc cluster_port {i} { dict get [::cl::node $i] port }

# Node i's TLS port (a cluster started with tls / oracle_tls).
proc cluster_tls_port {i} {
    set d [::cl::node $i]
    if {[dict get $d kind] eq "oracle"} { return [dict get $d tls_port] }
    return [srv [dict get $d level] tls_port]
}

proc cluster_pid {i} {
    set d [::cl::node $i]
    if {[dict get $d kind] eq "oracle"} { return [lindex [dict get $d oracle] 0] }
    return [srv [dict get $d level] pid]
}

proc cluster_client {i} {
    set d [::cl::node $i]
    if {[dict get $d kind] eq "oracle"} { return [lindex [dict get $d oracle] 2] }
    return [srv [dict get $d level] client]
}

proc R {i args} {
    [cluster_client $i] {*}$args
}

# The directives of one cluster node.
proc ::cl::node_overrides {extra} {
    set bus [::srv::find_port]
    return [concat [list cluster-enabled yes cluster-node-timeout 2000 cluster-port $bus] $extra]
}

proc start_cluster {n options body} {
    set opts [dict create tags {} overrides {} oracles 0 tls 0 oracle_tls 0]
    foreach {k v} $options { dict set opts $k $v }
    set ::cl::nodes {}
    set ::cl::paused {}
    set ::cl::total $n
    ::cl::start_nested $n 0 $opts $body
}

proc ::cl::start_nested {n i opts body} {
    if {$i == $n} {
        ::cl::start_oracles $opts $body
        return
    }
    start_server [list tags [dict get $opts tags] tls [dict get $opts tls] \
            overrides [::cl::node_overrides [dict get $opts overrides]]] {
        lappend ::cl::nodes [dict create kind ember port [srv port] level 0]
        # Nested servers shift the levels of the outer ones.
        set fixed {}
        set k 0
        foreach d $::cl::nodes {
            dict set d level [expr {$k - [llength $::cl::nodes] + 1}]
            lappend fixed $d
            incr k
        }
        set ::cl::nodes $fixed
        ::cl::start_nested $n [expr {$i + 1}] $opts $body
    }
}

proc ::cl::start_oracles {opts body} {
    set started {}
    try {
        for {set j 0} {$j < [dict get $opts oracles]} {incr j} {
            set dir [file join $::opt(tmpdir) "oracle.[pid].[incr ::srv::counter]"]
            file mkdir $dir
            set tls {}
            set tls_port ""
            if {[dict get $opts oracle_tls]} {
                set certs [tls_certs_dir]
                set tls_port [::srv::find_port]
                set tls [list --tls-port $tls_port --tls-cluster yes --tls-replication yes \
                    --tls-cert-file [file join $certs redis.crt] --tls-key-file [file join $certs redis.key] \
                    --tls-ca-cert-file [file join $certs ca.crt] --tls-dh-params-file [file join $certs redis.dh]]
            }
            set o [oracle_start [file normalize $dir] --cluster-enabled yes --cluster-node-timeout 2000 \
                --cluster-port [::srv::find_port] --cluster-config-file [file join [file normalize $dir] nodes.conf] {*}$tls]
            lappend started $o
            lappend ::cl::nodes [dict create kind oracle port [lindex $o 1] oracle $o level "" tls_port $tls_port]
        }
        uplevel #0 $body
    } finally {
        foreach o $started { catch {oracle_stop $o} }
    }
}

# Whether every live node (of the indexes given, all by default) says ok and
# sees the same slot map.
proc cluster_agrees {{indexes {}}} {
    if {$indexes eq ""} { for {set i 0} {$i < [cluster_size]} {incr i} { lappend indexes $i } }
    set ref ""
    foreach i $indexes {
        if {[catch {R $i cluster info} info]} { return 0 }
        if {![string match "*cluster_state:ok*" $info]} { return 0 }
        set map [lsort [lmap e [R $i cluster slots] {list [lindex $e 0] [lindex $e 1] [lindex [lindex $e 2] 2]}]]
        if {$ref eq ""} { set ref $map } elseif {$map ne $ref} { return 0 }
    }
    return 1
}

proc cluster_wait_ok {{indexes {}}} {
    wait_for_condition 200 100 {
        [cluster_agrees $indexes]
    } else {
        fail "cluster did not converge:\n[::cl::describe $indexes]"
    }
}

proc ::cl::describe {indexes} {
    if {$indexes eq ""} { for {set i 0} {$i < [cluster_size]} {incr i} { lappend indexes $i } }
    set out ""
    foreach i $indexes {
        catch {append out "node $i: [lindex [split [R $i cluster info] "\r\n"] 0]\n[R $i cluster nodes]"} err
    }
    return $out
}

# redis-cli --cluster create over every node, with `replicas` replicas per
# master; waits until all agree.
proc cluster_create {{replicas 0}} {
    set addrs {}
    for {set i 0} {$i < [cluster_size]} {incr i} { lappend addrs 127.0.0.1:[cluster_port $i] }
    exec redis-cli --cluster create {*}$addrs --cluster-replicas $replicas --cluster-yes 2>@1
    cluster_wait_ok
}

# CLUSTER MEET of every node from node 0.
proc cluster_meet_all {} {
    for {set i 1} {$i < [cluster_size]} {incr i} {
        R 0 cluster meet 127.0.0.1 [cluster_port $i] [lindex [R $i config get cluster-port] 1]
    }
    wait_for_condition 100 100 {
        [::cl::all_know_all]
    } else {
        fail "nodes did not meet: [R 0 cluster nodes]"
    }
}

proc ::cl::all_know_all {} {
    for {set i 0} {$i < [cluster_size]} {incr i} {
        set lines [split [string trim [R $i cluster nodes]] "\n"]
        if {[llength $lines] != [cluster_size]} { return 0 }
        foreach l $lines { if {[string match "*handshake*" $l] || [string match "*disconnected*" $l]} { return 0 } }
    }
    return 1
}

# The slots of masters 0..k-1 in equal ranges (k = number of masters).
proc cluster_add_ranges {k} {
    set per [expr {16384 / $k}]
    for {set i 0} {$i < $k} {incr i} {
        set first [expr {$i * $per}]
        set last [expr {$i == $k - 1 ? 16383 : $first + $per - 1}]
        R $i cluster addslotsrange $first $last
    }
}

# The node index whose port is port.
proc cluster_index_of_port {port} {
    for {set i 0} {$i < [cluster_size]} {incr i} { if {[cluster_port $i] == $port} { return $i } }
    return -1
}

# The index of the node serving key's slot (from node i's view).
proc cluster_owner_of {key {i 0}} {
    set slot [R $i cluster keyslot $key]
    foreach e [R $i cluster slots] {
        if {$slot >= [lindex $e 0] && $slot <= [lindex $e 1]} {
            return [cluster_index_of_port [lindex [lindex $e 2] 1]]
        }
    }
    return -1
}

# Stops node i dead (SIGSTOP): to the others it has failed, but it keeps
# its ports, so no other test server can take them meanwhile (a killed
# node's port can be reused at once by a parallel test, and its replica
# would then sync from a stranger). cluster_resume lets it run again.
proc cluster_pause {i} {
    exec kill -STOP [cluster_pid $i]
    lappend ::cl::paused $i
}

proc cluster_resume {i} {
    exec kill -CONT [cluster_pid $i]
    set ::cl::paused [lsearch -all -inline -not -exact $::cl::paused $i]
}

# Whether node i is stopped by cluster_pause (it would answer nothing).
proc cluster_paused {i} {
    expr {[lsearch -exact $::cl::paused $i] >= 0}
}

# Starts Ember node i again (same directory and ports) after a stop.
proc cluster_restart {i} {
    restart_server [dict get [::cl::node $i] level]
}

# The role node i announces in its own CLUSTER NODES line: master or slave.
proc cluster_role {i} {
    set line [lindex [lsearch -all -inline [split [R $i cluster nodes] "\n"] "*myself*"] 0]
    if {[string match "*master*" [lindex $line 2]]} { return master }
    return slave
}

# The index of node i's master (-1 if it is a master).
proc cluster_master_of {i} {
    set line [lindex [lsearch -all -inline [split [R $i cluster nodes] "\n"] "*myself*"] 0]
    set mid [lindex $line 3]
    if {$mid eq "-"} { return -1 }
    for {set j 0} {$j < [cluster_size]} {incr j} {
        if {[cluster_paused $j]} continue
        if {![catch {R $j cluster myid} id] && $id eq $mid} { return $j }
    }
    return -1
}
