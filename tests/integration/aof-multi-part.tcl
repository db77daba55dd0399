# Redis 7.0's multi-part AOF: the manifest and its files, BGREWRITEAOF and
# the switch to a new base, history cleanup, loading base + incr files in
# order, torn tails and corruption, and the upgrade from a single
# appendonly.aof. Texts, names and layouts were compared with
# redis-server 7.0.15 (--appendonly yes --aof-use-rdb-preamble no).

source tests/support/aof.tcl

# Replaces the server's AOF directory contents by files {name data ...}
# and a manifest listing {name seq type ...}, with the server down.
proc aof_put_files {files manifest} {
    foreach f [glob -nocomplain -directory [aof_dir] *] { file delete $f }
    foreach {name data} $files { aof_write [aof_path $name] $data }
    set m ""
    foreach {name seq type} $manifest { append m "file $name seq $seq type $type\n" }
    aof_write [aof_path appendonly.aof.manifest] $m
}

# Restarts the server expecting it to refuse: returns the log of the try.
proc restart_expecting_failure {} {
    set offset [file size [srv stdout]]
    assert_error {*restart failed*} {restart_server}
    return [::srv::read_file [srv stdout] $offset]
}

proc wait_rewrite_done {n} {
    wait_for_condition 100 100 {
        [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]] &&
        [string match "*\r\naof_rewrites:$n\r\n*" [r info persistence]]
    } else {
        fail "rewrite $n did not finish"
    }
}

tags {aof external:skip} {
    start_server {overrides {appendonly yes aof-use-rdb-preamble no}} {
        test {A fresh AOF: an empty base, an incr file and their manifest} {
            assert_equal [aof_manifest] {{file appendonly.aof.1.base.aof seq 1 type b} {file appendonly.aof.1.incr.aof seq 1 type i}}
            assert_equal [file size [aof_path appendonly.aof.1.base.aof]] 0
            verify_log_message {*Creating AOF base file appendonly.aof.1.base.aof on server start*}
            verify_log_message {*Creating AOF incr file appendonly.aof.1.incr.aof on server start*}
        }

        test {BGREWRITEAOF writes a new base and incr, and deletes the old files} {
            r set s str
            r rpush l a b c
            r sadd set 1 2 x
            r zadd z 1.5 a 2 b -inf c
            r hset h f v n 1
            r set ttl v px 100000
            assert_equal [r bgrewriteaof] {Background append only file rewriting started}
            wait_rewrite_done 1
            r set after 1
            assert_equal [aof_manifest] {{file appendonly.aof.2.base.aof seq 2 type b} {file appendonly.aof.2.incr.aof seq 2 type i}}
            assert_equal [lsort [glob -tails -directory [aof_dir] *]] \
                {appendonly.aof.2.base.aof appendonly.aof.2.incr.aof appendonly.aof.manifest}
            assert_equal [aof_commands [aof_read [aof_path appendonly.aof.2.incr.aof]]] {{SELECT 0} {set after 1}}
            foreach line {
                {*Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite*}
                {*Background append only file rewriting started by pid*}
                {*Successfully created the temporary AOF base file temp-rewriteaof-bg-*.aof*}
                {*Background AOF rewrite terminated with success*}
                {*Successfully renamed the temporary AOF base file temp-rewriteaof-bg-*.aof into appendonly.aof.2.base.aof*}
                {*Removing the history file appendonly.aof.1.incr.aof in the background*}
                {*Removing the history file appendonly.aof.1.base.aof in the background*}
                {*Background AOF rewrite finished successfully*}
            } { verify_log_message $line }
            assert_match "*\r\naof_last_bgrewrite_status:ok\r\n*" [r info persistence]
        }

        test {The rewritten base holds one command per key and a PEXPIREAT for deadlines} {
            set cmds [aof_commands [aof_read [aof_path appendonly.aof.2.base.aof]]]
            assert_equal [lindex $cmds 0] {SELECT 0}
            set names {}
            foreach c [lrange $cmds 1 end] { lappend names [lindex $c 0] }
            assert_equal [lsort $names] {HMSET PEXPIREAT RPUSH SADD SET SET ZADD}
            assert_contains $cmds {RPUSH l a b c}
            assert_contains $cmds [list PEXPIREAT ttl [r pexpiretime ttl]]
        }

        test {After a rewrite the dataset loads back the same} {
            set before [dataset_dump [srv client]]
            restart_server
            assert_equal [dataset_dump [srv client]] $before
            verify_log_message {*DB loaded from base file appendonly.aof.2.base.aof: * seconds*}
            verify_log_message {*DB loaded from append only file: * seconds*}
        }

        test {Big collections are written in commands of 64 elements} {
            for {set j 0} {$j < 150} {incr j} { lappend members $j }
            r sadd big {*}$members
            r bgrewriteaof
            wait_rewrite_done 1
            set sizes {}
            foreach c [aof_commands [aof_read [aof_path appendonly.aof.3.base.aof]]] {
                if {[lindex $c 0] eq "SADD" && [lindex $c 1] eq "big"} { lappend sizes [expr {[llength $c] - 2}] }
            }
            assert_equal $sizes {64 64 22}
            restart_server
            assert_equal [r scard big] 150
        }

        test {BGREWRITEAOF while one runs is refused} {
            for {set j 0} {$j < 100} {incr j} { r set k$j v }
            r config set rdb-key-save-delay 10000
            r bgrewriteaof
            assert_match "*\r\naof_rewrite_in_progress:1\r\n*" [r info persistence]
            assert_error {ERR Background append only file rewriting already in progress} {r bgrewriteaof}
            r config set rdb-key-save-delay 0
            wait_rewrite_done 1
        }
    }

    start_server {overrides {appendonly yes aof-disable-auto-gc yes aof-use-rdb-preamble no}} {
        test {aof-disable-auto-gc yes keeps the history files in the manifest} {
            r set a 1
            r bgrewriteaof
            wait_rewrite_done 1
            assert_equal [aof_manifest] {{file appendonly.aof.2.base.aof seq 2 type b} {file appendonly.aof.1.base.aof seq 1 type h} {file appendonly.aof.1.incr.aof seq 1 type h} {file appendonly.aof.2.incr.aof seq 2 type i}}
            assert [file exists [aof_path appendonly.aof.1.incr.aof]]
            restart_server
            assert_equal [r get a] 1
        }

        test {History files go once aof-disable-auto-gc is no again} {
            r config set aof-disable-auto-gc no
            r bgrewriteaof
            wait_rewrite_done 1
            assert_equal [aof_manifest] {{file appendonly.aof.3.base.aof seq 3 type b} {file appendonly.aof.3.incr.aof seq 3 type i}}
            assert ![file exists [aof_path appendonly.aof.1.incr.aof]]
        }
    }

    start_server {overrides {appendonly yes auto-aof-rewrite-percentage 100 auto-aof-rewrite-min-size 10kb aof-use-rdb-preamble no}} {
        test {auto-aof-rewrite-percentage rewrites once the AOF doubled past the minimum size} {
            for {set j 0} {$j < 200} {incr j} { r set key$j [string repeat x 100] }
            wait_for_condition 100 100 {
                [string match "*\r\naof_rewrites:1\r\n*" [r info persistence]]
            } else {
                fail "no automatic rewrite"
            }
            verify_log_message {*Starting automatic rewriting of AOF on *% growth*}
        }
    }

    start_server {overrides {appendonly yes aof-use-rdb-preamble no}} {
        r set seed 1

        test {A base and several incr files load in order} {
            kill_server_hard
            aof_put_files [list \
                appendonly.aof.1.base.aof [aof_resp SELECT 0][aof_resp SET k base][aof_resp SET only-base 1] \
                appendonly.aof.1.incr.aof [aof_resp SELECT 0][aof_resp SET k one][aof_resp RPUSH l 1] \
                appendonly.aof.2.incr.aof [aof_resp SELECT 0][aof_resp SET k two][aof_resp RPUSH l 2]] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i appendonly.aof.2.incr.aof 2 i}
            restart_server
            assert_equal [r get k] two
            assert_equal [r lrange l 0 -1] {1 2}
            assert_equal [r get only-base] 1
            verify_log_message {*DB loaded from incr file appendonly.aof.1.incr.aof: * seconds*}
            verify_log_message {*Opening AOF incr file appendonly.aof.2.incr.aof on server start*}
        }

        test {Annotations load, an unended last one too} {
            kill_server_hard
            aof_put_files [list appendonly.aof.1.base.aof "#TS:100\r\n[aof_resp SET ts 1]" \
                appendonly.aof.1.incr.aof "[aof_resp SELECT 0][aof_resp SET ts 2]#TS:3"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            restart_server
            assert_equal [r get ts] 2
            assert_equal [count_log_lines {*Truncating the AOF*}] 0
        }

        test {A torn tail of the last file is cut and logged (aof-load-truncated yes)} {
            kill_server_hard
            set good [aof_resp SELECT 0][aof_resp SET b 1]
            aof_put_files [list appendonly.aof.1.base.aof "" \
                appendonly.aof.1.incr.aof "$good*3\r\n\$3\r\nSET\r\n\$1\r\nc\r\n\$1"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            restart_server
            assert_equal [r get b] 1
            assert_equal [r exists c] 0
            assert_equal [file size [aof_path appendonly.aof.1.incr.aof]] [string length $good]
            verify_log_message {*!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!*}
            verify_log_message "*!!! Truncating the AOF appendonly.aof.1.incr.aof at offset [string length $good] !!!*"
            verify_log_message {*AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled*}
            r set d 2
            restart_server
            assert_equal [r mget b d] {1 2}
        }

        test {An unfinished MULTI at the tail is reverted} {
            kill_server_hard
            set good [aof_resp SELECT 0][aof_resp SET b 1]
            aof_put_files [list appendonly.aof.1.base.aof "" \
                appendonly.aof.1.incr.aof "$good[aof_resp MULTI][aof_resp SET b 2][aof_resp SET e 3]"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            restart_server
            assert_equal [r mget b e] {1 {}}
            verify_log_message {*Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof*}
            assert_equal [file size [aof_path appendonly.aof.1.incr.aof]] [string length $good]
        }

        test {A complete MULTI/EXEC is applied whole} {
            kill_server_hard
            aof_put_files [list appendonly.aof.1.base.aof "" \
                appendonly.aof.1.incr.aof "[aof_resp SELECT 0][aof_resp MULTI][aof_resp SET b 2][aof_resp INCR b][aof_resp EXEC]"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            restart_server
            assert_equal [r get b] 3
        }

        test {A torn file that is not the last one refuses to start} {
            kill_server_hard
            aof_put_files [list appendonly.aof.1.base.aof "[aof_resp SET a 1]*2\r\n\$3" \
                appendonly.aof.1.incr.aof [aof_resp SET b 1]] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            set log [restart_expecting_failure]
            assert_match {*Fatal error: the truncated file appendonly.aof.1.base.aof is not the last file*} $log
        }

        test {Bad data in the middle refuses to start, naming the file and offset} {
            set good [aof_resp SELECT 0][aof_resp SET a 1]
            aof_put_files [list appendonly.aof.1.base.aof "" \
                appendonly.aof.1.incr.aof "${good}garbage\r\n[aof_resp SET c 1]"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            set log [restart_expecting_failure]
            assert_match {*Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>*} $log
            assert_match "*The bad data in appendonly.aof.1.incr.aof starts after offset [string length $good]*" $log
        }

        test {An unknown command refuses to start} {
            aof_put_files [list appendonly.aof.1.base.aof "" \
                appendonly.aof.1.incr.aof "[aof_resp SELECT 0][aof_resp NOSUCHCMD a]"] \
                {appendonly.aof.1.base.aof 1 b appendonly.aof.1.incr.aof 1 i}
            set log [restart_expecting_failure]
            assert_match {*Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof*} $log
        }

        test {A damaged RDB preamble refuses to start with a clear message} {
            aof_put_files [list appendonly.aof.1.base.rdb "REDIS0010\xfa" appendonly.aof.1.incr.aof ""] \
                {appendonly.aof.1.base.rdb 1 b appendonly.aof.1.incr.aof 1 i}
            set log [restart_expecting_failure]
            assert_match {*can't load the RDB preamble of the AOF file appendonly.aof.1.base.rdb*} $log
        }

        test {A manifest that is not one refuses to start} {
            aof_put_files {} {}
            aof_write [aof_path appendonly.aof.manifest] "file x seq one type b\n"
            set log [restart_expecting_failure]
            assert_match {*Invalid AOF manifest file format*} $log
        }

        test {An old single appendonly.aof in dir is moved into the AOF directory} {
            file delete -force [aof_dir]
            aof_write [file join [srv dir] appendonly.aof] "[aof_resp SET old 1][aof_resp SET old2 2]"
            restart_server
            assert_equal [r mget old old2] {1 2}
            assert_equal [aof_manifest] {{file appendonly.aof seq 1 type b} {file appendonly.aof.1.incr.aof seq 1 type i}}
            assert ![file exists [file join [srv dir] appendonly.aof]]
            verify_log_message {*Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).*}
            verify_log_message {*DB loaded from base file appendonly.aof: * seconds*}
            r set new 3
            restart_server
            assert_equal [r mget old new] {1 3}
        }
    }

    start_server {overrides {appendonly yes aof-load-truncated no aof-use-rdb-preamble no}} {
        test {aof-load-truncated no: a torn tail refuses to start} {
            r set a 1
            kill_server_hard
            aof_write [aof_path appendonly.aof.1.incr.aof] "*2\r\n\$3\r\nGET" ab
            set log [restart_expecting_failure]
            assert_match {*Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.*} $log
        }
    }
}

start_server {tags {aof external:skip} overrides {appendonly yes aof-use-rdb-preamble yes}} {
    test {With aof-use-rdb-preamble yes the base is an RDB file, and it loads back with the incr files} {
        r set a 1
        r rpush l x y z
        r bgrewriteaof
        wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0} else { fail "BGREWRITEAOF did not finish" }
        r set b 2
        set base [lindex [lsearch -inline -all -glob [aof_manifest] {*type b*}] 0]
        set name [lindex $base 1]
        set f [open [aof_path $name] rb]
        set magic [read $f 5]
        close $f
        restart_server
        list [string match {*.base.rdb} $name] $magic [r get a] [r lrange l 0 -1] [r get b]
    } {1 REDIS 1 {x y z} 2}

    if {[file executable /usr/bin/redis-server]} {
        test {Redis 7.0 loads Ember's AOF directory with its RDB base} {
            r flushall
            r set k v
            r hset h f1 v1
            r bgrewriteaof
            wait_for_condition 100 100 {[s aof_rewrite_in_progress] == 0} else { fail "BGREWRITEAOF did not finish" }
            r set after yes
            set dir [file normalize [file join $::opt(tmpdir) "aofrdb-oracle.[pid]"]]
            file delete -force $dir
            file mkdir $dir
            file copy [aof_dir] [file join $dir appendonlydir]
            set ox [oracle_start $dir --appendonly yes]
            set o [oracle_client $ox]
            set got [list [$o get k] [$o hget h f1] [$o get after]]
            oracle_stop $ox
            set got
        } {v v1 yes}
    }
}
