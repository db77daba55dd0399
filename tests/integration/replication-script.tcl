# redis.set_repl with real targets: a primary with appendonly yes, a raw
# replica reading the replication stream and an Ember replica. Which copy
# sees which command of a script is what Redis 7.0.15 does with the same
# scripts (its AOF and its stream, read the same way): a command goes to
# the copies set_repl names, what a command adds itself (the SREMs of a
# partial SPOP) to both, and the MULTI/EXEC around several commands to
# both even when one copy gets none of them.

source tests/support/aof.tcl
source tests/support/repl.tcl

# A replica that is only a connection: SYNC, the RDB skipped; its stream
# is read with repl_stream_read.
proc raw_replica {{level 0}} {
    set c [redis_deferring_client $level]
    set chan [$c channel]
    fconfigure $chan -translation binary
    puts -nonewline $chan "SYNC\r\n"
    flush $chan
    # Newlines keep the link alive while the RDB is written.
    while {[set line [gets $chan]] eq "" || $line eq "\r"} {}
    set len [string range [string trimright $line "\r"] 1 end]
    read $chan $len
    return $c
}

# The commands the raw replica got so far, PINGs left out.
proc repl_stream_read {c} {
    lassign [read_available $c 500] data eof
    set out {}
    foreach cmd [aof_commands $data] {
        if {[string toupper [lindex $cmd 0]] ne "PING"} { lappend out $cmd }
    }
    return $out
}

# The commands of the AOF's incr file appended since the offset *from
# (updated to its end).
proc aof_incr_read {fromvar} {
    upvar $fromvar from
    set path [lindex [lsort [glob [file join [aof_dir] *.incr.aof]]] end]
    set data [aof_read $path]
    set new [string range $data $from end]
    set from [string length $data]
    return [aof_commands $new]
}

start_server {tags {repl scripting external:skip} overrides {appendonly yes repl-diskless-sync no appendfsync always}} {
    set raw [raw_replica]
    set aofpos 0
    r set start 1
    assert_equal [lindex [repl_stream_read $raw] end] {set start 1}
    aof_incr_read aofpos

    test {set_repl: REPL_AOF, REPL_REPLICA and REPL_ALL in one script} {
        r eval {
            redis.set_repl(redis.REPL_AOF) redis.call('set','a','1')
            redis.set_repl(redis.REPL_REPLICA) redis.call('set','b','2')
            redis.set_repl(redis.REPL_ALL) redis.call('set','c','3')
        } 0
        assert_equal [aof_incr_read aofpos] {MULTI {set a 1} {set c 3} EXEC}
        assert_equal [repl_stream_read $raw] {MULTI {set b 2} {set c 3} EXEC}
    }

    test {set_repl: REPL_NONE leaves one command, not wrapped} {
        r eval {
            redis.set_repl(redis.REPL_NONE) redis.call('set','d','4')
            redis.set_repl(redis.REPL_ALL) redis.call('set','e','5')
        } 0
        assert_equal [aof_incr_read aofpos] {{set e 5}}
        assert_equal [repl_stream_read $raw] {{set e 5}}
    }

    test {set_repl: the other copy gets an empty MULTI/EXEC} {
        r eval {redis.set_repl(redis.REPL_AOF) redis.call('set','f','6') redis.call('set','g','7')} 0
        assert_equal [aof_incr_read aofpos] {MULTI {set f 6} {set g 7} EXEC}
        assert_equal [repl_stream_read $raw] {MULTI EXEC}
        r eval {redis.set_repl(redis.REPL_SLAVE) redis.call('set','h','8')} 0
        assert_equal [aof_incr_read aofpos] {}
        assert_equal [repl_stream_read $raw] {{set h 8}}
    }

    test {set_repl: rewritten commands follow it, what a command adds goes to both} {
        r eval {
            redis.call('sadd','st','a','b','c')
            redis.set_repl(redis.REPL_AOF)
            redis.call('spop','st',2)
            redis.call('expire','a',100)
            redis.call('sadd','st2','x')
            redis.call('spop','st2',5)
        } 0
        set aof [aof_incr_read aofpos]
        set stream [repl_stream_read $raw]
        assert_equal [llength $aof] 8
        assert_equal [lrange $aof 0 1] {MULTI {sadd st a b c}}
        assert_match {{SREM st [abc]} {SREM st [abc]}} [lrange $aof 2 3]
        assert_match {PEXPIREAT a *} [lindex $aof 4]
        assert_equal [lrange $aof 5 end] {{sadd st2 x} {DEL st2} EXEC}
        assert_equal [lindex $stream 0] MULTI
        assert_equal [lindex $stream 1] {sadd st a b c}
        assert_equal [lrange $stream 2 3] [lrange $aof 2 3]
        assert_equal [lindex $stream end] EXEC
        assert_equal [llength $stream] 5
        r eval {redis.set_repl(redis.REPL_REPLICA) redis.call('incrbyfloat','fl','1.5')} 0
        assert_equal [aof_incr_read aofpos] {}
        assert_equal [repl_stream_read $raw] {{SET fl 1.5 KEEPTTL}}
    }

    test {set_repl: a bad argument changes nothing} {
        assert_error {ERR Invalid replication flags*} {r eval {redis.set_repl(8)} 0}
        assert_error {ERR redis.set_repl() requires two arguments.*} {r eval {redis.set_repl()} 0}
    }

    $raw close

    test {set_repl: the copies hold what each was sent} {
        start_server {overrides {appendonly no}} {
            r replicaof [srv -1 host] [srv -1 port]
            set m [redis_client -1]
            wait_for_condition 100 100 {
                [getInfoProperty [r info replication] master_link_status] eq "up"
            } else {
                fail "the replica did not sync"
            }
            $m eval {
                redis.set_repl(redis.REPL_AOF) redis.call('set','only-aof','1')
                redis.set_repl(redis.REPL_REPLICA) redis.call('set','only-replica','1')
            } 0
            repl_wait_synced $m [srv client]
            assert_equal [r exists only-aof only-replica] 1
            assert_equal [r exists only-replica] 1
            $m debug loadaof
            assert_equal [$m exists only-aof] 1
            assert_equal [$m exists only-replica] 0
            $m close
        }
    }
}

start_server {tags {repl scripting external:skip} overrides {appendonly no repl-diskless-sync no}} {
    test {set_repl: without an AOF, REPL_AOF commands are not counted for MULTI/EXEC} {
        set raw [raw_replica]
        repl_stream_read $raw
        r eval {
            redis.set_repl(redis.REPL_AOF) redis.call('set','x','1')
            redis.set_repl(redis.REPL_ALL) redis.call('set','y','2')
        } 0
        assert_equal [repl_stream_read $raw] {{SELECT 0} {set y 2}}
        $raw close
    }
}

# A replica whose primary is gone, with replica-serve-stale-data no: what
# scripts may run by their declared flags, and what their commands may do.
start_server {tags {repl scripting external:skip}} {
    r function load {#!lua name=lib
redis.register_function{function_name='fst', callback=function() return 1 end, flags={'no-writes','allow-stale'}}
redis.register_function{function_name='fnw', callback=function() return 1 end, flags={'no-writes'}}
redis.register_function{function_name='fw', callback=function() return 1 end}
redis.register_function{function_name='fget', callback=function() return redis.call('get','x') end, flags={'no-writes','allow-stale'}}
}
    set stale_sha [r script load "#!lua flags=no-writes,allow-stale\nreturn 2"]
    set plain_sha [r script load {return 3}]
    r config set replica-serve-stale-data no
    # Port 1 refuses: the link stays down.
    r replicaof 127.0.0.1 1
    set masterdown {MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.}

    test {allow-stale: only scripts declaring it run on a stale replica} {
        assert_error $masterdown {r eval {return 1} 0}
        assert_error $masterdown {r evalsha $plain_sha 0}
        assert_error $masterdown {r eval "#!lua flags=no-writes\nreturn 1" 0}
        assert_equal [r eval "#!lua flags=no-writes,allow-stale\nreturn 1" 0] 1
        assert_equal [r eval_ro "#!lua flags=no-writes,allow-stale\nreturn 1" 0] 1
        assert_equal [r evalsha $stale_sha 0] 2
        assert_equal [r fcall fst 0] 1
        assert_error $masterdown {r fcall_ro fnw 0}
        # A script that may write is refused as a write first.
        assert_error {READONLY You can't write against a read only replica.} {r eval "#!lua\nreturn 1" 0}
        assert_error {READONLY You can't write against a read only replica.} {r eval "#!lua flags=allow-stale\nreturn 1" 0}
        assert_error {READONLY You can't write against a read only replica.} {r fcall_ro fw 0}
        # Unknown scripts and functions fail on their own.
        assert_error {NOSCRIPT*} {r evalsha 3a3b7d5c1c1ca8bc0a7b1c1b0d9a1a3f0c2e0d71 0}
    }

    test {allow-stale: inside, only commands flagged stale run} {
        assert_equal [r eval "#!lua flags=no-writes,allow-stale\nreturn redis.call('echo','x')" 0] x
        assert_error {ERR Can not execute the command on a stale replica script: *, on @user_script:2.} \
            {r eval "#!lua flags=no-writes,allow-stale\nreturn redis.call('get','x')" 0}
        assert_error {ERR Can not execute the command on a stale replica script: fget, on @user_function:5.} \
            {r fcall fget 0}
        assert_error {ERR Can not execute the command on a stale replica} \
            {r eval "#!lua flags=no-writes,allow-stale\nreturn redis.pcall('set','x','y')" 0}
    }

    test {allow-stale: a refused script dooms its transaction} {
        r multi
        assert_error $masterdown {r eval "#!lua flags=no-writes\nreturn 1" 0}
        assert_error {EXECABORT*} {r exec}
    }

    test {Scripts on a read-only replica serving stale data} {
        r config set replica-serve-stale-data yes
        assert_error {READONLY You can't write against a read only replica. script: *, on @user_script:1.} \
            {r eval {return redis.call('set','x','1')} 0}
        assert_error {READONLY You can't write against a read only replica.} \
            {r eval {return redis.pcall('set','x','1')} 0}
        assert_error {READONLY You can't write against a read only replica.} {r fcall fw 0}
        assert_equal [r eval {return redis.call('get','x')} 0] {}
        r config set replica-read-only no
        assert_equal [r eval "#!lua\nreturn redis.call('set','x','1')" 0] OK
        r config set replica-read-only yes
        r config set replica-serve-stale-data no
        r replicaof no one
    }
}

# What the server's state refuses to a script without shebang, command by
# command (a script with flags is refused before it runs): persistence
# errors and min-replicas-to-write, unless the script wrote already.
start_server {tags {repl scripting external:skip} overrides {appendonly yes appendfsync everysec}} {
    test {A script's writes get MISCONF while the AOF cannot be written} {
        r set k1 v1
        r debug aof-write-fault enospc
        r set k2 v2
        # The failed write may wait behind a running everysec fsync.
        wait_for_condition 50 100 {
            [string match "*\r\naof_last_write_status:err\r\n*" [r info persistence]]
        } else {
            fail "the AOF write error was not seen"
        }
        assert_error {MISCONF Errors writing to the AOF file: No space left on device script: *} \
            {r eval {return redis.call('set','x','1')} 0}
        assert_error {MISCONF Errors writing to the AOF file: No space left on device} \
            {r eval {return redis.pcall('set','x','1')} 0}
        assert_equal [r eval {return redis.call('get','k1')} 0] v1
        r debug aof-write-fault off
        wait_for_condition 50 100 {
            [string match "*\r\naof_last_write_status:ok\r\n*" [r info persistence]]
        } else {
            fail "the AOF write error did not clear"
        }
    }

    test {A script's writes get NOREPLICAS below min-replicas-to-write} {
        r config set min-replicas-to-write 1
        assert_error {NOREPLICAS Not enough good replicas to write. script: *} \
            {r eval {return redis.call('set','x','1')} 0}
        assert_error {NOREPLICAS Not enough good replicas to write.} \
            {r eval {return redis.pcall('set','x','1')} 0}
        assert_error {NOREPLICAS Not enough good replicas to write.} {r eval "#!lua\nreturn 1" 0}
        assert_equal [r eval "#!lua flags=no-writes\nreturn redis.call('get','k1')" 0] v1
        r config set min-replicas-to-write 0
    }
}
