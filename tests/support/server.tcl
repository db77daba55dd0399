# Starting, stopping and reaching test servers.
#
# start_server {options} {body} starts the server binary with a config file
# made from tests/assets/default.conf plus overrides, runs body, then stops
# the server. Options (all optional):
#     tags      {t1 t2}       tags for every test in body
#     overrides {k v k v}     config directives written over the defaults
#                             (values are written as given; "" becomes "")
#     args      {--k v}       extra command-line arguments after the config path
#     env       {NAME value}  environment variables for the server process
#     config    file          base config under tests/assets (default default.conf)
#     tls       1             also listen with TLS on a second port of the range
#                             (`srv tls_port`), with the certificates of
#                             tls_certs_dir (tls-* overrides given win)
#
# The server log is written to the file "stdout" in the server's directory:
# stdout and stderr of the process are captured there (stderr in "stderr"), or,
# when the overrides set `logfile`, that file is the log. `srv ?level? key`
# gives: host port tls_port pid stdout stderr dir config_file client. Level 0 is the
# innermost server, -1 the one around it, and so on.
#
# Against an external server (--host/--port) nothing is spawned: blocks that
# need their own server (tagged external:skip, with overrides or args, or
# nested) are skipped, the others run against the external server.

namespace eval ::srv {
    variable servers {}     ;# stack of dicts, innermost last
    variable counter 0
    variable next_port 0
}

proc srv {args} {
    set level 0
    if {[llength $args] > 1} {
        set level [lindex $args 0]
        set args [lrange $args 1 end]
    }
    set idx [expr {[llength $::srv::servers] - 1 + $level}]
    if {$idx < 0 || $idx >= [llength $::srv::servers]} {
        error "srv: no server at level $level"
    }
    set d [lindex $::srv::servers $idx]
    set key [lindex $args 0]
    if {![dict exists $d $key]} { return "" }
    return [dict get $d $key]
}

proc ::srv::set_prop {level key value} {
    variable servers
    set idx [expr {[llength $servers] - 1 + $level}]
    set d [lindex $servers $idx]
    dict set d $key $value
    lset servers $idx $d
}

# r ?level? command args...: runs a command on the default client of a server.
proc r {args} {
    set level 0
    if {[string is integer -strict [lindex $args 0]]} {
        set level [lindex $args 0]
        set args [lrange $args 1 end]
    }
    [srv $level client] {*}$args
}

# New client to the server at level 0 (or -level N). -protocol 3 sends HELLO 3.
proc redis_client {args} {
    set level 0
    set proto 2
    foreach {k v} $args {
        switch -- $k {
            -protocol { set proto $v }
            -level { set level $v }
            default {
                if {[string is integer -strict $k] && $v eq ""} {
                    set level $k
                } else {
                    error "redis_client: unknown option $k"
                }
            }
        }
    }
    set c [redis [srv $level host] [srv $level port] 0]
    if {$proto == 3} { $c hello 3 }
    return $c
}

proc redis_deferring_client {{level 0}} {
    return [redis [srv $level host] [srv $level port] 1]
}

# Picks a port where binding 127.0.0.1 succeeds, from this worker's range.
proc ::srv::find_port {} {
    variable next_port
    set base $::opt(baseport)
    for {set i 0} {$i < $::opt(portcount)} {incr i} {
        set port [expr {$base + ($next_port % $::opt(portcount))}]
        incr next_port
        if {![catch {socket -server ::srv::no_accept -myaddr 127.0.0.1 $port} s]} {
            close $s
            return $port
        }
    }
    error "no free port in $base..[expr {$base + $::opt(portcount) - 1}]"
}
proc ::srv::no_accept {args} {}

proc ::srv::read_file {path {offset 0}} {
    if {![file exists $path]} { return "" }
    set f [open $path r]
    fconfigure $f -translation binary
    if {$offset > 0} { seek $f $offset }
    set d [read $f]
    close $f
    return $d
}

proc ::srv::tail {path n} {
    set lines [split [string trimright [read_file $path] "\n"] "\n"]
    return [join [lrange $lines end-[expr {$n - 1}] end] "\n"]
}

# Writes the config file for a server: the base config with the directives
# named in overrides removed, then the overrides, port and dir.
proc ::srv::write_config {path base overrides port dir} {
    set names {}
    foreach {k v} $overrides { lappend names [string tolower $k] }
    lappend names port dir
    set out ""
    foreach line [split [read_file $base] "\n"] {
        set word [string tolower [lindex [regexp -inline {^\s*(\S+)} $line] 1]]
        if {$word ne "" && [lsearch -exact $names $word] >= 0} continue
        append out $line "\n"
    }
    set out [string trimright $out "\n"]
    append out "\n"
    foreach {k v} $overrides {
        if {$v eq ""} { set v {""} }
        append out "$k $v\n"
    }
    append out "port $port\n"
    append out "dir \"$dir\"\n"
    set f [open $path w]
    puts -nonewline $f $out
    close $f
}

# Spawns the server described by dict d (keys: config_file dir stdout stderr
# env args) and waits until it is ready. Returns d with pid and chan set.
# Raises an error with the server log when it does not start.
proc ::srv::spawn {d} {
    # Earlier runs of this server (restart) left lines in the log: only what
    # follows this point counts when waiting for readiness.
    set offset [expr {[file exists [dict get $d stdout]] ? [file size [dict get $d stdout]] : 0}]
    set err_offset [expr {[file exists [dict get $d stderr]] ? [file size [dict get $d stderr]] : 0}]
    set saved {}
    foreach {k v} [dict get $d env] {
        if {[info exists ::env($k)]} { dict set saved $k $::env($k) }
        set ::env($k) $v
    }
    try {
        set cmd [list $::opt(server_binary) [dict get $d config_file] {*}[dict get $d args]]
        # Opened for writing so that we can reap it and get its exit status.
        set chan [open "|$cmd >>[list [dict get $d stdout_capture]] 2>>[list [dict get $d stderr]]" w]
    } finally {
        foreach {k v} [dict get $d env] {
            if {[dict exists $saved $k]} {
                set ::env($k) [dict get $saved $k]
            } else {
                unset -nocomplain ::env($k)
            }
        }
    }
    dict set d chan $chan
    dict set d pid [pid $chan]
    dict set d log_offset $offset
    dict set d err_offset $err_offset
    report_server_pid [dict get $d pid]
    return $d
}

proc ::srv::report_server_pid {pid} {
    ::t::report server $pid
}

# Waits for " PID: " then "Ready to accept connections" in the log. The
# generous limit is for sanitizer builds on a loaded machine; a healthy
# server is ready in milliseconds.
# Returns ok, busy (port in use), or an error description.
proc ::srv::wait_ready {d {timeout_ms 60000}} {
    set log [dict get $d stdout]
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    set daemon [dict get $d daemonize]
    while 1 {
        set text [read_file $log [dict get $d log_offset]]
        append text [read_file [dict get $d stderr] [dict get $d err_offset]]
        if {[string first "Failed listening on port" $text] >= 0} {
            return busy
        }
        if {[string first " PID: " $text] >= 0 &&
            [string first "Ready to accept connections" $text] >= 0} {
            return ok
        }
        if {!$daemon && ![process_is_alive [dict get $d pid]]} {
            after 50
            set text [read_file $log [dict get $d log_offset]]
            if {[string first "Failed listening on port" $text] >= 0} { return busy }
            return "server exited during start-up"
        }
        if {[clock milliseconds] > $deadline} {
            return "server not ready after [expr {$timeout_ms / 1000}] s"
        }
        after 20
    }
}

# The pid of the running server: from the log banner when daemonized.
proc ::srv::log_pid {d} {
    set text [read_file [dict get $d stdout] [dict get $d log_offset]]
    if {[regexp {PID: (\d+)} $text -> p]} { return $p }
    if {[regexp {pid=(\d+)} $text -> p]} { return $p }
    return ""
}

# The stacks of every thread of a server that did not stop, printed with
# gdb when it is installed: a hung server shows where it hangs.
proc ::srv::dump_stacks {pid} {
    if {[auto_execok gdb] eq ""} return
    # A server a test stopped on purpose (SIGSTOP) is not hung.
    if {[catch {open /proc/$pid/stat} f]} return
    set stat [read $f]
    close $f
    if {[regexp {\) T } $stat]} return
    if {[catch {exec gdb -p $pid -batch -nx -ex "thread apply all bt" 2>@1} out]} {}
    puts "--- stacks of the server that ignored SIGTERM (pid $pid) ---"
    puts [join [lsearch -all -inline -regexp [split $out "\n"] {^(#|Thread )}] "\n"]
}

# Stops a server: SIGTERM, then SIGKILL after 10 s (its threads' stacks
# printed first). Reaps the process and returns its exit status when known
# (0, a number, or a signal name).
proc ::srv::kill_server {d} {
    set pid [dict get $d pid]
    if {[process_is_alive $pid]} {
        catch {exec kill -TERM $pid}
        if {![wait_for_process_exit $pid 10000]} {
            dump_stacks $pid
            catch {exec kill -KILL $pid}
            wait_for_process_exit $pid 5000
        }
    }
    return [reap $d]
}

# Closes the spawn channel (waiting for the child) and returns its status.
proc ::srv::reap {d} {
    if {![dict exists $d chan] || [dict get $d chan] eq ""} { return "" }
    set status 0
    if {[catch {close [dict get $d chan]} err opts]} {
        set ec [dict get $opts -errorcode]
        switch -- [lindex $ec 0] {
            CHILDSTATUS { set status [lindex $ec 2] }
            CHILDKILLED { set status [lindex $ec 2] }
            default { set status 0 }
        }
    }
    ::t::report serverdone [dict get $d pid]
    return $status
}

# Sanitizer reports in the server's output, or "".
proc ::srv::sanitizer_report {d} {
    foreach path [list [dict get $d stdout] [dict get $d stderr] [dict get $d stdout_capture]] {
        set text [read_file $path]
        foreach pat {"ERROR: AddressSanitizer" "runtime error:" "LeakSanitizer"} {
            if {[string first $pat $text] >= 0} {
                return "sanitizer report ('$pat') in $path:\n[tail $path 50]"
            }
        }
    }
    return ""
}

# Extra text shown for a failed test: the end of the innermost server's log.
proc ::srv::failure_details {} {
    variable servers
    if {![llength $servers]} { return "" }
    set d [lindex $servers end]
    if {[dict get $d external]} { return "" }
    set out ""
    if {![process_is_alive [dict get $d pid]]} {
        append out "(the server is not running)\n"
    }
    append out "--- last 50 lines of [dict get $d stdout] ---\n"
    append out [tail [dict get $d stdout] 50]
    return $out
}

proc ::srv::overrides_get {overrides name} {
    foreach {k v} $overrides {
        if {[string tolower $k] eq $name} { return $v }
    }
    return ""
}

# The tls-* directives of a server with TLS on tls_port, minus those the
# test's own overrides set.
proc ::srv::tls_overrides {overrides tls_port} {
    set certs [tls_certs_dir]
    set out {}
    foreach {k v} [list tls-port $tls_port \
            tls-cert-file [file join $certs server.crt] tls-key-file [file join $certs server.key] \
            tls-ca-cert-file [file join $certs ca.crt] tls-dh-params-file [file join $certs redis.dh]] {
        set given 0
        foreach {ok ov} $overrides {
            if {[string tolower $ok] eq $k} { set given 1 }
        }
        if {!$given} { lappend out $k $v }
    }
    return $out
}

# Starts a server (retrying on a busy port) and returns its dict.
proc ::srv::launch {options} {
    variable counter
    set overrides [dict get $options overrides]
    set dir [file join $::opt(tmpdir) "server.[pid].[incr counter]"]
    file mkdir $dir
    set dir [file normalize $dir]
    set logfile [string trim [overrides_get $overrides logfile] {"}]
    set d [dict create external 0 host 127.0.0.1 dir $dir \
        config_file [file join $dir redis.conf] \
        stdout_capture [file join $dir stdout] \
        stderr [file join $dir stderr] \
        env [dict get $options env] args [dict get $options args] \
        overrides $overrides client "" chan "" \
        daemonize [expr {[string tolower [overrides_get $overrides daemonize]] eq "yes"}]]
    if {$logfile ne ""} {
        if {[file pathtype $logfile] ne "absolute"} {
            set logfile [file join $dir $logfile]
        }
        dict set d stdout $logfile
    } else {
        dict set d stdout [dict get $d stdout_capture]
    }
    set base [file join $::opt(root) tests assets [dict get $options config]]
    for {set attempt 0} {$attempt < 10} {incr attempt} {
        set port [find_port]
        dict set d port $port
        set all $overrides
        if {[dict get $options tls]} {
            dict set d tls_port [find_port]
            set all [concat [tls_overrides $overrides [dict get $d tls_port]] $overrides]
        }
        write_config [dict get $d config_file] $base $all $port $dir
        set d [spawn $d]
        set state [wait_ready $d]
        if {$state eq "busy"} {
            kill_server $d
            foreach f [list [dict get $d stdout] [dict get $d stderr]] {
                file delete $f
            }
            continue
        }
        if {$state ne "ok"} {
            set log [tail [dict get $d stdout] 50]
            set errlog [tail [dict get $d stderr] 20]
            kill_server $d
            error "could not start [file tail $::opt(server_binary)]: $state\n--- log ---\n$log\n--- stderr ---\n$errlog"
        }
        if {[dict get $d daemonize]} {
            reap $d
            dict set d chan ""
            dict set d pid [log_pid $d]
            report_server_pid [dict get $d pid]
        }
        return $d
    }
    error "could not find a free port for the server"
}

# Waits until the server logged that it listens ("Server initialized"),
# which comes before it loads its data.
proc ::srv::wait_listening {d {timeout_ms 60000}} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        set text [read_file [dict get $d stdout] [dict get $d log_offset]]
        if {[string first "Server initialized" $text] >= 0} { return ok }
        if {![dict get $d daemonize] && ![process_is_alive [dict get $d pid]]} {
            return "server exited during start-up"
        }
        after 20
    }
    return "server not listening after [expr {$timeout_ms / 1000}] s"
}

# restart_server ?level? ?wait?: stops the server and starts it again with
# the same config file, directory and port. Reconnects its default client.
# wait is "ready" (the data is loaded) or "listening" (the client connects
# while the server may still be loading).
proc restart_server {{level 0} {wait ready}} {
    set d [lindex $::srv::servers end+$level]
    if {[dict get $d external]} {
        error "restart_server: not possible on an external server (tag the test external:skip)"
    }
    catch {[dict get $d client] close}
    ::srv::kill_server $d
    set d [::srv::spawn $d]
    if {$wait eq "listening"} {
        set state [::srv::wait_listening $d]
    } else {
        set state [::srv::wait_ready $d]
    }
    if {$state ne "ok"} {
        error "restart failed: $state\n[::srv::tail [dict get $d stdout] 50]"
    }
    if {[dict get $d daemonize]} {
        ::srv::reap $d
        dict set d chan ""
        dict set d pid [::srv::log_pid $d]
    }
    dict set d client [redis [dict get $d host] [dict get $d port]]
    lset ::srv::servers end+$level $d
}

# Waits for the server at level to exit by itself and returns its exit status
# (a number, or the signal name if it was killed), or "timeout".
proc wait_server_exit {{level 0} {timeout_ms 10000}} {
    set d [lindex $::srv::servers end+$level]
    if {![wait_for_process_exit [dict get $d pid] $timeout_ms]} {
        return timeout
    }
    set status [::srv::reap $d]
    ::srv::set_prop $level chan ""
    return $status
}

# Runs the server binary with args (no config file unless args name one) for
# a start-up that is expected to end by itself, within 10 s. Returns a dict:
# status (the exit status; 124 when it had to be stopped), stdout, stderr.
proc run_server_to_exit {args} {
    set dir [file join $::opt(tmpdir) "exit.[pid].[incr ::srv::counter]"]
    file mkdir $dir
    set out [file join $dir stdout]
    set err [file join $dir stderr]
    set status 0
    if {[catch {exec timeout 10 $::opt(server_binary) {*}$args >$out 2>$err} msg opts]} {
        set ec [dict get $opts -errorcode]
        if {[lindex $ec 0] ne "CHILDSTATUS"} { error $msg }
        set status [lindex $ec 2]
    }
    set res [dict create status $status stdout [::srv::read_file $out] stderr [::srv::read_file $err]]
    file delete -force $dir
    return $res
}

# Whether the server binary was built with TLS: one built with
# BUILD_TLS=no says "not supported by this build" when given a tls-port.
proc server_has_tls {} {
    set res [run_server_to_exit --port 0 --tls-port [::srv::find_port] --save ""]
    return [expr {![string match {*not supported by this build*} [dict get $res stdout]]}]
}

proc start_server {options body} {
    set opts [dict create tags {} overrides {} args {} env {} config default.conf tls 0]
    foreach {k v} $options {
        if {![dict exists $opts $k]} { error "start_server: unknown option $k" }
        dict set opts $k $v
    }
    set tags [dict get $opts tags]
    lappend ::t::tags $tags
    try {
        # Skip blocks excluded by tag (includes are checked per test).
        if {[::t::tag_filter [::t::all_tags] 0] ne ""} {
            return
        }
        if {$::opt(external)} {
            if {[llength [dict get $opts overrides]] || [llength [dict get $opts args]] ||
                [llength $::srv::servers]} {
                return
            }
            set d [dict create external 1 host $::opt(host) port $::opt(port) pid "" \
                stdout "" stderr "" dir "" config_file "" chan ""]
            dict set d client [redis $::opt(host) $::opt(port)]
            lappend ::srv::servers $d
            try {
                r flushall
                uplevel 1 $body
            } finally {
                catch {[srv client] close}
                set ::srv::servers [lrange $::srv::servers 0 end-1]
            }
            return
        }

        set d [::srv::launch $opts]
        if {[catch {dict set d client [redis [dict get $d host] [dict get $d port]]} err]} {
            ::srv::kill_server $d
            error "cannot connect to the server: $err"
        }
        lappend ::srv::servers $d
        set saved_failed $::t::failed_in_scope
        set ::t::failed_in_scope 0
        try {
            uplevel 1 $body
        } finally {
            set d [lindex $::srv::servers end]
            set ::srv::servers [lrange $::srv::servers 0 end-1]
            catch {[dict get $d client] close}
            ::srv::kill_server $d
            set san [::srv::sanitizer_report $d]
            if {!$::opt(dont_clean) && !$::t::failed_in_scope && $san eq ""} {
                file delete -force [dict get $d dir]
            }
            set ::t::failed_in_scope [expr {$saved_failed || $::t::failed_in_scope}]
            if {$san ne ""} {
                error $san
            }
        }
    } finally {
        set ::t::tags [lrange $::t::tags 0 end-1]
    }
}

# The directory of the test certificates (utils/gen-test-certs.sh: ca.crt,
# server.*, client.*, redis.*, server-pass.key, redis.dh, wrong-ca.crt),
# made once under tmpdir for each version of the script (its checksum is in
# the name). Workers may race: each makes its own copy and renames it into
# place; a rename that loses (the directory exists) drops its copy.
proc tls_certs_dir {} {
    set script [file join $::opt(root) utils gen-test-certs.sh]
    set sum [lindex [exec cksum $script] 0]
    set dir [file normalize [file join $::opt(tmpdir) tls-certs-$sum]]
    if {[file isdirectory $dir]} { return $dir }
    set tmp "$dir.[pid]"
    file delete -force $tmp
    exec sh $script $tmp 2>@1
    if {[catch {file rename $tmp $dir}]} { file delete -force $tmp }
    return $dir
}

# redis-cli / redis-benchmark arguments for a TLS connection presenting the
# client certificate (cert "" for none).
proc tls_cli_args {{cert client}} {
    set certs [tls_certs_dir]
    set args [list --tls --cacert [file join $certs ca.crt]]
    if {$cert ne ""} {
        lappend args --cert [file join $certs $cert.crt] --key [file join $certs $cert.key]
    }
    return $args
}
