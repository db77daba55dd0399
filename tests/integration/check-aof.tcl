# redis-check-aof (src/redis-check-aof, the server binary under another
# name): reports, --fix and --truncate-to-timestamp, in the wording and
# exit codes of redis-check-aof 7.0.15 run on the same files.

source tests/support/aof.tcl

set ::check_aof [file join [file dirname $::opt(server_binary)] redis-check-aof]

# Runs redis-check-aof with args, answer on its stdin; returns {status output}.
proc check_aof {args} {
    set answer ""
    if {[lindex $args 0] eq "-answer"} {
        set answer [lindex $args 1]
        set args [lrange $args 2 end]
    }
    set status 0
    if {[catch {exec $::check_aof {*}$args << $answer} out opts]} {
        set ec [dict get $opts -errorcode]
        if {[lindex $ec 0] ne "CHILDSTATUS"} { error $out }
        set status [lindex $ec 2]
        regsub {\nchild process exited abnormally$} $out {} out
    }
    return [list $status [split $out "\n"]]
}

set ::A [aof_resp SET a 1]

# A scratch directory with files {name data ...}; returns its path.
proc scratch {files} {
    set dir [file join $::opt(tmpdir) "check-aof.[pid].[incr ::scratch_n]"]
    file delete -force $dir
    file mkdir $dir
    foreach {name data} $files { aof_write [file join $dir $name] $data }
    return $dir
}
set ::scratch_n 0
set ::manifest "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"

tags {aof check-aof external:skip} {
    test {Without a file: the usage line} {
        check_aof
    } {1 {{Usage: redis-check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>}}}

    test {A valid single file} {
        set d [scratch [list x.aof $::A]]
        assert_equal [check_aof $d/x.aof] [list 0 [list {Start checking Old-Style AOF} \
            "AOF analyzed: filename=$d/x.aof, size=27, ok_up_to=27, ok_up_to_line=8, diff=0" "AOF $d/x.aof is valid"]]
    }

    test {An empty single file} {
        set d [scratch {x.aof ""}]
        assert_equal [check_aof $d/x.aof] [list 0 [list {Start checking Old-Style AOF} "AOF $d/x.aof is empty"]]
    }

    test {A torn tail: where, how much, and the advice to use --fix} {
        set d [scratch [list x.aof "$::A$::A*3\r\n\$3\r\nSE"]]
        lassign [check_aof $d/x.aof] status out
        assert_equal $status 1
        assert_equal [lindex $out 1] {0x              3e: Expected to read 5 bytes, got 2 bytes}
        assert_equal [lindex $out 2] "AOF analyzed: filename=$d/x.aof, size=64, ok_up_to=54, ok_up_to_line=17, diff=10"
        assert_equal [lindex $out 3] "AOF $d/x.aof is not valid. Use the --fix option to try fixing it."
    }

    test {--fix asks, and cuts the torn tail on y} {
        set d [scratch [list x.aof "$::A$::A*3\r\n\$3\r\nSE"]]
        lassign [check_aof -answer y --fix $d/x.aof] status out
        assert_equal $status 0
        assert_equal [lindex $out 3] "This will shrink the AOF $d/x.aof from 64 bytes, with 10 bytes, to 54 bytes"
        assert_equal [lindex $out 4] "Continue? \[y/N\]: Successfully truncated AOF $d/x.aof"
        assert_equal [file size $d/x.aof] 54
        lindex [check_aof $d/x.aof] 0
    } {0}

    test {--fix leaves the file alone on n} {
        set d [scratch [list x.aof "$::A*3\r\n\$3\r\nSE"]]
        lassign [check_aof -answer n --fix $d/x.aof] status out
        assert_equal $status 1
        assert_equal [lindex $out end] {Continue? [y/N]: Aborting...}
        file size $d/x.aof
    } {37}

    test {Bytes that are not a command: format error} {
        set d [scratch [list x.aof "${::A}garbage\r\n$::A"]]
        lassign [check_aof $d/x.aof] status out
        assert_equal $status 1
        assert_equal [lrange $out 1 2] [list "AOF $d/x.aof format error" "AOF analyzed: filename=$d/x.aof, size=63, ok_up_to=27, ok_up_to_line=8, diff=36"]
    }

    test {A MULTI without its EXEC} {
        set d [scratch [list x.aof "$::A[aof_resp MULTI]$::A"]]
        lassign [check_aof $d/x.aof] status out
        assert_equal $status 1
        assert_equal [lrange $out 1 2] [list {0x              42: Reached EOF before reading EXEC for MULTI} "AOF analyzed: filename=$d/x.aof, size=69, ok_up_to=27, ok_up_to_line=18, diff=42"]
    }

    test {Malformed headers are named} {
        set d [scratch [list x.aof "$::A*2\r\n%3\r\n" y.aof "$::A*x\r\n" z.aof "$::A*1\r\n\$1\r\nab\r\n"]]
        assert_equal [lindex [check_aof $d/x.aof] 1 1] {0x              1f: Expected prefix '$', got: '%'}
        assert_equal [lindex [check_aof $d/y.aof] 1 1] {0x              1b: Expected \r\n, got: 780d}
        assert_equal [lindex [check_aof $d/z.aof] 1 1] {0x              23: Expected \r\n, got: 620d}
    }

    test {A manifest: the base, then each incr file} {
        set d [scratch [list appendonly.aof.1.base.aof $::A appendonly.aof.1.incr.aof "" appendonly.aof.manifest $::manifest]]
        check_aof $d/appendonly.aof.manifest
    } {0 {{Start checking Multi Part AOF} {Start to check BASE AOF (RESP format).} {AOF analyzed: filename=appendonly.aof.1.base.aof, size=27, ok_up_to=27, ok_up_to_line=8, diff=0} {BASE AOF appendonly.aof.1.base.aof is valid} {Start to check INCR files.} {INCR AOF appendonly.aof.1.incr.aof is empty} {All AOF files and manifest are valid}}}

    test {A manifest: --fix cuts the last file only} {
        set d [scratch [list appendonly.aof.1.base.aof "$::A*3" appendonly.aof.1.incr.aof "$::A*3" appendonly.aof.manifest $::manifest]]
        lassign [check_aof -answer y --fix $d/appendonly.aof.manifest] status out
        assert_equal $status 1
        assert_equal [lindex $out end] {Failed to truncate AOF appendonly.aof.1.base.aof because it is not the last file}
        aof_write $d/appendonly.aof.1.base.aof $::A
        lassign [check_aof -answer y --fix $d/appendonly.aof.manifest] status out
        assert_equal $status 0
        assert_equal [lrange $out end-1 end] {{Continue? [y/N]: Successfully truncated AOF appendonly.aof.1.incr.aof} {All AOF files and manifest are valid}}
        file size $d/appendonly.aof.1.incr.aof
    } {27}

    test {--truncate-to-timestamp cuts at the first later annotation} {
        set data "#TS:100\r\n$::A#TS:200\r\n$::A#TS:300\r\n$::A"
        set d [scratch [list x.aof $data]]
        assert_equal [check_aof --truncate-to-timestamp 200 $d/x.aof] [list 0 [list {Start checking Old-Style AOF} "Successfully truncated AOF $d/x.aof to timestamp 200"]]
        assert_equal [file size $d/x.aof] 72
        assert_equal [check_aof --truncate-to-timestamp 50 $d/x.aof] [list 1 [list {Start checking Old-Style AOF} "AOF $d/x.aof has nothing before timestamp 50, aborting..."]]
        assert_equal [lindex [check_aof --truncate-to-timestamp 500 $d/x.aof] 1 1] "Truncate nothing in AOF $d/x.aof to timestamp 500"
        check_aof --truncate-to-timestamp x $d/x.aof
    } {1 {{Invalid timestamp, aborting...}}}

    test {--truncate-to-timestamp in a manifest's base is refused} {
        set d [scratch [list appendonly.aof.1.base.aof "#TS:100\r\n$::A#TS:200\r\n$::A" appendonly.aof.1.incr.aof $::A appendonly.aof.manifest $::manifest]]
        lassign [check_aof --truncate-to-timestamp 150 $d/appendonly.aof.manifest] status out
        assert_equal $status 1
        assert_equal [lindex $out 2] "Failed to truncate AOF $d/appendonly.aof.1.base.aof to timestamp 150 to offset 36 because it is not the last file."
    }

    start_server {overrides {appendonly yes aof-timestamp-enabled yes aof-use-rdb-preamble no}} {
        test {The files the server writes are valid, and a repaired one loads} {
            r set a 1
            r rpush l x y
            lassign [check_aof [aof_path appendonly.aof.manifest]] status out
            assert_equal $status 0
            assert_equal [lindex $out end] {All AOF files and manifest are valid}
            kill_server_hard
            aof_write [aof_path appendonly.aof.1.incr.aof] "*3\r\n\$3\r\nSET\r\n\$1\r\nb" ab
            assert_equal [lindex [check_aof -answer y --fix [aof_path appendonly.aof.manifest]] 0] 0
            restart_server
            assert_equal [r get a] 1
            assert_equal [r exists b] 0
        }
    }

    start_server {overrides {appendonly yes aof-use-rdb-preamble yes}} {
        r set a 1
        r rpush l x y
        r bgrewriteaof
        wait_for_condition 50 100 {
            [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]] &&
            [string match "*\r\naof_rewrite_scheduled:0\r\n*" [r info persistence]] &&
            [llength [glob -nocomplain -directory [aof_dir] *.base.rdb]] == 1
        } else {
            fail "the rewrite did not finish"
        }
        r set b 2
        set base [file tail [lindex [glob -directory [aof_dir] *.base.rdb] 0]]
        set incr [file tail [lindex [glob -directory [aof_dir] *.incr.aof] 0]]

        test {A manifest with an RDB base: the base is checked as an RDB} {
            lassign [check_aof [aof_path appendonly.aof.manifest]] status out
            assert_equal $status 0
            assert_equal [lrange $out 0 1] {{Start checking Multi Part AOF} {Start to check BASE AOF (RDB format).}}
            assert {[lsearch $out {RDB preamble is OK, proceeding with AOF tail...}] >= 0}
            assert {[lsearch $out "BASE AOF $base is valid"] >= 0}
            assert {[lsearch $out "INCR AOF $incr is valid"] >= 0}
            assert_equal [lindex $out end] {All AOF files and manifest are valid}
        }

        test {An old single file: RDB preamble and command tail, checked and loaded whole} {
            set d [scratch {}]
            set data [aof_read [aof_path $base]][aof_read [aof_path $incr]]
            aof_write $d/appendonly.aof $data
            lassign [check_aof $d/appendonly.aof] status out
            assert_equal $status 0
            assert {[lsearch $out {RDB preamble is OK, proceeding with AOF tail...}] >= 0}
            assert_equal [lindex $out end] "AOF $d/appendonly.aof is valid"
            start_server {overrides {appendonly yes}} {
                kill_server_hard
                file delete -force [aof_dir]
                aof_write [file join [srv dir] appendonly.aof] $data
                restart_server
                assert_equal [r mget a b] {1 2}
                assert_equal [r lrange l 0 -1] {x y}
                verify_log_message {*Reading the remaining AOF tail...*}
            }
        }

        test {A torn RDB base is not sane} {
            set d [scratch [list appendonly.aof.manifest [aof_read [aof_path appendonly.aof.manifest]] \
                $base [string range [aof_read [aof_path $base]] 0 40] $incr [aof_read [aof_path $incr]]]]
            lassign [check_aof $d/appendonly.aof.manifest] status out
            assert_equal $status 1
            assert_equal [lindex $out end] {RDB preamble of AOF file is not sane, aborting.}
        }
    }
}
