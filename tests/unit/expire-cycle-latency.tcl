# The expire-cycle latency event: an active expiry slice that runs at least
# latency-monitor-threshold milliseconds is a sample of LATENCY.

start_server {tags {latency-monitor expire}} {
    tags {slow} {
        test {A long active expiry cycle shows as expire-cycle in LATENCY LATEST} {
            r debug set-active-expire 0
            r flushall
            set c [redis_deferring_client]
            for {set i 0} {$i < 100000} {incr i} { $c set k:$i v px 1 }
            for {set i 0} {$i < 100000} {incr i} { $c read }
            $c close
            r config set latency-monitor-threshold 1
            r latency reset
            after 10
            r debug set-active-expire 1
            wait_for_condition 100 50 {[r dbsize] == 0} else {
                fail "the keys did not expire"
            }
            set names {}
            foreach event [r latency latest] { lappend names [lindex $event 0] }
            assert_contains $names expire-cycle
            set history [r latency history expire-cycle]
            assert_morethan [llength $history] 0
            assert_morethan_equal [lindex $history 0 1] 1
            r config set latency-monitor-threshold 0
        }
    }

    test {No expire-cycle event while latency-monitor-threshold is 0} {
        r latency reset
        r debug set-active-expire 0
        set c [redis_deferring_client]
        for {set i 0} {$i < 20000} {incr i} { $c set k:$i v px 1 }
        for {set i 0} {$i < 20000} {incr i} { $c read }
        $c close
        after 10
        r debug set-active-expire 1
        wait_for_condition 100 50 {[r dbsize] == 0} else {
            fail "the keys did not expire"
        }
        assert_equal [r latency history expire-cycle] {}
    }
}
