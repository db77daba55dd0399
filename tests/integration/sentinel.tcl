# Failover of Ember servers by the real Redis Sentinel (redis-sentinel, or
# /usr/bin/redis-server --sentinel when only the server package is there;
# skipped when neither is): three sentinels monitor an Ember primary with
# two Ember replicas, find the replicas through INFO and each other through
# their hello messages over pub/sub, and when the primary is killed promote
# a replica (REPLICAOF NO ONE in a MULTI with CONFIG REWRITE and CLIENT
# KILL) and point the other one at it. A client asking a sentinel for the
# primary then finds every write the old primary acknowledged with
# min-replicas-to-write 1.

source tests/support/repl.tcl

proc sentinel_command {} {
    if {[file executable /usr/bin/redis-sentinel]} { return [list /usr/bin/redis-sentinel] }
    if {[file executable /usr/bin/redis-server]} { return [list /usr/bin/redis-server] }
    return {}
}

if {[sentinel_command] eq {}} {
    puts "sentinel: neither redis-sentinel nor redis-server found, skipping"
    return
}

# Starts a sentinel monitoring 127.0.0.1:port as mymaster (quorum 2);
# returns {pid port client}.
proc sentinel_start {port} {
    set dir [repl_oracle_dir]
    set sport [::srv::find_port]
    set conf [file join $dir sentinel.conf]
    set f [open $conf w]
    puts $f "port $sport"
    puts $f "bind 127.0.0.1"
    puts $f "dir $dir"
    puts $f "logfile [file join $dir sentinel.log]"
    puts $f "sentinel monitor mymaster 127.0.0.1 $port 2"
    puts $f "sentinel down-after-milliseconds mymaster 1000"
    puts $f "sentinel failover-timeout mymaster 10000"
    close $f
    set pid [exec {*}[sentinel_command] $conf --sentinel &]
    for {set j 0} {$j < 200} {incr j} {
        if {![catch {set c [redis 127.0.0.1 $sport]}]} {
            if {![catch {$c ping}]} { return [list $pid $sport $c] }
            $c close
        }
        after 20
    }
    error "sentinel did not start in $dir"
}

# ROLE of the server at port over a new connection (the sentinels close
# the normal clients of the servers they reconfigure), or {} when it fails.
proc role_of {port} {
    if {[catch {set c [redis 127.0.0.1 $port]}]} { return {} }
    catch {$c role} role
    $c close
    return $role
}

proc sentinel_stop {s} {
    lassign $s pid port c
    catch {$c close}
    catch {exec kill -TERM $pid}
    wait_for_process_exit $pid 10000
}

start_server {tags {repl sentinel external:skip} overrides {min-replicas-to-write 1}} {
    start_server {overrides {min-replicas-to-write 1}} {
        start_server {overrides {min-replicas-to-write 1}} {
            set mport [srv port]
            set m [srv client]
            r -1 replicaof 127.0.0.1 $mport
            r -2 replicaof 127.0.0.1 $mport
            set sentinels {}
            foreach j {1 2 3} { lappend sentinels [sentinel_start $mport] }
            set s [lindex [lindex $sentinels 0] 2]

            test {Three sentinels discover the Ember primary's replicas and each other} {
                repl_wait_synced $m [srv -1 client]
                repl_wait_synced $m [srv -2 client]
                wait_for_condition 100 100 {
                    [llength [$s sentinel replicas mymaster]] == 2 &&
                    [llength [$s sentinel sentinels mymaster]] == 2
                } else { fail "sentinel sees [llength [$s sentinel replicas mymaster]] replicas" }
                assert_equal [$s sentinel get-master-addr-by-name mymaster] [list 127.0.0.1 $mport]
            }

            test {Killing the primary: the sentinels promote a replica that has every acknowledged write} {
                set acked {}
                for {set j 0} {$j < 200} {incr j} {
                    if {![catch {$m set k:$j $j}]} { lappend acked $j }
                }
                assert_equal [llength $acked] 200
                repl_wait_synced $m [srv -1 client]
                repl_wait_synced $m [srv -2 client]
                exec kill -9 [srv pid]
                wait_for_condition 300 100 {
                    [lindex [$s sentinel get-master-addr-by-name mymaster] 1] != $mport
                } else { fail "no failover: [$s sentinel get-master-addr-by-name mymaster]" }
                set addr [$s sentinel get-master-addr-by-name mymaster]
                set nport [lindex $addr 1]
                set oport [expr {$nport == [srv -1 port] ? [srv -2 port] : [srv -1 port]}]
                wait_for_condition 100 100 {
                    [lindex [role_of $nport] 0] eq "master"
                } else { fail "the promoted server is not a primary: [role_of $nport]" }
                # The other replica follows the new primary.
                wait_for_condition 200 100 {
                    [lrange [role_of $oport] 0 3] eq [list slave 127.0.0.1 $nport connected]
                } else { fail "the other replica does not follow: [role_of $oport]" }
                set p [redis 127.0.0.1 $nport]
                set other [redis 127.0.0.1 $oport]
                foreach j $acked { assert_equal [$p get k:$j] $j }
                # The other replica continued from the promoted one's backlog.
                assert_equal [getInfoProperty [$p info stats] sync_full] 0
                assert_equal [$p set after-failover 1] OK
                repl_wait_synced $p $other
                assert_equal [$other get after-failover] 1
                assert_equal [repl_dataset $other] [repl_dataset $p]
                $p close
                $other close
            }

            foreach x $sentinels { sentinel_stop $x }
        }
    }
}
