# Small helpers shared by test files.

# Random integer in [0, max).
proc randomInt {max} {
    return [expr {int(rand() * $max)}]
}

# Random string of length in [min, max]. type: binary (any byte), alpha
# (printable letters and digits) or compr (few distinct bytes, compressible).
proc randstring {min max {type binary}} {
    set len [expr {$min + [randomInt [expr {$max - $min + 1}]]}]
    switch -- $type {
        binary { set lo 0; set hi 255 }
        alpha  { set lo 48; set hi 122 }
        compr  { set lo 48; set hi 52 }
        default { error "randstring: unknown type $type" }
    }
    set out ""
    for {set i 0} {$i < $len} {incr i} {
        append out [format %c [expr {$lo + [randomInt [expr {$hi - $lo + 1}]]}]]
    }
    return $out
}

proc debug_sleep {seconds} {
    r debug sleep $seconds
}

# Lines of the current server's log file (level 0 by default).
proc server_log_lines {{level 0}} {
    set path [srv $level stdout]
    if {$path eq "" || ![file exists $path]} { return {} }
    set f [open $path r]
    set data [read $f]
    close $f
    return [split $data "\n"]
}

proc count_log_lines {pattern {level 0}} {
    set n 0
    foreach line [server_log_lines $level] {
        if {[string match $pattern $line]} { incr n }
    }
    return $n
}

# Waits until at least `count` log lines of the server match the glob pattern.
proc wait_for_log_lines {pattern {count 1} {maxtries 100} {delay 100} {level 0}} {
    for {set i 0} {$i < $maxtries} {incr i} {
        if {[count_log_lines $pattern $level] >= $count} { return }
        after $delay
    }
    fail "no log line matching '$pattern' after [expr {$maxtries * $delay}] ms"
}

proc verify_log_message {pattern {level 0}} {
    if {[count_log_lines $pattern $level] == 0} {
        fail "no log line matching '$pattern'"
    }
}

# Value of a field of an INFO reply.
proc getInfoProperty {info property} {
    foreach line [split $info "\r\n"] {
        if {[string match "$property:*" $line]} {
            return [string range $line [string length "$property:"] end]
        }
    }
    return ""
}

proc s {args} {
    set level 0
    if {[string is integer -strict [lindex $args 0]]} {
        set level [lindex $args 0]
        set args [lrange $args 1 end]
    }
    return [getInfoProperty [r $level info] [lindex $args 0]]
}

# Dumps the keyspace of the current database as CSV lines, sorted by key.
proc csvdump {client} {
    set out ""
    foreach k [lsort [$client keys *]] {
        set type [$client type $k]
        append out [join [list $k $type] ,] ","
        switch -- $type {
            string { append out [$client get $k] }
            list   { append out [join [$client lrange $k 0 -1] ,] }
            set    { append out [join [lsort [$client smembers $k]] ,] }
            zset   { append out [join [$client zrange $k 0 -1 withscores] ,] }
            hash   {
                set flat {}
                foreach {f v} [$client hgetall $k] { lappend flat [list $f $v] }
                foreach fv [lsort -index 0 $flat] { append out [join $fv ,] , }
            }
            default { append out "?" }
        }
        append out "\n"
    }
    return $out
}

# True when a process with this pid exists and is not a zombie.
proc process_is_alive {pid} {
    if {$pid eq "" || ![file exists /proc/$pid/stat]} { return 0 }
    if {[catch {
        set f [open /proc/$pid/stat r]
        set stat [read $f]
        close $f
    }]} { return 0 }
    # The state letter follows the command name in parentheses.
    set state [string index [string trim [string range $stat [string last ")" $stat]+1 end]] 0]
    return [expr {$state ne "Z" && $state ne "X"}]
}

# Waits until the pid is gone; returns 1 if it went within timeout_ms.
proc wait_for_process_exit {pid {timeout_ms 10000}} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while {[process_is_alive $pid]} {
        if {[clock milliseconds] > $deadline} { return 0 }
        after 20
    }
    return 1
}

# Reads whatever a client channel can give within timeout_ms, without blocking
# forever; returns the bytes and whether EOF was seen as {data eof}.
proc read_available {client {timeout_ms 1000}} {
    set chan [$client channel]
    fconfigure $chan -blocking 0
    set data ""
    set eof 0
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        if {[catch {read $chan} chunk]} { set eof 1; break }
        append data $chunk
        if {[eof $chan]} { set eof 1; break }
        after 10
    }
    fconfigure $chan -blocking 1
    return [list $data $eof]
}

# Waits until the server closes the client's connection; returns 1 if it did.
proc connection_closed {client {timeout_ms 2000}} {
    lassign [read_available $client $timeout_ms] data eof
    return $eof
}

# Sends raw bytes on a new connection; expects the error reply `expected`
# and then the server closing the connection.
proc assert_protocol_error {raw expected} {
    set c [redis_deferring_client]
    $c write $raw
    $c flush
    set e [assert_error * {$c read}]
    assert_equal $e $expected
    assert_equal [connection_closed $c] 1 "(connection not closed after '$expected')"
    $c close
}

# Sends cmd on client c and returns the next n raw protocol lines.
proc raw_reply {c cmd n} {
    $c readraw 1
    $c deferred 1
    $c {*}$cmd
    set lines {}
    for {set i 0} {$i < $n} {incr i} { lappend lines [$c read] }
    $c readraw 0
    $c deferred 0
    return $lines
}

# Reads n replies from a deferring client.
proc read_replies {c n} {
    set replies {}
    for {set i 0} {$i < $n} {incr i} { lappend replies [$c read] }
    return $replies
}

set ::dgram_seen {}

# A unix datagram socket bound at path (what systemd or syslog would be),
# printing each line it receives; read with wait_dgram / wait_dgram_match
# (every line read is also appended to ::dgram_seen).
proc start_dgram_listener {path} {
    set script {
import os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("LISTENING", flush=True)
while True:
    data = s.recv(65536)
    for line in data.decode(errors="replace").split("\n"):
        if line:
            print(line, flush=True)
}
    set chan [open |[list python3 -u -c $script $path 2>@1] r]
    fconfigure $chan -blocking 1 -buffering line
    if {[gets $chan first] < 0 || $first ne "LISTENING"} {
        error "datagram listener did not start: $first"
    }
    fconfigure $chan -blocking 0
    return $chan
}

# Waits until the listener printed a line equal to msg; returns 1 if it did.
proc wait_dgram {chan msg {timeout_ms 5000}} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        while {[gets $chan line] >= 0} {
            lappend ::dgram_seen $line
            if {$line eq $msg} { return 1 }
        }
        after 20
    }
    return 0
}

# The same for the first line matching a glob pattern.
proc wait_dgram_match {chan pattern {timeout_ms 5000}} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        while {[gets $chan line] >= 0} {
            lappend ::dgram_seen $line
            if {[string match $pattern $line]} { return 1 }
        }
        after 20
    }
    return 0
}
