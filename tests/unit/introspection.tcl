# MONITOR: the line format, what is shown and what is not, redaction, and
# how a monitoring connection behaves.

proc monitor_addr {c} {
    regexp {addr=(\S+)} [$c client info] -> addr
    return $addr
}

# Reads one line from monitor m and checks its timestamp; returns the rest,
# from the opening '[' on.
proc monitor_line {m} {
    set line [$m read]
    assert_match {[0-9]*.[0-9][0-9][0-9][0-9][0-9][0-9] \[*} $line
    return [string range $line [string first {[} $line] end]
}

start_server {tags {introspection}} {
    test {MONITOR replies OK, then shows the commands of other clients} {
        set addr [monitor_addr r]
        set m [redis_deferring_client]
        $m monitor
        assert_equal [$m read] OK
        r set foo bar
        r get foo
        r select 9
        r ping
        r select 0
        assert_equal [monitor_line $m] "\[0 $addr\] \"set\" \"foo\" \"bar\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"get\" \"foo\""
        assert_equal [monitor_line $m] "\[9 $addr\] \"select\" \"9\""
        assert_equal [monitor_line $m] "\[9 $addr\] \"ping\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"select\" \"0\""
        $m close
    }

    test {MONITOR quotes binary arguments} {
        set addr [monitor_addr r]
        set m [redis_deferring_client]
        $m monitor
        $m read
        r set "a\x00b" "x\n\"y\\z\xff"
        assert_equal [monitor_line $m] "\[0 $addr\] \"set\" \"a\\x00b\" \"x\\n\\\"y\\\\z\\xff\""
        $m close
    }

    test {MONITOR redacts AUTH and HELLO AUTH passwords} {
        set addr [monitor_addr r]
        set m [redis_deferring_client]
        $m monitor
        $m read
        catch {r auth secret}
        catch {r auth someone secret}
        r hello 2 auth default "" setname mon
        r client setname ""
        assert_equal [monitor_line $m] "\[0 $addr\] \"auth\" \"(redacted)\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"auth\" \"(redacted)\" \"(redacted)\""
        assert_equal [monitor_line $m] \
            "\[0 $addr\] \"hello\" \"2\" \"auth\" \"(redacted)\" \"(redacted)\" \"setname\" \"mon\""
        $m close
    }

    test {MONITOR hides refused commands and admin commands} {
        set addr [monitor_addr r]
        set m [redis_deferring_client]
        $m monitor
        $m read
        catch {r nosuchcommand x}
        catch {r get}
        r config get maxmemory
        r slowlog len
        r client list
        r echo last
        assert_equal [monitor_line $m] "\[0 $addr\] \"echo\" \"last\""
        $m close
    }

    test {MONITOR shows a transaction's commands before its EXEC} {
        set addr [monitor_addr r]
        set m [redis_deferring_client]
        $m monitor
        $m read
        r multi
        r set q 1
        r incr q
        r exec
        assert_equal [monitor_line $m] "\[0 $addr\] \"multi\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"set\" \"q\" \"1\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"incr\" \"q\""
        assert_equal [monitor_line $m] "\[0 $addr\] \"exec\""
        $m close
    }

    test {MONITOR inside MULTI is refused at EXEC} {
        r multi
        r monitor
        assert_equal [r exec] {{ERR MONITOR isn't allowed for DENY BLOCKING client}}
    }

    test {A monitor cannot touch the keyspace, is flagged O, and RESET ends monitoring} {
        set m [redis_client]
        set id [$m client id]
        $m monitor
        catch {$m get foo} err
        assert_equal $err "ERR Replica can't interact with the keyspace"
        assert_match {*flags=O *} [r client list id $id]
        assert_equal [$m reset] RESET
        assert_match {*flags=N *} [r client list id $id]
        assert_equal [$m get foo] bar
        $m close
    }

    test {A closed monitor is no longer fed} {
        set m [redis_client]
        $m monitor
        $m close
        r ping
        assert_equal [r ping] PONG
        assert_match {*flags=N *} [r client list]
    }
}
