# What the server writes to its log for operators and tools: the software
# watchdog's reports and the shape of the lines people grep. Expectations
# were taken from redis-server 7.0.15 doing the same thing.

start_server {tags {logging external:skip}} {
    test {Software watchdog: a command longer than watchdog-period logs a stack trace} {
        assert_equal [r config set watchdog-period 200] OK
        r debug sleep 1
        assert_equal [r config set watchdog-period 0] OK
        wait_for_log_lines {--- WATCHDOG TIMER EXPIRED ---}
        verify_log_message {------ STACK TRACE ------}
        # The frames name the functions, down to the command that ran.
        verify_log_message {*(debugCommand+0x*}
        assert_equal [r ping] PONG
    }

    test {watchdog-period 0 disarms the watchdog} {
        set before [count_log_lines {--- WATCHDOG TIMER EXPIRED ---}]
        r debug sleep 0.5
        assert_equal [r ping] PONG
        assert_equal [count_log_lines {--- WATCHDOG TIMER EXPIRED ---}] $before
    }

    test {A watchdog period under two cron periods is raised to that} {
        r config set watchdog-period 50
        assert_equal [r config get watchdog-period] {watchdog-period 200}
        r config set hz 100
        r config set watchdog-period 50
        assert_equal [r config get watchdog-period] {watchdog-period 50}
        r config set watchdog-period 0
        r config set hz 10
    }

    test {watchdog-period is hidden from CONFIG GET patterns} {
        assert_equal [r config get watchdog*] {}
    }
}

start_server {tags {logging external:skip} args {--watchdog-period 300}} {
    test {watchdog-period from the command line arms the watchdog at start-up} {
        r debug sleep 1
        wait_for_log_lines {--- WATCHDOG TIMER EXPIRED ---}
        assert_equal [r ping] PONG
    }
}

start_server {tags {logging external:skip}} {
    test {The first log lines: who starts, with Redis's role and level characters} {
        set pid [srv pid]
        set lines [server_log_lines]
        assert_match "$pid:C * # Ember is starting" [lindex $lines 0]
        assert_match "$pid:C * # Ember version=*, Redis version=7.0.15, bits=*, pid=$pid, just started" \
            [lindex $lines 1]
        assert_match "$pid:C * # Configuration loaded" [lindex $lines 2]
        verify_log_message "$pid:M * \\* monotonic clock: POSIX clock_gettime"
        verify_log_message "$pid:M * # Server initialized"
        verify_log_message "$pid:M * \\* Ready to accept connections"
        # The time stamp: dd Mon yyyy HH:MM:SS.mmm
        assert_match {*:C [0-9][0-9] [A-Z][a-z][a-z] [0-9][0-9][0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9] # *} \
            [lindex $lines 0]
    }

    test {The server's own lines come in Redis's order} {
        set order {}
        foreach line [server_log_lines] {
            foreach {key pat} {start {*Ember is starting} loaded {*Configuration loaded}
                    clock {*monotonic clock*} pid {* PID: *} init {*Server initialized}
                    ready {*Ready to accept connections}} {
                if {[string match $pat $line]} { lappend order $key }
            }
        }
        assert_equal $order {start loaded clock pid init ready}
    }

    test {SIGTERM: the signal handler's line carries the unix time} {
        set pid [srv pid]
        set before [clock seconds]
        exec kill -TERM $pid
        assert_equal [wait_server_exit] 0
        set found ""
        foreach line [server_log_lines] {
            if {[regexp "^$pid:signal-handler \\((\\d+)\\) Received SIGTERM scheduling shutdown\\.\\.\\.\$" $line -> t]} {
                set found $t
            }
        }
        assert_range $found [expr {$before - 1}] [expr {[clock seconds] + 1}]
        verify_log_message "$pid:M * # User requested shutdown..."
    }
}

start_server {tags {logging external:skip}} {
    test {A busy port: "Failed listening on port N (TCP), aborting." and exit status 1} {
        set port [srv port]
        set res [run_server_to_exit --port $port --bind 127.0.0.1 --save ""]
        assert_equal [dict get $res status] 1
        assert_match "*# Warning: Could not create server TCP listening socket 127.0.0.1:$port: bind: Address already in use\n*" \
            [dict get $res stdout]
        assert_match "*# Failed listening on port $port (TCP), aborting.\n" [dict get $res stdout]
    }
}

tags {logging external:skip} {
    test {A unix socket that cannot be created is not reported as a busy port} {
        set res [run_server_to_exit --port 0 --unixsocket /nonexistent-dir/ember.sock --save ""]
        assert_equal [dict get $res status] 1
        assert_match "*# Failed opening Unix socket: bind: No such file or directory\n" [dict get $res stdout]
        assert_no_match "*Failed listening on port*" [dict get $res stdout]
    }

    test {Options without a config file count as a configuration, as in Redis} {
        set res [run_server_to_exit --port 0 --save ""]
        assert_equal [dict get $res status] 1
        set lines [split [dict get $res stdout] "\n"]
        assert_match {*:C * # Configuration loaded} [lindex $lines 2]
        assert_match {*# Configured to not listen anywhere, exiting.} [lindex $lines end-1]
    }
}

# syslog-enabled yes: every message also goes to syslog with syslog-ident
# and syslog-facility. The test plays syslogd on /dev/log when nothing
# does (local3 is facility 19, notice severity 5: priority <157>).
if {![file exists /dev/log] && ![catch {set ::syslog_chan [start_dgram_listener /dev/log]}]} {
    start_server {tags {logging external:skip} overrides {syslog-enabled yes syslog-ident embertest
            syslog-facility local3}} {
        test {syslog-enabled: the log lines reach syslog with the ident, pid and facility} {
            set pid [srv pid]
            assert_equal [wait_dgram_match $::syslog_chan "<157>*embertest\\\[$pid\\\]: *Ready to accept connections*"] 1 \
                "(got: $::dgram_seen)"
            r config set loglevel verbose
            r debug log "a line for syslog"
            assert_equal [wait_dgram_match $::syslog_chan "<156>*embertest\\\[$pid\\\]: DEBUG LOG: a line for syslog"] 1 \
                "(got: $::dgram_seen)"
        }
    }
    catch {exec kill [pid $::syslog_chan]}
    catch {close $::syslog_chan}
    file delete /dev/log
} else {
    puts "logging: /dev/log is in use (or python3 is missing), skipping the syslog test"
}
