# Start-up: how the command line becomes configuration, and the fatal
# errors of a bad one. Each expectation was taken from redis-server 7.0.15
# started with the same arguments.

# The lines of a fatal configuration error after its header line.
proc fatal_config_lines {text} {
    set lines [split [string trim $text] "\n"]
    assert_match {\*\*\* FATAL CONFIG FILE ERROR (*) \*\*\*} [lindex $lines 0]
    return [lrange $lines 1 end]
}

tags {startup external:skip} {
    test {An option name followed by another option reports both as its arguments} {
        set res [run_server_to_exit --port 0 --port --loglevel verbose]
        assert_equal [dict get $res status] 1
        assert_equal [fatal_config_lines [dict get $res stderr]] [list \
            {Reading the configuration file, at line 3} \
            {>>> 'port "--loglevel" "verbose"'} \
            {wrong number of arguments}]
    }

    test {A value after a complete option is an extra argument} {
        set res [run_server_to_exit --port 0 "--loglevel verbose" extra]
        assert_equal [dict get $res status] 1
        assert_equal [fatal_config_lines [dict get $res stderr]] [list \
            {Reading the configuration file, at line 3} \
            {>>> 'loglevel verbose "extra"'} \
            {wrong number of arguments}]
    }

    test {--shutdown-on-sigint without a value names the allowed values} {
        set res [run_server_to_exit --port 0 --shutdown-on-sigint]
        assert_equal [dict get $res status] 1
        assert_equal [fatal_config_lines [dict get $res stderr]] [list \
            {Reading the configuration file, at line 3} \
            {>>> 'shutdown-on-sigint'} \
            {argument(s) must be one of the following: default, save, nosave, now, force}]
    }

    test {A bare option name as the last argument has no value} {
        set res [run_server_to_exit --port 0 --maxmemory]
        assert_equal [dict get $res status] 1
        assert_equal [lrange [fatal_config_lines [dict get $res stderr]] 1 end] \
            [list {>>> 'maxmemory'} {wrong number of arguments}]
    }
}

start_server {tags {startup external:skip} args {--proc-title-template --my--title--template
        --shutdown-on-sigterm "nosave force"}} {
    test {An option value may start with --} {
        assert_equal [r config get proc-title-template] {proc-title-template --my--title--template}
        assert_equal [r config get shutdown-on-sigterm] {shutdown-on-sigterm {nosave force}}
    }
}

start_server {tags {startup external:skip} overrides {save {100 1}} args {--save ""}} {
    test {--save '' clears the save points of the config file} {
        assert_equal [r config get save] {save {}}
    }
}

start_server {tags {startup external:skip} overrides {save {100 1}} args {--save}} {
    test {A bare --save as the last argument clears the save points} {
        assert_equal [r config get save] {save {}}
    }
}

start_server {tags {startup external:skip} overrides {save {100 1}} args {--save --hz 20}} {
    test {A bare --save before another option clears the save points} {
        assert_equal [r config get save] {save {}}
        assert_equal [r config get hz] {hz 20}
    }
}

start_server {tags {startup external:skip} overrides {save {100 1} save {} save {200 2}}} {
    test {A save "" line in the file clears the save points before it} {
        assert_equal [r config get save] {save {200 2}}
    }
}

start_server {tags {startup external:skip} overrides {save {100 1} save {200 2}}} {
    test {save lines of one file add up} {
        assert_equal [r config get save] {save {100 1 200 2}}
    }
}

# Starts the server binary on config file conf in the background, its output
# in log; returns its pid.
proc spawn_server_bg {conf log} {
    return [exec $::opt(server_binary) $conf >$log 2>@1 &]
}

tags {startup external:skip} {
    test {bind "" in the config file: no TCP listener, the unix socket works} {
        set dir [file normalize [file join $::opt(tmpdir) "bind-none.[pid]"]]
        file mkdir $dir
        set port [::srv::find_port]
        set sock [file join $dir ember.sock]
        set conf [file join $dir redis.conf]
        set f [open $conf w]
        puts $f "bind \"\"\nport $port\nunixsocket $sock\ndir $dir\nsave \"\""
        close $f
        set pid [spawn_server_bg $conf [file join $dir stdout]]
        wait_for_condition 200 50 {![catch {exec redis-cli -s $sock ping}]} else {
            catch {exec kill -KILL $pid}
            fail "the server did not answer on its unix socket"
        }
        set tcp_refused [catch {close [socket 127.0.0.1 $port]}]
        set bind [exec redis-cli -s $sock config get bind]
        catch {exec redis-cli -s $sock shutdown nosave}
        assert_equal [wait_for_process_exit $pid 10000] 1
        set log [::srv::read_file [file join $dir stdout]]
        file delete -force $dir
        assert_equal $tcp_refused 1
        assert_equal $bind "bind\n"
        # Only the unix socket is ready, and the log says so as Redis does.
        assert_match "*The server is now ready to accept connections at $sock\n*" $log
        assert_no_match "*Ready to accept connections*" $log
    }
}

# The command line of process pid as ps shows it: arguments joined by spaces.
proc proc_cmdline {pid} {
    set f [open /proc/$pid/cmdline r]
    fconfigure $f -translation binary
    set raw [read $f]
    close $f
    return [join [split [string trimright $raw "\0"] "\0"] " "]
}

start_server {tags {startup external:skip}} {
    test {set-proc-title: the process title is "<argv0> <bind address>:<port>"} {
        assert_equal [proc_cmdline [srv pid]] "$::opt(server_binary) 127.0.0.1:[srv port]"
        assert_equal [exec ps -o args= -p [srv pid]] "$::opt(server_binary) 127.0.0.1:[srv port]"
    }

    test {CONFIG SET proc-title-template applies at once} {
        assert_equal [r config set proc-title-template "{title} p={port} t={tls-port} s={unixsocket} c={config-file} m={server-mode} a={listen-addr}  "] OK
        assert_equal [proc_cmdline [srv pid]] \
            "$::opt(server_binary) p=[srv port] t=0 s= c=[srv config_file] m= a=127.0.0.1:[srv port]"
        assert_equal [r config set proc-title-template "ember-test {port}"] OK
        assert_equal [proc_cmdline [srv pid]] "ember-test [srv port]"
    }

    test {CONFIG SET proc-title-template refuses a bad or empty template} {
        foreach bad {"{nope}" "{title}" "{port" "x}" "   " "{title}{title}" "{unixsocket}"} {
            assert_error {ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables} \
                [list r config set proc-title-template $bad]
        }
        assert_equal [r config get proc-title-template] {proc-title-template {ember-test {port}}}
        assert_equal [proc_cmdline [srv pid]] "ember-test [srv port]"
    }

    test {The process title follows CONFIG SET port} {
        r config set proc-title-template "{title} {listen-addr} {server-mode}"
        set port [::srv::find_port]
        r config set port $port
        set old [srv port]
        ::srv::set_prop 0 port $port
        assert_equal [proc_cmdline [srv pid]] "$::opt(server_binary) 127.0.0.1:$port"
        r config set port $old
        ::srv::set_prop 0 port $old
    }

    test {A title longer than the original command line is cut, not overflowing} {
        set long [string repeat x 5000]
        assert_equal [r config set proc-title-template $long] OK
        set shown [proc_cmdline [srv pid]]
        assert_equal [string length [string map {x {}} $shown]] 0
        assert_morethan [string length $shown] [string length $::opt(server_binary)]
        r config set proc-title-template "{title} {listen-addr} {server-mode}"
        assert_equal [r ping] PONG
        assert_equal [r config get unixsocket] {unixsocket {}}
    }
}

start_server {tags {startup external:skip} overrides {set-proc-title no}} {
    test {set-proc-title no keeps the command line as it was} {
        assert_equal [proc_cmdline [srv pid]] "$::opt(server_binary) [srv config_file]"
    }
}

start_server {tags {startup external:skip} overrides {always-show-logo yes}} {
    test {always-show-logo: a banner with version, mode, port and PID} {
        set pid [srv pid]
        verify_log_message "*Ember *, Redis 7.0.15 compatible (*bit)"
        verify_log_message "*Mode: standalone"
        verify_log_message "*Port: [srv port]"
        verify_log_message "* PID: $pid"
    }
}

start_server {tags {startup external:skip} overrides {always-show-logo no}} {
    test {Without the logo one line carries the mode, port and PID} {
        set pid [srv pid]
        verify_log_message "$pid:M * \\* Ember * standalone mode, port [srv port], PID: $pid"
        assert_equal [count_log_lines "*Mode: standalone"] 0
    }
}

# A directive Ember does not act on yet is named in the log when a config
# gives it a value; an empty value (save "", the test config's) turns the
# feature off, which is what Ember does anyway, and is not named.
start_server {tags {startup external:skip} overrides {use-exit-on-panic yes}} {
    test {A directive set but not acted on is warned about; save "" is not} {
        wait_for_log_lines {*Config directive 'use-exit-on-panic' is accepted but not implemented by Ember yet*}
        assert_equal [r config get save] {save {}}
        assert_equal [count_log_lines {*Config directive 'save' is accepted*}] 0
    }
}

# Directives Ember acts on are never named so, whatever their value.
start_server {tags {startup external:skip} overrides {maxmemory-policy allkeys-lru dbfilename other.rdb
        slowlog-max-len 10 hll-sparse-max-bytes 100 lfu-log-factor 5 latency-tracking no activerehashing no
        loading-process-events-interval-bytes 4096 aof-rewrite-incremental-fsync no stream-node-max-entries 50
        latency-tracking-info-percentiles "50 99"}} {
    test {Directives Ember implements are not warned about} {
        assert_equal [lindex [r config get maxmemory-policy] 1] allkeys-lru
        assert_equal [count_log_lines {*is accepted but not implemented*}] 0
    }
}

# disable-thp: with the kernel's transparent huge pages on for every
# process ("always"), yes opts this server out (THP_enabled 0 in its
# /proc status) and no leaves them on, with a warning. Other THP modes
# leave nothing to do.
proc thp_always {} {
    if {[catch {open /sys/kernel/mm/transparent_hugepage/enabled} fd]} { return 0 }
    set mode [read $fd]
    close $fd
    return [string match {*\[always\]*} $mode]
}

proc thp_enabled_of {pid} {
    set fd [open /proc/$pid/status]
    set status [read $fd]
    close $fd
    if {![regexp {THP_enabled:\s+(\d)} $status -> v]} { return "" }
    return $v
}

if {[thp_always]} {
    start_server {tags {startup external:skip}} {
        test {disable-thp yes (the default): THP off for the server} {
            assert_equal [thp_enabled_of [srv pid]] 0
        }
    }
    start_server {tags {startup external:skip} overrides {disable-thp no}} {
        test {disable-thp no: THP stays on, and the log says so} {
            assert_equal [thp_enabled_of [srv pid]] 1
            assert_equal [count_log_lines {*transparent huge pages are on for every process*}] 1
        }
    }
} else {
    puts "startup: transparent huge pages are not 'always' here, skipping the disable-thp tests"
}
