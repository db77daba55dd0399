# Helpers of the append-only file tests (integration/aof*.tcl): paths in the
# server's AOF directory, reading and writing its files as bytes, parsing
# a file of RESP commands, killing a server without letting it shut down,
# and a dump of the dataset to compare two servers or two runs.

# The AOF directory of the server at level, or a file inside it.
proc aof_dir {{level 0}} {
    return [file join [srv $level dir] appendonlydir]
}
proc aof_path {name {level 0}} {
    return [file join [aof_dir $level] $name]
}

proc aof_read {path} {
    set fd [open $path rb]
    set data [read $fd]
    close $fd
    return $data
}
proc aof_write {path data {mode wb}} {
    set fd [open $path $mode]
    puts -nonewline $fd $data
    close $fd
}

# A command in RESP, as an AOF holds it.
proc aof_resp {args} {
    set s "*[llength $args]\r\n"
    foreach a $args { append s "\$[string length $a]\r\n$a\r\n" }
    return $s
}

# The commands of a RESP file, as a list of lists; "#..." annotation lines
# are kept as one-element lists of their text.
proc aof_commands {data} {
    set cmds {}
    set pos 0
    set len [string length $data]
    while {$pos < $len} {
        set eol [string first "\r\n" $data $pos]
        set line [string range $data $pos [expr {$eol - 1}]]
        set pos [expr {$eol + 2}]
        if {[string index $line 0] eq "#"} { lappend cmds [list $line]; continue }
        set argc [string range $line 1 end]
        set cmd {}
        for {set j 0} {$j < $argc} {incr j} {
            set eol [string first "\r\n" $data $pos]
            set n [string range $data [expr {$pos + 1}] [expr {$eol - 1}]]
            set pos [expr {$eol + 2}]
            lappend cmd [string range $data $pos [expr {$pos + $n - 1}]]
            set pos [expr {$pos + $n + 2}]
        }
        lappend cmds $cmd
    }
    return $cmds
}

# The manifest's lines.
proc aof_manifest {{level 0}} {
    return [split [string trimright [aof_read [aof_path appendonly.aof.manifest $level]] "\n"] "\n"]
}

# Ends the server with SIGKILL: no shutdown, no last write, no fsync.
proc kill_server_hard {{level 0}} {
    set pid [srv $level pid]
    catch {exec kill -KILL $pid}
    wait_for_process_exit $pid 10000
}

# Every key of every database of client c with its type, value and whether
# it has a deadline (pexpiretime), sorted: equal dumps mean equal datasets.
proc dataset_dump {c} {
    set out {}
    for {set db 0} {$db < 16} {incr db} {
        $c select $db
        foreach k [lsort [$c keys *]] {
            set t [$c type $k]
            switch $t {
                string { set v [$c get $k] }
                list { set v [$c lrange $k 0 -1] }
                set { set v [lsort [$c smembers $k]] }
                zset { set v [$c zrange $k 0 -1 withscores] }
                hash { set v [lsort [$c hgetall $k]] }
                default { set v ? }
            }
            lappend out [list $db $k $t $v [$c pexpiretime $k]]
        }
    }
    $c select 0
    return $out
}

source tests/support/oracle.tcl

# Fills client c with keys of every type, with and without deadlines, in
# two databases.
proc fill_mixed_dataset {c} {
    $c select 0
    $c set str hello
    $c set int 12345
    $c set big [string repeat abc 300]
    $c rpush list a b c 1 2 3
    $c sadd intset 1 2 3 100
    $c sadd set x y z
    $c zadd zset 1 a 2.5 b -3 c inf d
    $c hset hash f1 v1 f2 2
    for {set j 0} {$j < 200} {incr j} { $c hset bighash f$j [string repeat v 80] }
    for {set j 0} {$j < 200} {incr j} { $c zadd bigzset $j m$j }
    $c set volatile v px 5000000
    $c rpush vlist 1 2
    $c pexpireat vlist [expr {[clock milliseconds] + 7000000}]
    $c select 3
    $c set other db3
    $c incrbyfloat f 1.25
    $c select 0
}

# The pid of the server's forked child (a rewrite), or "" when none.
proc get_child_pid {{level 0}} {
    if {[catch {exec ps --ppid [srv $level pid] -o pid=} out]} { return "" }
    return [string trim $out]
}
