# LATENCY: the monitor's events (LATEST, HISTORY, GRAPH, DOCTOR, RESET) and
# the per-command histograms (HISTOGRAM).

start_server {tags {latency-monitor}} {
    test {LATENCY LATEST is empty while latency-monitor-threshold is 0} {
        r latency reset
        r debug sleep 0.02
        assert_equal [r latency latest] {}
        assert_equal [r latency history command] {}
    }

    test {LATENCY records a slow command as a "command" event} {
        r config set latency-monitor-threshold 10
        r latency reset
        r debug sleep 0.05
        set latest [r latency latest]
        assert_equal [llength $latest] 1
        lassign [lindex $latest 0] name time last max
        assert_equal $name command
        assert_range $time [expr {[clock seconds] - 5}] [expr {[clock seconds] + 1}]
        assert_range $last 50 1000
        assert_equal $max $last
        set history [r latency history command]
        assert_equal [llength $history] 1
        assert_equal [lindex $history 0] [list $time $last]
    }

    test {LATENCY keeps one sample a second, the larger, and the all-time max} {
        r config set latency-monitor-threshold 10
        r latency reset
        # Two samples inside one second merge; wait for a fresh second first.
        set t [clock seconds]
        while {[clock seconds] == $t} { after 10 }
        r debug sleep 0.1
        r debug sleep 0.02
        set history [r latency history command]
        assert_equal [llength $history] 1
        assert_range [lindex $history 0 1] 100 10000
        after 1100
        r debug sleep 0.02
        set history [r latency history command]
        assert_equal [llength $history] 2
        # A loaded machine may stretch the 20 ms sleep, not to 100 ms.
        assert_range [lindex $history 1 1] 20 99
        lassign [lindex [r latency latest] 0] name time last max
        assert_equal $last [lindex $history 1 1]
        assert_equal $max [lindex $history 0 1]
    }

    test {LATENCY ignores commands under the threshold} {
        r config set latency-monitor-threshold 200
        r latency reset
        r debug sleep 0.02
        assert_equal [r latency latest] {}
        r config set latency-monitor-threshold 0
    }

    test {LATENCY GRAPH draws the header line of the event} {
        r config set latency-monitor-threshold 10
        r latency reset
        r debug sleep 0.03
        set graph [r latency graph command]
        set lines [split $graph "\n"]
        assert_match {command - high * ms, low * ms (all time high * ms)} [lindex $lines 0]
        assert_equal [lindex $lines 1] [string repeat - 80]
        assert_equal [lindex $lines 2] #
        assert_error {ERR No samples available for event 'nope'} {r latency graph nope}
        r config set latency-monitor-threshold 0
    }

    test {LATENCY RESET of named events counts the events reset} {
        r config set latency-monitor-threshold 10
        r latency reset
        r debug sleep 0.02
        assert_equal [r latency reset nope] 0
        assert_equal [r latency history COMMAND] {}
        assert_error {ERR No samples available for event 'COMMAND'} {r latency graph COMMAND}
        assert_equal [r latency reset COMMAND nope] 1
        assert_equal [r latency latest] {}
        r debug sleep 0.02
        assert_equal [r latency reset] 1
        r config set latency-monitor-threshold 0
    }

    test {LATENCY DOCTOR reports the events} {
        r latency reset
        assert_match {*latency monitor is off*} [r latency doctor]
        r config set latency-monitor-threshold 10
        r debug sleep 0.02
        assert_match {*1. command: 1 sample kept*} [r latency doctor]
        r config set latency-monitor-threshold 0
        r latency reset
    }

    test {LATENCY HELP} {
        set help [r latency help]
        assert_equal [lindex $help 0] {LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [llength $help] 17
        assert_equal [lindex $help 12] {HISTOGRAM [COMMAND ...]}
    }

    test {LATENCY HISTOGRAM counts calls in power-of-two microsecond buckets} {
        r config resetstat
        r set a b
        r set a b
        r debug sleep 0.003
        set h [r latency histogram set debug nosuch]
        assert_equal [llength $h] 4
        set set [dict get $h set]
        assert_equal [dict get $set calls] 2
        set buckets [dict get $set histogram_usec]
        # Cumulative counts: the last bucket holds every call.
        assert_equal [lindex $buckets end] 2
        foreach {usec count} $buckets { assert_contains {1 2 4 8 16 33 66 132 264 528 1056 2113 4227} $usec }
        set debug [dict get $h debug]
        lassign [dict get $debug histogram_usec] usec count
        assert_equal $count 1
        assert_contains {4227 8454 16908} $usec
    }

    test {LATENCY HISTOGRAM of a container lists its subcommands} {
        r config resetstat
        r config get maxmemory
        set h [r latency histogram config]
        assert_equal [lsort [dict keys $h]] {config|get config|resetstat}
        assert_equal [dict get $h config|get calls] 1
        assert_equal [dict keys [r latency histogram config|get]] {config|get}
    }

    test {LATENCY HISTOGRAM with no argument covers every command called} {
        r config resetstat
        r ping
        assert_equal [lsort [dict keys [r latency histogram]]] {config|resetstat ping}
    }

    test {LATENCY HISTOGRAM in RESP3 is a map of maps} {
        set c [redis_client]
        $c hello 3
        $c config resetstat
        assert_reply_raw $c {latency histogram config|resetstat} \
            [list {%1} {$16} {config|resetstat} {%2} {$5} calls {:1} {$14} histogram_usec]
        $c close
    }

    test {latency-tracking no stops the histograms} {
        r config set latency-tracking no
        r config resetstat
        r ping
        assert_equal [r latency histogram] {}
        r config set latency-tracking yes
    }
}
