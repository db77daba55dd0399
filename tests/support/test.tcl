# Test blocks, tags and assertions.
#
# A test file is run by a worker process (see test_helper.tcl). Each `test`
# block reports one result line to the parent runner on stdout, in the form
#     @@<kind> <escaped field> ...
# with kind one of ok, err, skip, exception, server, serverdone, log.
# Every other line the test file prints is passed through by the runner.

namespace eval ::t {
    variable tags {}        ;# stack of tag lists from start_server / tags blocks
    variable passed 0
    variable failed 0
    variable skipped 0
    variable current_test ""
    variable failed_in_scope 0
}

# Escapes a field so that a report stays on one line.
proc ::t::esc {s} {
    return [string map [list "\\" "\\\\" "\n" "\\n" "\r" "\\r"] $s]
}

proc ::t::report {kind args} {
    set line "@@$kind"
    foreach a $args {
        append line " " [list [esc $a]]
    }
    puts stdout $line
    flush stdout
}

# Human-readable message from the test file (forwarded by the runner).
proc ::t::log {msg} {
    report log $msg
}

proc ::t::all_tags {} {
    set all {}
    foreach level $::t::tags {
        lappend all {*}$level
    }
    return $all
}

# Returns "" when a block with the given tags should run, else the reason to
# skip it. Includes are only applied when full is 1 (at test level).
proc ::t::tag_filter {tags full} {
    foreach tag $tags {
        if {[lsearch -exact $::opt(deny_tags) $tag] >= 0} {
            return "tag $tag excluded"
        }
        if {$::opt(external) && $tag eq "external:skip"} {
            return "not run against an external server"
        }
    }
    if {$full && [llength $::opt(allow_tags)]} {
        set hit 0
        foreach tag $tags {
            if {[lsearch -exact $::opt(allow_tags) $tag] >= 0} { set hit 1 }
        }
        if {!$hit} { return "no included tag" }
    }
    return ""
}

# tags {a b} { body }: runs body with extra tags applied to its tests.
proc tags {tags body} {
    lappend ::t::tags $tags
    try {
        uplevel 1 $body
    } finally {
        set ::t::tags [lrange $::t::tags 0 end-1]
    }
}

# test name body ?expected? ?tags?: runs body; any error in it fails the test.
# When a third argument is given, whatever it is (the empty string too), the
# value of body (its last command, or a `return`) must equal it exactly, or
# the test fails showing both. Without one, only errors fail the test. Tags,
# when given, come fourth (after an expected value).
proc test {name body args} {
    if {[llength $args] > 2} {
        error "usage: test name body ?expected? ?tags?"
    }
    set check [expr {[llength $args] >= 1}]
    set expected [lindex $args 0]
    set tags [lindex $args 1]
    if {[llength $::opt(only)]} {
        set match 0
        foreach pat $::opt(only) {
            if {[string match $pat $name]} { set match 1 }
        }
        if {!$match} { return }
    }
    set all [concat [::t::all_tags] $tags]
    set why [::t::tag_filter $all 1]
    if {$why ne ""} {
        incr ::t::skipped
        ::t::report skip $name $::t::file $why
        return
    }
    set ::t::current_test $name
    set start [clock milliseconds]
    set code [catch {uplevel 1 $body} result opts]
    set elapsed [expr {[clock milliseconds] - $start}]
    set ::t::current_test ""
    if {$check && ($code == 0 || $code == 2)} {
        set code [catch {::t::check_value $result $expected} result opts]
    }
    if {$code == 1 && [dict get $opts -errorcode] eq "SKIP"} {
        incr ::t::skipped
        ::t::report skip $name $::t::file $result
    } elseif {$code == 1} {
        incr ::t::failed
        set ::t::failed_in_scope 1
        set msg $result
        if {[dict get $opts -errorcode] ne "ASSERTION"} {
            # Not an assertion: give the Tcl stack to help find the cause.
            append msg "\n" [dict get $opts -errorinfo]
        }
        set details [::srv::failure_details]
        ::t::report err $name $::t::file $msg $details
    } else {
        incr ::t::passed
        ::t::report ok $name $::t::file $elapsed
    }
}

# Compares the value a test body returned with the test's expected value.
proc ::t::check_value {value expected} {
    if {$value ne $expected} {
        fail "the test returned '$value', expected '$expected'"
    }
}

# needs_commands cmd ...: skips the current test unless the server under test
# implements every command named (COMMAND INFO answers nil for unknown ones).
# Tests of one feature that use another feature's commands call it, so they
# run as soon as that feature exists.
proc needs_commands {args} {
    foreach cmd $args {
        if {![info exists ::t::has_command($cmd)]} {
            set c [redis_client]
            set ::t::has_command($cmd) [expr {[lindex [$c command info $cmd] 0] ne ""}]
            $c close
        }
        if {!$::t::has_command($cmd)} {
            return -code error -errorcode SKIP "needs command '$cmd'"
        }
    }
}

# --- assertions -----------------------------------------------------------

proc fail {msg} {
    return -code error -errorcode ASSERTION "assertion failed: $msg"
}

proc assert {condition {detail ""}} {
    if {![uplevel 1 [list expr $condition]]} {
        fail "condition not true: $condition $detail"
    }
}

# assert_equal actual expected ?detail?: the value computed from the server
# first, the literal or model value it must equal second.
proc assert_equal {value expected {detail ""}} {
    if {$value ne $expected} {
        fail [string trimright "Expected '$value' to equal '$expected' $detail"]
    }
}

proc assert_not_equal {value unexpected {detail ""}} {
    if {$value eq $unexpected} {
        fail [string trimright "Expected '$value' not to equal '$unexpected' $detail"]
    }
}

proc assert_match {pattern value {detail ""}} {
    if {![string match $pattern $value]} {
        fail "'$value' does not match '$pattern' $detail"
    }
}

proc assert_no_match {pattern value} {
    if {[string match $pattern $value]} {
        fail "'$value' should not match '$pattern'"
    }
}

proc assert_failed {msg} {
    fail $msg
}

proc assert_error {pattern body} {
    if {[catch {uplevel 1 $body} err]} {
        if {![string match $pattern $err]} {
            fail "error '$err' does not match '$pattern'"
        }
        return $err
    }
    fail "expected an error matching '$pattern', got the reply '$err'"
}

proc assert_range {value min max} {
    if {!($value >= $min && $value <= $max)} {
        fail "'$value' is not in the range \[$min, $max\]"
    }
}

proc assert_lessthan {value limit} {
    if {!($value < $limit)} { fail "'$value' is not less than '$limit'" }
}

proc assert_lessthan_equal {value limit} {
    if {!($value <= $limit)} { fail "'$value' is not <= '$limit'" }
}

proc assert_morethan {value limit} {
    if {!($value > $limit)} { fail "'$value' is not more than '$limit'" }
}

proc assert_morethan_equal {value limit} {
    if {!($value >= $limit)} { fail "'$value' is not >= '$limit'" }
}

proc assert_type {type key} {
    assert_equal [r type $key] $type "(type of key '$key')"
}

proc assert_encoding {encoding key} {
    assert_equal [r object encoding $key] $encoding "(encoding of key '$key')"
}

proc assert_contains {list element} {
    if {[lsearch -exact $list $element] < 0} {
        fail "'$element' is not in '$list'"
    }
}

# assert_reply_raw client command expected_lines: sends command (a list) on
# client in raw mode and checks the reply lines one by one, byte for byte.
proc assert_reply_raw {client command expected} {
    $client readraw 1
    $client deferred 1
    try {
        $client {*}$command
        $client deferred 0
        set got {}
        foreach e $expected {
            lappend got [$client read]
        }
    } finally {
        $client readraw 0
        $client deferred 0
    }
    if {$got ne [lrange $expected 0 end]} {
        fail "raw reply to '$command' was '$got', expected '$expected'"
    }
}

# wait_for_condition maxtries delay_ms condition else elsebody
proc wait_for_condition {maxtries delay condition else elsebody} {
    if {$else ne "else"} {
        error "wait_for_condition: expected 'else' keyword"
    }
    while {[incr maxtries -1] >= 0} {
        if {[uplevel 1 [list expr $condition]]} { return }
        after $delay
    }
    uplevel 1 $elsebody
}
