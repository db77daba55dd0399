# The real Redis 7.0.15 (/usr/bin/redis-server) as a test peer: the interop
# tests write with one server and load with the other.

proc oracle_available {} {
    return [expr {[file executable /usr/bin/redis-server] && [file executable /usr/bin/redis-check-aof]}]
}

# Starts /usr/bin/redis-server on dir (which may hold its files), without
# save points, with the extra arguments args; returns {pid port client}.
proc oracle_start {dir args} {
    set port [::srv::find_port]
    set pid [exec /usr/bin/redis-server --port $port --bind 127.0.0.1 --dir $dir --save "" \
        --logfile [file join $dir oracle.log] {*}$args &]
    for {set j 0} {$j < 200} {incr j} {
        if {![catch {set c [redis 127.0.0.1 $port]}]} {
            if {![catch {$c ping}]} { return [list $pid $port $c] }
            $c close
        }
        after 20
    }
    error "redis-server did not start in $dir"
}

# The client of a started oracle.
proc oracle_client {o} {
    lindex $o 2
}

# Ends an oracle started by oracle_start (SHUTDOWN, then waits for the process).
proc oracle_stop {o} {
    lassign $o pid port c
    catch {$c shutdown}
    catch {$c close}
    wait_for_process_exit $pid 10000
}
