# Ember test runner.
#
# The parent process finds the test files, runs each in its own child tclsh
# (a "worker", this same script with --worker FILE), up to --clients at a time,
# and aggregates the results the workers report on their stdout (see
# support/test.tcl for the report lines). Run `./runtest --help` for options.

set ::opt(root) [file normalize [file join [file dirname [info script]] ..]]
set ::orig_cwd [pwd]
cd $::opt(root)

array set ::opt {
    server_binary src/redis-server
    clients 4
    single {}
    only {}
    allow_tags {}
    deny_tags {}
    host ""
    port ""
    external 0
    verbose 0
    dont_clean 0
    loop 0
    timeout 600
    worker ""
    baseport 21000
    portcount 200
    tmpdir tests/tmp
}
if {[info exists ::env(EMBER_SERVER_BINARY)] && $::env(EMBER_SERVER_BINARY) ne ""} {
    set ::opt(server_binary) [file join $::orig_cwd $::env(EMBER_SERVER_BINARY)]
}

set ::test_dirs {tests/unit tests/unit/type tests/integration}

proc usage {} {
    puts {Usage: ./runtest [options]

Runs the Tcl integration tests against a server binary.

  --server-binary PATH  server to test (default src/redis-server, or the
                        environment variable EMBER_SERVER_BINARY)
  --clients N           run N test files in parallel (default 4; 1 with --host/--port)
  --single FILE         run only this test file, e.g. unit/ping (repeatable)
  --only PATTERN        run only tests whose name matches this glob (repeatable)
  --tags "a -b"         run tests tagged a, skip tests tagged b
                        (--tags -slow: a quick run without the slow tests)
  --host H --port P     use an already running server; tests tagged
                        external:skip or needing their own server are skipped
  --verbose             show more output (skipped tests, file progress)
  --dont-clean          keep the server directories under tests/tmp
  --loop                run again and again until something fails
  --timeout SECONDS     time limit for each test file (default 600)
  --baseport N          first TCP port for test servers (default 21000)
  --portcount M         ports each parallel client may use, from
                        N + slot * M (default 200)
  --help                this text

The last line of the output is "N passed, N failed" (", N skipped" may follow).
The exit status is 1 when a test failed or a test file could not finish.}
}

proc parse_args {argv} {
    for {set i 0} {$i < [llength $argv]} {incr i} {
        set a [lindex $argv $i]
        set v [lindex $argv [expr {$i + 1}]]
        set has_value [expr {$i + 1 < [llength $argv]}]
        switch -- $a {
            --help - -h { usage; exit 0 }
            --verbose { set ::opt(verbose) 1; continue }
            --dont-clean { set ::opt(dont_clean) 1; continue }
            --loop { set ::opt(loop) 1; continue }
        }
        if {![string match --* $a]} {
            puts stderr "Unexpected argument '$a'. Try --help."
            exit 2
        }
        set known {--server-binary --clients --single --only --tags --host --port
            --timeout --worker --baseport --portcount --allow-tags --deny-tags --only-list}
        if {[lsearch -exact $known $a] < 0} {
            puts stderr "Unknown option '$a'. Try --help."
            exit 2
        }
        if {!$has_value} {
            puts stderr "Option $a needs a value. Try --help."
            exit 2
        }
        incr i
        switch -- $a {
            --server-binary { set ::opt(server_binary) [file join $::orig_cwd $v] }
            --clients {
                if {![string is integer -strict $v] || $v < 1} {
                    puts stderr "--clients needs a positive number"; exit 2
                }
                set ::opt(clients) $v
                set ::opt(clients_given) 1
            }
            --single { lappend ::opt(single) $v }
            --only { lappend ::opt(only) $v }
            --tags {
                foreach t $v {
                    if {[string index $t 0] eq "-"} {
                        lappend ::opt(deny_tags) [string range $t 1 end]
                    } else {
                        lappend ::opt(allow_tags) $t
                    }
                }
            }
            --host { set ::opt(host) $v; set ::opt(external) 1 }
            --port { set ::opt(port) $v; set ::opt(external) 1 }
            --timeout { set ::opt(timeout) $v }
            --worker { set ::opt(worker) $v }
            --baseport { set ::opt(baseport) $v }
            --portcount {
                if {![string is integer -strict $v] || $v < 1} {
                    puts stderr "--portcount needs a positive number"; exit 2
                }
                set ::opt(portcount) $v
            }
            --allow-tags { set ::opt(allow_tags) $v }
            --deny-tags { set ::opt(deny_tags) $v }
            --only-list { set ::opt(only) $v }
            default {
                puts stderr "Unknown option '$a'. Try --help."
                exit 2
            }
        }
    }
    if {$::opt(external)} {
        if {$::opt(host) eq ""} { set ::opt(host) 127.0.0.1 }
        if {$::opt(port) eq ""} { set ::opt(port) 6379 }
        # Test files share the one server: run them one at a time unless told.
        if {![info exists ::opt(clients_given)]} { set ::opt(clients) 1 }
    }
}

# ---------------------------------------------------------------------------
# Worker: runs one test file and reports results on stdout.

proc run_worker {file} {
    foreach f {redis.tcl test.tcl util.tcl server.tcl} {
        source [file join $::opt(root) tests support $f]
    }
    set ::t::file $file
    file mkdir $::opt(tmpdir)
    set path [file join tests $file.tcl]
    if {[catch {uplevel #0 [list source $path]} err opts]} {
        set info [dict get $opts -errorinfo]
        ::t::report exception $file "$err\n$info"
        exit 1
    }
    ::t::report done $file
    exit 0
}

# ---------------------------------------------------------------------------
# Parent: schedules workers and aggregates.

proc unesc {s} {
    return [string map [list "\\\\" "\\" "\\n" "\n" "\\r" "\r"] $s]
}

proc find_test_files {} {
    if {[llength $::opt(single)]} {
        set files {}
        foreach s $::opt(single) {
            set s [regsub {^tests/} $s ""]
            set s [regsub {\.tcl$} $s ""]
            if {![file exists [file join tests $s.tcl]]} {
                puts stderr "No such test file: tests/$s.tcl"
                exit 2
            }
            lappend files $s
        }
        return $files
    }
    set files {}
    foreach dir $::test_dirs {
        foreach f [lsort [glob -nocomplain -directory $dir *.tcl]] {
            lappend files [regsub {^tests/} [file rootname $f] ""]
        }
    }
    # The longest files start first, so that the run is not left waiting
    # for one of them at the end.
    set first {}
    foreach f $::long_test_files {
        if {[lsearch -exact $files $f] >= 0} { lappend first $f }
    }
    return [concat $first [lmap f $files {expr {[lsearch -exact $first $f] >= 0 ? [continue] : $f}}]]
}

# The files that take longest (a minute or more on a 2-core machine).
set ::long_test_files {
    integration/cluster-reshard integration/replication-load integration/cluster-migration
    integration/cluster-tls unit/limits integration/cluster-mixed
}

proc start_worker {file slot} {
    set cmd [list [info nameofexecutable] [file join tests test_helper.tcl] \
        --worker $file --baseport [expr {$::opt(baseport) + $slot * $::opt(portcount)}] \
        --portcount $::opt(portcount) \
        --server-binary $::opt(server_binary) \
        --allow-tags $::opt(allow_tags) --deny-tags $::opt(deny_tags) \
        --only-list $::opt(only) --timeout $::opt(timeout)]
    if {$::opt(external)} {
        lappend cmd --host $::opt(host) --port $::opt(port)
    }
    if {$::opt(verbose)} { lappend cmd --verbose }
    if {$::opt(dont_clean)} { lappend cmd --dont-clean }
    set chan [open "|$cmd 2>@1" r]
    fconfigure $chan -blocking 0 -buffering line -translation lf
    set w [dict create file $file slot $slot chan $chan pid [pid $chan] \
        start [clock milliseconds] servers {} finished 0 tests 0 output {}]
    set ::workers($chan) $w
    fileevent $chan readable [list worker_readable $chan]
    if {$::opt(verbose)} { puts "\[start\]: $file" }
}

proc worker_readable {chan} {
    while {[gets $chan line] >= 0} {
        handle_line $chan $line
    }
    if {[eof $chan]} {
        finish_worker $chan ""
    }
}

proc handle_line {chan line} {
    set w $::workers($chan)
    set file [dict get $w file]
    if {![string match @@* $line]} {
        # Free text from the test file or a Tcl crash message.
        dict lappend w output $line
        set ::workers($chan) $w
        puts $line
        return
    }
    set kind [string range [lindex $line 0] 2 end]
    set fields {}
    foreach f [lrange $line 1 end] { lappend fields [unesc $f] }
    switch -- $kind {
        ok {
            lassign $fields name tfile ms
            incr ::passed
            puts "\[ok\]: $name (${ms}ms)"
        }
        err {
            lassign $fields name tfile msg details
            incr ::failed
            puts "\[err\]: $name in tests/$tfile.tcl"
            puts $msg
            if {$details ne ""} { puts $details }
            lappend ::failures [list $name $tfile $msg]
        }
        skip {
            lassign $fields name tfile why
            incr ::skipped
            if {$::opt(verbose)} { puts "\[skip\]: $name ($why)" }
        }
        exception {
            lassign $fields tfile msg
            incr ::failed
            puts "\[exception\]: tests/$tfile.tcl"
            puts $msg
            lappend ::failures [list "(error outside a test)" $tfile $msg]
            dict set w finished 1
        }
        log {
            puts [lindex $fields 0]
        }
        server {
            dict lappend w servers [lindex $fields 0]
        }
        serverdone {
            set pid [lindex $fields 0]
            set servers [dict get $w servers]
            set idx [lsearch -exact $servers $pid]
            if {$idx >= 0} { dict set w servers [lreplace $servers $idx $idx] }
        }
        done {
            dict set w finished 1
        }
    }
    set ::workers($chan) $w
}

# Ends a worker: records a failure when it did not report completion.
proc finish_worker {chan reason} {
    set w $::workers($chan)
    fileevent $chan readable {}
    set file [dict get $w file]
    if {$reason ne ""} {
        catch {exec kill -KILL [dict get $w pid]}
    }
    fconfigure $chan -blocking 1
    catch {close $chan}
    # Servers the worker started and did not stop.
    foreach pid [dict get $w servers] {
        catch {exec kill -KILL $pid}
    }
    if {$reason ne ""} {
        incr ::failed
        set msg "test file $reason"
        puts "\[err\]: tests/$file.tcl $msg"
        lappend ::failures [list "(whole file)" $file $msg]
    } elseif {![dict get $w finished]} {
        incr ::failed
        set msg "test file ended unexpectedly:\n[join [lrange [dict get $w output] end-20 end] \n]"
        puts "\[err\]: tests/$file.tcl $msg"
        lappend ::failures [list "(whole file)" $file $msg]
    }
    set secs [expr {([clock milliseconds] - [dict get $w start]) / 1000.0}]
    incr ::done_files
    puts [format {[%d/%d done]: %s (%.1fs)} $::done_files $::total_files $file $secs]
    lappend ::free_slots [dict get $w slot]
    unset ::workers($chan)
    schedule
}

proc schedule {} {
    while {[llength $::pending] && [llength $::free_slots]} {
        set slot [lindex $::free_slots 0]
        set ::free_slots [lrange $::free_slots 1 end]
        set file [lindex $::pending 0]
        set ::pending [lrange $::pending 1 end]
        start_worker $file $slot
    }
    if {![llength $::pending] && ![array size ::workers]} {
        set ::all_done 1
    }
}

proc check_timeouts {} {
    set now [clock milliseconds]
    foreach chan [array names ::workers] {
        set w $::workers($chan)
        if {$now - [dict get $w start] > $::opt(timeout) * 1000} {
            finish_worker $chan "timed out after $::opt(timeout) s"
        }
    }
    after 500 check_timeouts
}

proc run_all {} {
    set files [find_test_files]
    set ::passed 0
    set ::failed 0
    set ::skipped 0
    set ::failures {}
    set ::done_files 0
    set ::total_files [llength $files]
    set ::pending $files
    set ::free_slots {}
    for {set i 0} {$i < $::opt(clients)} {incr i} { lappend ::free_slots $i }
    array unset ::workers
    array set ::workers {}
    set ::all_done 0
    after 500 check_timeouts
    schedule
    if {!$::all_done} { vwait ::all_done }
    after cancel check_timeouts

    if {[llength $::failures]} {
        puts ""
        puts "!!! Failed tests:"
        foreach f $::failures {
            lassign $f name file msg
            puts "*** \[err\]: $name in tests/$file.tcl"
            puts $msg
        }
        puts ""
    }
    set summary "$::passed passed, $::failed failed"
    if {$::skipped} { append summary ", $::skipped skipped" }
    puts $summary
    return [expr {$::failed == 0}]
}

parse_args $argv
if {$::opt(server_binary) ne ""} {
    set ::opt(server_binary) [file normalize $::opt(server_binary)]
}

if {$::opt(worker) ne ""} {
    run_worker $::opt(worker)
}

if {!$::opt(external) && ![file executable $::opt(server_binary)]} {
    puts stderr "Server binary not found or not executable: $::opt(server_binary)"
    puts stderr "Build it with make, or pass --server-binary PATH."
    puts "0 passed, 1 failed"
    exit 1
}

while 1 {
    set ok [run_all]
    if {!$ok} { exit 1 }
    if {!$::opt(loop)} { exit 0 }
}
