# Transactions: MULTI/EXEC/DISCARD, the errors that abort them and those
# that do not, WATCH and every way a watched key can change (writes by
# another client, expiry, FLUSHDB, FLUSHALL, SWAPDB), the RESP2 and RESP3
# null of an aborted EXEC, the statistics of queued and refused commands,
# CLIENT LIST's multi fields, maxmemory and CLIENT PAUSE at EXEC time, and
# the propagated stream (taken from the append-only file of Redis 7.0.15).

proc multi_info_line {section name} {
    foreach line [split [r info $section] "\r\n"] {
        if {[string first "$name:" $line] == 0} {
            return [string range $line [expr {[string length $name] + 1}] end]
        }
    }
    return ""
}

# rejected_calls and failed_calls of a command, as "R F".
proc multi_rejected_failed {cmd} {
    set line [multi_info_line commandstats cmdstat_$cmd]
    if {$line eq ""} { return "" }
    regexp {rejected_calls=(\d+),failed_calls=(\d+)} $line _ rej fail
    return "$rej $fail"
}

# The value of field in the CLIENT LIST line of the client named name.
proc multi_client_field {name field} {
    foreach line [split [r client list] "\n"] {
        if {[string match "* name=$name *" $line]} {
            regexp " $field=(\[^ \]*)" $line _ v
            return $v
        }
    }
    return ""
}

start_server {tags {multi}} {
    test {MULTI queues commands and EXEC answers every reply in order} {
        r del k l
        assert_equal [r multi] OK
        assert_equal [r set k v] QUEUED
        assert_equal [r lpush k a] QUEUED
        assert_equal [r get k] QUEUED
        r exec
    } {OK {WRONGTYPE Operation against a key holding the wrong kind of value} v}

    test {An empty transaction answers an empty array} {
        r multi
        r exec
    } {}

    test {EXEC, DISCARD without MULTI, nested MULTI, WATCH inside MULTI} {
        assert_error {ERR EXEC without MULTI} {r exec}
        assert_error {ERR DISCARD without MULTI} {r discard}
        r multi
        assert_error {ERR MULTI calls can not be nested} {r multi}
        assert_error {ERR WATCH inside MULTI is not allowed} {r watch x}
        r ping
        # Neither error dooms the transaction.
        r exec
    } {PONG}

    test {An arity error while queueing aborts EXEC} {
        r del k
        r multi
        assert_error {ERR wrong number of arguments for 'set' command} {r set k}
        r set k v
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        r exists k
    } {0}

    test {An unknown command while queueing aborts EXEC} {
        r multi
        assert_error {ERR unknown command 'nosuch', with args beginning with: '1' } {r nosuch 1}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    }

    test {A command flagged no-multi is refused inside MULTI and aborts EXEC} {
        r multi
        assert_error {ERR Command not allowed inside a transaction} {r shutdown nosave abort}
        assert_error {EXECABORT*} {r exec}
        r ping
    } {PONG}

    test {A wrong arity of EXEC itself discards the transaction} {
        r multi
        assert_error {EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command} {r exec x}
        assert_error {ERR EXEC without MULTI} {r exec}
    }

    test {DISCARD drops the queue; a wrong DISCARD keeps the transaction} {
        r del k
        r multi
        r set k v
        assert_error {ERR wrong number of arguments for 'discard' command} {r discard x}
        assert_equal [r discard] OK
        assert_error {ERR EXEC without MULTI} {r exec}
        r exists k
    } {0}

    test {Queued commands are counted when EXEC runs them, refused ones at once} {
        r config resetstat
        r multi
        catch {r set k}
        catch {r nosuch}
        catch {r exec}
        r multi
        r set k v
        r lpush k a
        r exec
        catch {r exec}
        catch {r discard}
        # config resetstat, multi, exec, multi, set, lpush, exec, exec, discard.
        assert_equal [s total_commands_processed] 9
        assert_equal [multi_rejected_failed set] {1 0}
        assert_equal [multi_rejected_failed lpush] {0 1}
        # EXECABORT and EXEC without MULTI; not the WRONGTYPE inside.
        assert_equal [multi_rejected_failed exec] {0 2}
        assert_equal [multi_rejected_failed discard] {0 1}
        assert_match {calls=3,*} [multi_info_line commandstats cmdstat_exec]
        assert_equal [multi_info_line errorstats errorstat_EXECABORT] {count=1}
        assert_equal [multi_info_line errorstats errorstat_WRONGTYPE] {count=1}
        assert_equal [multi_info_line errorstats errorstat_ERR] {count=4}
        s total_error_replies
    } {6}

    test {A blocking command inside MULTI behaves as its non-blocking form} {
        r del l
        r multi
        r blpop l 0
        r lpush l a
        r brpop l 0
        r exec
    } {{} 1 {l a}}

    test {CLIENT LIST shows flags=x, multi=N and multi-mem while queueing} {
        set c [redis_client]
        $c client setname queuer
        assert_equal [multi_client_field queuer multi] -1
        $c multi
        assert_equal [multi_client_field queuer flags] x
        assert_equal [multi_client_field queuer multi] 0
        $c set a 1
        assert_equal [multi_client_field queuer multi] 1
        assert_equal [multi_client_field queuer multi-mem] 29
        $c set a 12345678901234567890
        assert_equal [multi_client_field queuer multi-mem] 77
        catch {$c set a}
        # A doomed transaction stores nothing more.
        $c set b 2
        assert_equal [multi_client_field queuer multi] 2
        catch {$c exec}
        assert_equal [multi_client_field queuer multi] -1
        assert_equal [multi_client_field queuer multi-mem] 0
        $c close
    }

    test {WATCH: a write by another client makes EXEC answer a null array} {
        r del w
        set c [redis_client]
        r watch w
        $c set w 1
        r multi
        r ping
        set reply [r exec]
        $c close
        set reply
    } {}

    test {WATCH: a dirty watcher shows flags=xd in CLIENT LIST} {
        set c [redis_client]
        $c client setname watcher
        $c watch w
        r set w 2
        $c multi
        assert_equal [multi_client_field watcher flags] xd
        assert_equal [$c exec] {}
        $c close
    }

    test {WATCH: untouched keys let EXEC run; UNWATCH and EXEC forget them} {
        r del w
        r watch w
        r multi
        r set w 1
        assert_equal [r exec] OK
        r watch w
        r set w 2
        r unwatch
        r multi
        r ping
        assert_equal [r exec] PONG
        # The keys watched before EXEC are gone once EXEC ran.
        r watch w
        r multi
        r exec
        r set w 3
        r multi
        r ping
        r exec
    } {PONG}

    test {WATCH: a write by the same client before MULTI aborts} {
        r watch s1
        r set s1 1
        r multi
        r ping
        r exec
    } {}

    test {WATCH: writes of the transaction itself do not abort it} {
        r set a 1
        r watch a
        r multi
        r set a 2
        r exec
    } {OK}

    test {WATCH: DEL of a missing key changes nothing} {
        r del a
        r watch a
        set c [redis_client]
        $c del a
        $c close
        r multi
        r ping
        r exec
    } {PONG}

    test {WATCH: DISCARD and RESET forget the watched keys} {
        set c [redis_client]
        r watch w
        r multi
        r discard
        $c set w x
        r multi
        r ping
        assert_equal [r exec] PONG
        r watch w
        assert_equal [r reset] RESET
        $c set w y
        assert_error {ERR EXEC without MULTI} {r exec}
        r multi
        r ping
        $c close
        r exec
    } {PONG}

    # The raw reply of an EXEC aborted by another client's write, on a
    # client speaking the given protocol.
    proc aborted_exec_raw {protocol} {
        set c [redis_client -protocol $protocol]
        set d [redis_client]
        $c watch w
        $d set w 1
        $c multi
        $c ping
        $c readraw 1
        set reply [$c exec]
        $c close
        $d close
        return $reply
    }

    test {RESP3: an aborted EXEC is a null} {
        aborted_exec_raw 3
    } {_}

    test {RESP2: an aborted EXEC is *-1} {
        aborted_exec_raw 2
    } {*-1}

    test {WATCH: a key expiring between WATCH and EXEC aborts it} {
        r debug set-active-expire 0
        r set e 1 px 100
        r watch e
        after 200
        r multi
        r ping
        set reply [r exec]
        r debug set-active-expire 1
        set reply
    } {}

    test {WATCH: a key deleted by active expiry aborts EXEC} {
        r flushall
        r set e 1 px 50
        r watch e
        wait_for_condition 100 20 {[r dbsize] == 0} else {
            fail "the key did not expire"
        }
        r multi
        r ping
        r exec
    } {}

    test {WATCH: a key already expired when watched changes nothing by its deletion} {
        r debug set-active-expire 0
        r set e 1 px 10
        after 50
        r watch e
        set c [redis_client]
        assert_equal [$c get e] {}
        $c close
        r multi
        r ping
        set reply [r exec]
        r debug set-active-expire 1
        set reply
    } {PONG}

    test {WATCH: a key already expired when watched, then written, aborts} {
        r debug set-active-expire 0
        r set e 1 px 10
        after 50
        r watch e
        set c [redis_client]
        $c set e 2
        $c close
        r multi
        r ping
        set reply [r exec]
        r debug set-active-expire 1
        set reply
    } {}

    test {WATCH: FLUSHDB aborts a watcher of an existing key} {
        set c [redis_client]
        r set fx 1
        r watch fx
        $c flushdb
        r multi
        r ping
        assert_equal [r exec] {}
        # A key that did not exist is not changed by the flush.
        r watch nx
        $c flushdb
        r multi
        r ping
        assert_equal [r exec] PONG
        # Nor is a key of another database.
        r set fx 1
        r watch fx
        $c select 1
        $c flushdb
        r multi
        r ping
        $c close
        r exec
    } {PONG}

    test {WATCH: FLUSHALL aborts a watcher of an existing key} {
        set c [redis_client]
        r set fa 1
        r watch fa
        $c flushall
        $c close
        r multi
        r ping
        r exec
    } {}

    test {WATCH: SWAPDB aborts when the key appears or disappears} {
        r flushall
        set c [redis_client]
        r watch sx
        $c select 1
        $c set sx 1
        $c swapdb 0 1
        r multi
        r ping
        assert_equal [r exec] {}
        r flushall
        r watch sy
        $c swapdb 0 1
        r multi
        r ping
        $c close
        r exec
    } {PONG}

    test {A client closed while watching and queueing leaves nothing behind} {
        set c [redis_client]
        $c watch w1 w2 w3
        $c multi
        $c set w1 1
        $c close
        set d [redis_client]
        $d watch w1
        r set w1 x
        r set w2 y
        r del w3
        $d multi
        $d ping
        assert_equal [$d exec] {}
        $d close
        r get w2
    } {y}

    test {Over maxmemory every queued command is refused and EXEC aborts} {
        r config resetstat
        set c [redis_client]
        r multi
        r set m1 1
        r get m1
        $c config set maxmemory 1
        catch {r exec} err
        $c config set maxmemory 0
        assert_equal $err "EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'."
        # EXEC of reads only runs.
        r multi
        r get m1
        $c config set maxmemory 1
        assert_equal [r exec] {{}}
        r multi
        catch {r get m1} err
        assert_equal $err "OOM command not allowed when used memory > 'maxmemory'."
        # CONFIG SET is a queued command too: the limit cannot be lifted.
        catch {r config set maxmemory 0} err
        assert_match {OOM *} $err
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        $c config set maxmemory 0
        $c close
        assert_equal [multi_rejected_failed exec] {1 1}
        assert_equal [multi_info_line errorstats errorstat_EXECABORT] {count=2}
        assert_equal [multi_info_line errorstats errorstat_OOM] {count=2}
    } {}

    test {CLIENT PAUSE WRITE holds an EXEC with writes and a queued write} {
        set c [redis_client]
        set d [redis_deferring_client]
        $d multi
        $d set p1 1
        $d read
        $d read
        $c client pause 5000 write
        $d exec
        wait_for_condition 100 10 {[string match {*flags=xb*cmd=exec*} [$c client list]]} else {
            fail "EXEC was not held"
        }
        assert_equal [$c get p1] {}
        $c client unpause
        assert_equal [$d read] {OK}
        $d close
        $c close
        r get p1
    } {1}

    test {A transaction with several writes is propagated once, inside MULTI/EXEC} {
        r flushall
        r debug propagation off
        r debug propagation on
        r multi
        r set t1 1
        r set t2 2
        r get t1
        r exec
        r debug propagation get
    } {{SELECT 0} MULTI {set t1 1} {set t2 2} EXEC}

    test {A transaction with one write propagates it alone; one that writes nothing, nothing} {
        r debug propagation off
        r debug propagation on
        r multi
        r get t1
        r exec
        r multi
        r set one 1
        r lpush one x
        r exec
        r multi
        r del nokey
        r exec
        r debug propagation get
    } {{SELECT 0} {set one 1}}

    test {Rewritten commands and lazy expiry inside a transaction} {
        r debug set-active-expire 0
        r set ex 1 px 10
        after 50
        r debug propagation off
        r debug propagation on
        r multi
        r get ex
        r set zz 1
        r lpush l a
        r blpop l 0
        r exec
        set s [r debug propagation get]
        r debug set-active-expire 1
        set s
    } {{SELECT 0} MULTI {DEL ex} {set zz 1} {lpush l a} {LPOP l} EXEC}

    test {SELECT inside a transaction is propagated before the write} {
        r debug propagation off
        r debug propagation on
        r multi
        r select 1
        r set d1 1
        r select 0
        r exec
        r debug propagation get
    } {{SELECT 1} {set d1 1}}
}
