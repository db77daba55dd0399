# FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: a primary hands its
# role to a replica. Argument errors and refusals with Redis 7.0.15's
# texts; the states of master_failover_state; writes held (and not
# released by CLIENT UNPAUSE) while the primary waits for its target; the
# demoted primary continuing by partial resync; TIMEOUT, FORCE and ABORT;
# a target that refuses PSYNC FAILOVER; and both directions with the real
# Redis 7.0.15 (/usr/bin/redis-server) as the other server. A replica
# that must not catch up is stopped with SIGSTOP, so no test depends on
# how long anything takes.

source tests/support/oracle.tcl
source tests/support/repl.tcl

proc failover_wait_state {c state} {
    wait_for_condition 100 50 {
        [getInfoProperty [$c info replication] master_failover_state] eq $state
    } else {
        fail "master_failover_state never became $state: [$c info replication]"
    }
}

proc failover_wait_role {c role} {
    wait_for_condition 100 50 {
        [lindex [$c role] 0] eq $role
    } else {
        fail "role never became $role: [$c role]"
    }
}

start_server {tags {repl failover external:skip}} {
    set p [srv client]
    set pport [srv port]

    test {FAILOVER argument errors and refusals without replicas, as Redis 7.0} {
        assert_error {ERR FAILOVER requires connected replicas.} {r failover}
        assert_error {ERR syntax error} {r failover to}
        assert_error {ERR syntax error} {r failover to h}
        assert_error {ERR value is not an integer or out of range} {r failover to h x}
        assert_error {ERR FAILOVER timeout must be greater than 0} {r failover timeout 0}
        assert_error {ERR FAILOVER timeout must be greater than 0} {r failover timeout -5}
        assert_error {ERR value is not an integer or out of range} {r failover timeout x}
        assert_error {ERR syntax error} {r failover timeout 10 timeout 20}
        assert_error {ERR syntax error} {r failover force force}
        assert_error {ERR syntax error} {r failover to h 1 to h 2}
        assert_error {ERR syntax error} {r failover bogus}
        assert_error {ERR syntax error} {r failover abort timeout 10}
        assert_error {ERR syntax error} {r failover abort abort}
        assert_error {ERR No failover in progress.} {r failover abort}
        assert_error {ERR FAILOVER requires connected replicas.} {r failover force}
        assert_error {ERR FAILOVER requires connected replicas.} {r failover to h 70000}
        assert_equal [getInfoProperty [r info replication] master_failover_state] no-failover
    }

    start_server {} {
        set a [srv client]
        set aport [srv port]
        set apid [srv pid]
        start_server {} {
            set b [srv client]
            set bport [srv port]
            $a replicaof 127.0.0.1 $pport
            $b replicaof 127.0.0.1 $pport
            $p set k0 v0
            repl_wait_synced $p $a
            repl_wait_synced $p $b

            test {FAILOVER refusals with replicas, as Redis 7.0} {
                assert_error {ERR FAILOVER with force option requires both a timeout and target HOST and IP.} \
                    {$p failover force}
                assert_error {ERR FAILOVER with force option requires both a timeout and target HOST and IP.} \
                    {$p failover force timeout 10}
                assert_error {ERR FAILOVER with force option requires both a timeout and target HOST and IP.} \
                    {$p failover to 127.0.0.1 $aport force}
                assert_error {ERR FAILOVER target HOST and PORT is not a replica.} {$p failover to 127.0.0.1 1}
                assert_error {ERR FAILOVER target HOST and PORT is not a replica.} {$p failover to localhost $aport}
                assert_error {ERR FAILOVER is not valid when server is a replica.} {$a failover}
                assert_error {ERR No failover in progress.} {$a failover abort}
            }

            test {PSYNC FAILOVER sent by hand: refused by a primary and by a replica of another history} {
                set c [redis 127.0.0.1 $pport]
                assert_error {ERR PSYNC FAILOVER can't be sent to a master.} {$c psync abc 1 failover}
                $c close
                set c [redis 127.0.0.1 $aport]
                assert_error {ERR PSYNC FAILOVER replid must match my replid.} {$c psync abc 1 failover}
                $c close
                assert_equal [lindex [$a role] 0] slave
            }

            test {Writes wait while the target catches up; CLIENT UNPAUSE does not release them; ABORT does} {
                exec kill -STOP $apid
                $p set before 1
                assert_equal [$p failover to 127.0.0.1 $aport] OK
                assert_equal [getInfoProperty [$p info replication] master_failover_state] waiting-for-sync
                assert_error {ERR FAILOVER already in progress.} {$p failover}
                assert_error {ERR REPLICAOF not allowed while failing over.} {$p replicaof no one}
                set w [redis 127.0.0.1 $pport 1]
                $w set held 1
                $w flush
                # Reads still run; the held write has not.
                assert_equal [$p get before] 1
                $p client unpause
                assert_equal [$p exists held] 0
                assert_equal [$p failover abort] OK
                assert_equal [$w read] OK
                $w close
                assert_equal [$p get held] 1
                assert_equal [getInfoProperty [$p info replication] master_failover_state] no-failover
                verify_log_message "*FAILOVER to 127.0.0.1:$aport aborted: Failover manually aborted*" -2
                exec kill -CONT $apid
                repl_wait_synced $p $a
            }

            test {TIMEOUT without FORCE: the failover is aborted when the replica never catches up} {
                exec kill -STOP $apid
                $p set t1 1
                assert_equal [$p failover to 127.0.0.1 $aport timeout 200] OK
                failover_wait_state $p no-failover
                exec kill -CONT $apid
                assert_equal [lindex [$p role] 0] master
                assert_equal [$p set t2 2] OK
                verify_log_message "*FAILOVER to 127.0.0.1:$aport aborted: Replica never caught up before timeout*" -2
                repl_wait_synced $p $a
            }

            test {FAILOVER to any replica: the primary becomes a replica of a synced one, no full sync} {
                set full_a [getInfoProperty [$a info stats] sync_full]
                set full_b [getInfoProperty [$b info stats] sync_full]
                set off [getInfoProperty [$p info replication] master_repl_offset]
                set id [getInfoProperty [$p info replication] master_replid]
                assert_equal [$p failover] OK
                failover_wait_role $p slave
                failover_wait_state $p no-failover
                # The target is whichever replica acknowledged first.
                set target [lindex [$p role] 2]
                if {$target == $aport} { set t $a; set other $b } else { set t $b; set other $a }
                assert_equal [lindex [$t role] 0] master
                assert_equal [getInfoProperty [$t info replication] master_replid2] $id
                assert_equal [getInfoProperty [$t info replication] second_repl_offset] [expr {$off + 1}]
                repl_wait_synced $t $p
                $t set after-failover yes
                repl_wait_synced $t $p
                assert_equal [$p get after-failover] yes
                assert_error {READONLY*} {$p set x 1}
                assert_equal [getInfoProperty [$a info stats] sync_full] $full_a
                assert_equal [getInfoProperty [$b info stats] sync_full] $full_b
                verify_log_message "*Failover target 127.0.0.1:$target is synced, failing over.*" -2
                verify_log_message "*MASTER MODE enabled (failover request from*" [expr {$t eq $a ? -1 : 0}]
                # The other replica went on, behind the demoted primary.
                wait_for_condition 100 50 {
                    [$other get after-failover] eq "yes"
                } else {
                    fail "the other replica did not get the new write"
                }
                # And back: the old primary takes its role again.
                $p replicaof no one
                $t replicaof 127.0.0.1 $pport
                $other replicaof 127.0.0.1 $pport
                repl_wait_synced $p $a
                repl_wait_synced $p $b
            }

            test {FORCE: after the timeout the primary fails over to a target that has not caught up} {
                exec kill -STOP $apid
                $p set forced 1
                assert_equal [$p failover to 127.0.0.1 $aport timeout 100 force] OK
                failover_wait_state $p failover-in-progress
                assert_equal [lindex [$p role] 0] slave
                verify_log_message "*FAILOVER to 127.0.0.1:$aport time out exceeded, failing over.*" -2
                exec kill -CONT $apid
                failover_wait_state $p no-failover
                failover_wait_role $a master
                repl_wait_synced $a $p
                assert_equal [$a get forced] 1
                $p replicaof no one
                $a replicaof 127.0.0.1 $pport
                $b replicaof 127.0.0.1 $pport
                repl_wait_synced $p $a
                repl_wait_synced $p $b
            }

            test {FAILOVER ABORT while the failover is in progress: the server is a primary again} {
                exec kill -STOP $apid
                $p set aborted 1
                assert_equal [$p failover to 127.0.0.1 $aport timeout 100 force] OK
                failover_wait_state $p failover-in-progress
                assert_equal [$p failover abort] OK
                assert_equal [getInfoProperty [$p info replication] master_failover_state] no-failover
                assert_equal [lindex [$p role] 0] master
                assert_equal [$p set after-abort 1] OK
                exec kill -CONT $apid
                repl_wait_synced $p $a
                repl_wait_synced $p $b
                assert_equal [lindex [$a role] 0] slave
                assert_equal [$a get aborted] 1
            }

            test {A target that refuses PSYNC: the failover is aborted and the server is a primary again} {
                $a acl setuser default -psync
                assert_equal [$p failover to 127.0.0.1 $aport] OK
                failover_wait_state $p no-failover
                failover_wait_role $p master
                verify_log_message "*FAILOVER to 127.0.0.1:$aport aborted: Failover target rejected psync request*" -2
                $a acl setuser default +psync
                assert_equal [$p set after-abort 1] OK
                repl_wait_synced $p $a
                repl_wait_synced $p $b
                assert_equal [$a get after-abort] 1
            }
        }
    }
}

if {![oracle_available]} {
    puts "failover: /usr/bin/redis-server not found, skipping the interop tests"
    return
}

start_server {tags {repl failover interop external:skip}} {
    set e [srv client]
    set eport [srv port]
    set ox [oracle_start [repl_oracle_dir] --replicaof 127.0.0.1 $eport]
    set o [oracle_client $ox]
    set oport [lindex $ox 1]

    test {FAILOVER from Ember to a Redis 7.0 replica, and back from Redis to Ember} {
        for {set j 0} {$j < 20} {incr j} { repl_write_round $e $j }
        repl_wait_synced $e $o
        assert_equal [$e failover to 127.0.0.1 $oport] OK
        failover_wait_role $e slave
        failover_wait_state $e no-failover
        assert_equal [lindex [$o role] 0] master
        $o set from-redis 1
        repl_wait_synced $o $e
        assert_equal [$e get from-redis] 1
        assert_equal [repl_dataset $e] [repl_dataset $o]
        assert_equal [getInfoProperty [$e info stats] sync_full] 1
        # Redis hands the role back: Ember takes PSYNC FAILOVER.
        assert_equal [$o failover to 127.0.0.1 $eport] OK
        failover_wait_role $o slave
        failover_wait_role $e master
        verify_log_message "*MASTER MODE enabled (failover request from*"
        $e set from-ember 1
        repl_wait_synced $e $o
        assert_equal [$o get from-ember] 1
        assert_equal [repl_dataset $e] [repl_dataset $o]
        assert_equal [getInfoProperty [$o info stats] sync_full] 0
    }

    oracle_stop $ox
}
