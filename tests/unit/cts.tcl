# The compatibility cases: 350 small command scripts with the replies Redis
# 7.0 gives, from the resp-compatibility project, turned into Tcl data by
# utils/gen-cts.py (tests/assets/cts-cases.tcl).
#
# Each case is one test. The keyspace is flushed, a fresh connection sends
# the case's commands one at a time, and each reply is decoded the way a
# RESP2 client sees it (integer, string, null, array; status and bulk
# strings alike) and compared with the expected one: as sorted arrays for
# sort_result cases, with numbers within 0.01 for float_result cases.
#
# A case that uses a command the server does not implement yet (COMMAND
# INFO answers nil for it) is skipped, not failed. The case's group is the
# group of its last command. At the end a table gives, per group, how many
# cases passed, failed and were skipped, and a last line sums them up:
#     cts: N passed, N failed, N skipped (of 350)

set ::cts_cases {}

# cts_case name group since flags needs commands results (see gen-cts.py).
proc cts_case {name group since flags needs commands results} {
    lappend ::cts_cases [list $name $group $since $flags $needs $commands $results]
}

source [file join [file dirname [info script]] .. assets cts-cases.tcl]

namespace eval ::cts {
    variable known        ;# command name -> 1 if COMMAND INFO knows it
    variable count        ;# group,passed|failed|skipped -> n
    variable groups {}
    # A case's reply that does not come within this time fails the case
    # instead of holding the file for the client's default minute.
    variable timeout_ms 5000
}

# Reads one reply from chan as a typed value: {i N} {s BYTES} {n} {a LIST}
# or {e TEXT} for an error.
proc ::cts::read_reply {chan} {
    set line [::redis::read_line $chan]
    set rest [string range $line 1 end]
    switch -exact -- [string index $line 0] {
        + { return [list s $rest] }
        - { return [list e $rest] }
        : { return [list i $rest] }
        $ {
            if {$rest < 0} { return {n} }
            return [list s [::redis::read_bulk $chan $rest]]
        }
        * {
            if {$rest < 0} { return {n} }
            set items {}
            for {set i 0} {$i < $rest} {incr i} {
                lappend items [read_reply $chan]
            }
            return [list a $items]
        }
        default { error "unexpected reply line '$line' on a RESP2 connection" }
    }
}

# The value with every array's elements sorted (recursively).
proc ::cts::sorted {v} {
    if {[lindex $v 0] ne "a"} { return $v }
    set items {}
    foreach e [lindex $v 1] { lappend items [sorted $e] }
    return [list a [lsort $items]]
}

# 1 when the typed values match; with float set, numbers compare within 0.01.
proc ::cts::same {want got float} {
    set tw [lindex $want 0]
    if {$tw ne [lindex $got 0]} { return 0 }
    if {$tw eq "a"} {
        set lw [lindex $want 1]
        set lg [lindex $got 1]
        if {[llength $lw] != [llength $lg]} { return 0 }
        foreach w $lw g $lg {
            if {![same $w $g $float]} { return 0 }
        }
        return 1
    }
    set vw [lindex $want 1]
    set vg [lindex $got 1]
    if {$vw eq $vg} { return 1 }
    if {$float && [string is double -strict $vw] && [string is double -strict $vg]} {
        return [expr {abs(double($vw) - double($vg)) <= 0.01}]
    }
    return 0
}

# A typed value written as a reader of cts.json would expect it.
proc ::cts::show {v} {
    switch -exact -- [lindex $v 0] {
        i { return [lindex $v 1] }
        n { return nil }
        e { return "(error) [lindex $v 1]" }
        s {
            set s [lindex $v 1]
            set out "\""
            foreach ch [split $s ""] {
                scan $ch %c code
                if {$ch eq "\"" || $ch eq "\\"} {
                    append out "\\$ch"
                } elseif {$code < 32 || $code > 126} {
                    append out [format "\\x%02x" $code]
                } else {
                    append out $ch
                }
            }
            return "$out\""
        }
        a {
            set parts {}
            foreach e [lindex $v 1] { lappend parts [show $e] }
            return "\[[join $parts {, }]\]"
        }
    }
    return $v
}

# 1 when the server under test implements the command ("get", "config|get").
proc ::cts::implemented {name} {
    variable known
    if {![info exists known($name)]} {
        set known($name) [expr {[lindex [r command info $name] 0] ne ""}]
    }
    return $known($name)
}

proc ::cts::tally {group what} {
    variable count
    variable groups
    if {[lsearch -exact $groups $group] < 0} {
        lappend groups $group
        foreach k {passed failed skipped} { set count($group,$k) 0 }
    }
    incr count($group,$what)
}

# Sends each command of a case on a new connection and returns the typed
# replies (an error reading one ends the list with {e "client: ..."}).
proc ::cts::exchange {commands} {
    set c [redis [srv host] [srv port]]
    set saved $::redis::timeout_ms
    set ::redis::timeout_ms $::cts::timeout_ms
    set replies {}
    try {
        foreach argv $commands {
            $c write [::redis::encode_command $argv]
            $c flush
            if {[catch {read_reply [$c channel]} reply]} {
                lappend replies [list e "client: $reply"]
                break
            }
            lappend replies $reply
        }
    } finally {
        set ::redis::timeout_ms $saved
        $c close
    }
    return $replies
}

# Runs one case inside its test: skips it, passes, or fails with the first
# reply that differs.
proc ::cts::run_case {case} {
    lassign $case name group since flags needs commands results
    foreach cmd $needs {
        if {![implemented $cmd]} {
            tally $group skipped
            return -code error -errorcode SKIP "needs command '$cmd'"
        }
    }
    r flushall
    set replies [exchange $commands]
    set sort [expr {"sort_result" in $flags}]
    set float [expr {"float_result" in $flags}]
    foreach argv $commands want $results got $replies {
        if {$got eq ""} { set got [list e "client: no reply"] }
        if {$sort} {
            set want [sorted $want]
            set got [sorted $got]
        }
        if {![same $want $got $float]} {
            tally $group failed
            fail "'[join $argv { }]': expected [show $want], got [show $got]"
        }
    }
    tally $group passed
}

proc ::cts::report {} {
    variable count
    variable groups
    set tot(passed) 0; set tot(failed) 0; set tot(skipped) 0
    puts [format "%-14s %7s %7s %8s" group passed failed skipped]
    foreach g [lsort $groups] {
        puts [format "%-14s %7d %7d %8d" $g $count($g,passed) $count($g,failed) $count($g,skipped)]
        foreach k {passed failed skipped} { incr tot($k) $count($g,$k) }
    }
    puts "cts: $tot(passed) passed, $tot(failed) failed, $tot(skipped) skipped (of $::cts_total)"
}

start_server {tags {cts}} {
    set n 0
    foreach case $::cts_cases {
        incr n
        lassign $case name group
        test [format "cts %03d %s: %s" $n $group $name] {
            ::cts::run_case $case
        }
    }
    ::cts::report
}
