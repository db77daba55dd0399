# The test harness checked by itself: what `test` makes of its expected
# value and tags, and what the runner reports for a failing file.
#
# Most tests here write a scratch test file under tests/tmp, run it in a
# child tclsh (a lone worker, or the whole runner), and read the verdicts.
# Only the port-range scratch files start servers; the tests that run the
# whole runner are tagged external:skip, the others need no server at all.

# Writes text to a scratch test file; returns its name as --single takes it.
proc scratch_file {text} {
    set name "tmp/harness-scratch.[pid].[incr ::scratch_counter]"
    set f [open [file join tests $name.tcl] w]
    puts -nonewline $f $text
    close $f
    return $name
}

# Runs a command; returns its exit status and its output (stdout and stderr).
proc run_child {cmd} {
    set chan [open "|$cmd 2>@1" r]
    set out [read $chan]
    set status 0
    if {[catch {close $chan} err opts]} {
        set code [dict get $opts -errorcode]
        if {[lindex $code 0] ne "CHILDSTATUS"} { error $err }
        set status [lindex $code 2]
    }
    return [list $status $out]
}

# Runs a worker on text and returns its reports as a dict from test name to
# {kind message}. Extra arguments go to the worker (e.g. --deny-tags).
proc run_scratch_worker {text args} {
    set name [scratch_file $text]
    set cmd [list [info nameofexecutable] [file join tests test_helper.tcl] \
        --worker $name --baseport $::opt(baseport) --portcount $::opt(portcount) \
        --allow-tags {} --deny-tags {} --only-list {} {*}$args]
    try {
        lassign [run_child $cmd] status out
    } finally {
        file delete [file join tests $name.tcl]
    }
    set reports {}
    foreach line [split $out "\n"] {
        if {![string match @@* $line]} continue
        set kind [string range [lindex $line 0] 2 end]
        if {$kind ni {ok err skip}} continue
        set fields {}
        foreach f [lrange $line 1 end] { lappend fields [unesc $f] }
        lassign $fields test_name file detail
        dict set reports $test_name [list $kind $detail]
    }
    return $reports
}

proc verdict {reports name} {
    if {![dict exists $reports $name]} { return "(not reported)" }
    return [lindex [dict get $reports $name] 0]
}

proc verdict_message {reports name} {
    return [lindex [dict get $reports $name] 1]
}

set scratch {
test {value equals the expected value} {set x same} same
test {value differs from the expected value} {set x got-this} wanted-that
test {no expected value} {set x anything}
test {empty expected value, non-empty value} {set x something} {}
test {empty expected value, empty value} {set x ""} {}
test {return gives the value} {return returned; set x other} returned
test {an error beats the expected value} {error boom} {}
test {tags come fourth} {set x 1} 1 {scratch-tag}
}

tags {harness} {
    test {The third argument of test is the expected value, compared exactly} {
        set reports [run_scratch_worker $scratch]
        assert_equal [verdict $reports {value equals the expected value}] ok
        assert_equal [verdict $reports {value differs from the expected value}] err
        assert_equal [verdict $reports {no expected value}] ok
        assert_equal [verdict $reports {empty expected value, non-empty value}] err
        assert_equal [verdict $reports {empty expected value, empty value}] ok
        assert_equal [verdict $reports {return gives the value}] ok
        assert_equal [verdict $reports {an error beats the expected value}] err
        assert_equal [verdict $reports {tags come fourth}] ok
    }

    test {A mismatch reports the value and the expected value} {
        set reports [run_scratch_worker $scratch]
        set msg [verdict_message $reports {value differs from the expected value}]
        assert_equal $msg "assertion failed: the test returned 'got-this', expected 'wanted-that'"
        set msg [verdict_message $reports {an error beats the expected value}]
        assert_match "boom\n*" $msg
    }

    test {Tags given after the expected value filter the test} {
        set reports [run_scratch_worker $scratch --deny-tags scratch-tag]
        assert_equal [verdict $reports {tags come fourth}] skip
        assert_equal [verdict $reports {value equals the expected value}] ok
        set reports [run_scratch_worker $scratch --allow-tags scratch-tag]
        assert_equal [verdict $reports {tags come fourth}] ok
        assert_equal [verdict $reports {value equals the expected value}] skip
    }

    test {assert_equal names the actual value first, then the expected one} {
        set msg [assert_error * {assert_equal [string toupper got] WANTED}]
        assert_equal $msg "assertion failed: Expected 'GOT' to equal 'WANTED'"
        set msg [assert_error * {assert_equal 1 2 "(in a loop)"}]
        assert_equal $msg "assertion failed: Expected '1' to equal '2' (in a loop)"
        set msg [assert_error * {assert_not_equal same same}]
        assert_equal $msg "assertion failed: Expected 'same' not to equal 'same'"
    }

    test {test with more than four arguments is an error} {
        set reports [run_scratch_worker "test {inner} {test {nested too many} {} {} {} extra}"]
        assert_match "*usage: test name body ?expected? ?tags?*" [verdict_message $reports inner]
    }

    tags {external:skip} {
        test {The runner counts a wrong expected value as a failure and exits 1} {
            set name [scratch_file {
test {passes} {set x 1} 1
test {fails} {set x 1} 2
}]
            set cmd [list [info nameofexecutable] [file join tests test_helper.tcl] \
                --single $name --clients 1 --server-binary $::opt(server_binary) \
                --baseport $::opt(baseport) --portcount $::opt(portcount)]
            try {
                lassign [run_child $cmd] status out
            } finally {
                file delete [file join tests $name.tcl]
            }
            assert_equal $status 1
            set lines [split [string trimright $out "\n"] "\n"]
            assert_contains $lines "\[err\]: fails in tests/$name.tcl"
            assert_contains $lines "*** \[err\]: fails in tests/$name.tcl"
            assert_contains $lines "assertion failed: the test returned '1', expected '2'"
            assert_equal [llength [lsearch -all -glob $lines {\[ok\]: passes (*ms)}]] 1
            assert_equal [lindex $lines end] "1 passed, 1 failed"
        }

        test {--baseport and --portcount give each worker its own port range} {
            # Two files side by side, each with two servers, inside this
            # worker's own range: slot i gets base + i * count.
            set base $::opt(baseport)
            set count [expr {$::opt(portcount) / 2}]
            set text {
start_server {} {
    start_server {} {
        puts "RANGE $::opt(baseport) $::opt(portcount) [srv -1 port] [srv port]"
    }
}
}
            set names [list [scratch_file $text] [scratch_file $text]]
            set cmd [list [info nameofexecutable] [file join tests test_helper.tcl] \
                --clients 2 --server-binary $::opt(server_binary) \
                --baseport $base --portcount $count]
            foreach name $names { lappend cmd --single $name }
            try {
                lassign [run_child $cmd] status out
            } finally {
                foreach name $names { file delete [file join tests $name.tcl] }
            }
            assert_equal $status 0 $out
            set bases {}
            foreach line [split $out "\n"] {
                if {![string match "RANGE *" $line]} continue
                lassign $line - wbase wcount p1 p2
                assert_equal $wcount $count
                lappend bases $wbase
                foreach p [list $p1 $p2] {
                    assert_range $p $wbase [expr {$wbase + $wcount - 1}]
                }
                assert_not_equal $p1 $p2
            }
            assert_equal [lsort -integer $bases] [list $base [expr {$base + $count}]]
        }
    }

    test {--help lists --baseport and --portcount} {
        lassign [run_child [list [info nameofexecutable] [file join tests test_helper.tcl] --help]] status out
        assert_equal $status 0
        assert_match "*\n  --baseport N *" $out
        assert_match "*\n  --portcount M *" $out
    }
}
