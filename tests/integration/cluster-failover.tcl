# Failover in an Ember cluster of three masters and three replicas
# (cluster-node-timeout 1000): a master that stops (SIGSTOP) is detected (PFAIL, then
# FAIL by the masters' majority), its replica wins the election and takes
# its slots with a new config epoch, the cluster is ok again, and the old
# master, let run again, becomes a replica of the new one; it also stays
# one across a restart. Then CLUSTER FAILOVER
# (the default handshake, FORCE and TAKEOVER) switches a master and its
# replica without data loss.

source tests/support/oracle.tcl
source tests/support/cluster.tcl

start_cluster 6 {tags {cluster external:skip} overrides {cluster-node-timeout 1000}} {
    cluster_create 1
    for {set i 0} {$i < 100} {incr i} { exec redis-cli -c -p [cluster_port 0] set key:$i v$i }

    test {A stopped master is replaced by its replica, which keeps the data} {
        set replica -1
        for {set i 0} {$i < 6} {incr i} { if {[cluster_role $i] eq "slave"} { set replica $i; break } }
        set master [cluster_master_of $replica]
        set master_id [R $master cluster myid]
        wait_for_condition 100 100 {[R $replica dbsize] == [R $master dbsize]} else { fail "replica behind" }
        set keys [R $master dbsize]
        set epoch_before [lindex [lsearch -inline [split [R $replica cluster nodes] "\n"] "*myself*"] 6]
        cluster_pause $master
        wait_for_condition 200 100 {[cluster_role $replica] eq "master"} else { fail "replica not promoted" }
        set others {}
        for {set i 0} {$i < 6} {incr i} { if {$i != $master} { lappend others $i } }
        cluster_wait_ok $others
        assert_equal [R $replica dbsize] $keys
        set line [lsearch -inline [split [R $replica cluster nodes] "\n"] "*myself*"]
        assert_morethan [lindex $line 6] $epoch_before
        assert_match "*$master_id * master,fail *" [R [lindex $others 0] cluster nodes]
        for {set i 0} {$i < 100} {incr i} { assert_equal [exec redis-cli -c -p [cluster_port $replica] get key:$i] v$i }
        set ::cf_old $master
        set ::cf_new $replica
    }

    test {The old master, running again, becomes a replica of the one that replaced it; so after a restart} {
        cluster_resume $::cf_old
        wait_for_condition 100 100 {[cluster_role $::cf_old] eq "slave"} else { fail "still a master" }
        assert_equal [cluster_master_of $::cf_old] $::cf_new
        cluster_restart $::cf_old
        wait_for_condition 100 100 {[cluster_role $::cf_old] eq "slave"} else { fail "still a master" }
        assert_equal [cluster_master_of $::cf_old] $::cf_new
        set old_id [R $::cf_old cluster myid]
        wait_for_condition 100 100 {
            [string match "*$old_id*" [R $::cf_new cluster replicas [R $::cf_new cluster myid]]]
        } else { fail "the new master does not list its replica" }
        cluster_wait_ok
        wait_for_condition 100 100 {
            [string match "*master_link_status:up*" [R $::cf_old info replication]]
        } else { fail "not replicating" }
    }

    test {CLUSTER FAILOVER, FORCE and TAKEOVER switch a master and its replica} {
        foreach how {{} force takeover} {
            set r $::cf_old
            set m [cluster_master_of $r]
            wait_for_condition 100 100 {[R $r dbsize] == [R $m dbsize]} else { fail "replica behind" }
            assert_equal [R $r cluster failover {*}$how] OK
            wait_for_condition 100 100 {[cluster_role $r] eq "master" && [cluster_role $m] eq "slave"} else {
                fail "failover $how did not happen"
            }
            cluster_wait_ok
            set ::cf_old $m
        }
        for {set i 0} {$i < 100} {incr i} { assert_equal [exec redis-cli -c -p [cluster_port 0] get key:$i] v$i }
        assert_error {ERR You should send CLUSTER FAILOVER to a replica} {R [cluster_master_of $::cf_old] cluster failover}
    }
}
