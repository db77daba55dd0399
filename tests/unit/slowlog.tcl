# SLOWLOG: what is logged, how entries are trimmed, GET/LEN/RESET/HELP.

start_server {tags {slowlog} overrides {slowlog-log-slower-than 1000000}} {
    test {SLOWLOG logs a command at or over slowlog-log-slower-than} {
        r slowlog reset
        r debug sleep 0
        assert_equal [r slowlog len] 0
        r config set slowlog-log-slower-than 100000
        r debug sleep 0.2
        assert_equal [r slowlog len] 1
        set e [lindex [r slowlog get] 0]
        assert_equal [llength $e] 6
        assert_equal [lindex $e 3] {debug sleep 0.2}
        assert_range [lindex $e 2] 200000 1000000
        assert_range [lindex $e 1] [expr {[clock seconds] - 5}] [expr {[clock seconds] + 1}]
        assert_match {127.0.0.1:*} [lindex $e 4]
        assert_equal [lindex $e 5] {}
    }

    test {SLOWLOG entries carry the client name and increasing ids} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r client setname slowone
        r ping
        set entries [r slowlog get 2]
        assert_equal [lindex $entries 0 3] {ping}
        assert_equal [lindex $entries 0 5] slowone
        assert_equal [lindex $entries 1 3] {client setname slowone}
        assert_equal [lindex $entries 1 5] slowone
        assert_equal [expr {[lindex $entries 0 0] - [lindex $entries 1 0]}] 1
        r client setname ""
    }

    test {SLOWLOG RESET empties the log but ids keep counting} {
        r config set slowlog-log-slower-than 0
        r ping
        set before [lindex [r slowlog get 1] 0 0]
        assert_equal [r slowlog reset] OK
        set entry [lindex [r slowlog get 1] 0]
        assert_equal [r slowlog len] 2
        assert_equal [lindex $entry 3] {slowlog reset}
        assert_equal [expr {[lindex $entry 0] - $before}] 2
    }

    test {SLOWLOG with a negative threshold logs nothing} {
        r config set slowlog-log-slower-than -1
        r slowlog reset
        r debug sleep 0.01
        assert_equal [r slowlog len] 0
    }

    test {SLOWLOG trims arguments: 32 at most, strings cut after 128 bytes} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r rpush biglist {*}[lrepeat 40 v]
        r set k [string repeat x 200]
        set entries [r slowlog get 2]
        set setargs [lindex $entries 0 3]
        assert_equal [lindex $setargs 2] "[string repeat x 128]... (72 more bytes)"
        set pushargs [lindex $entries 1 3]
        assert_equal [llength $pushargs] 32
        assert_equal [lindex $pushargs 30] v
        assert_equal [lindex $pushargs 31] {... (11 more arguments)}
    }

    test {SLOWLOG never shows passwords} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        catch {r auth someone secret}
        catch {r hello 2 auth someone secret setname n1}
        r config set masterauth hidden maxmemory 0
        set entries [r slowlog get 3]
        assert_equal [lindex $entries 0 3] {config set masterauth (redacted) maxmemory 0}
        assert_equal [lindex $entries 1 3] {hello 2 auth (redacted) (redacted) setname n1}
        assert_equal [lindex $entries 2 3] {auth (redacted) (redacted)}
        r config set masterauth ""
    }

    test {SLOWLOG GET count: default 10, -1 for all, 0 for none} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        for {set i 0} {$i < 15} {incr i} { r ping }
        assert_equal [llength [r slowlog get]] 10
        assert_equal [llength [r slowlog get -1]] 17
        assert_equal [r slowlog get 0] {}
        assert_equal [llength [r slowlog get 3]] 3
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get -2}
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get abc}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'GeT'. Try SLOWLOG HELP.} \
            {r slowlog GeT 1 extra}
    }

    test {SLOWLOG keeps at most slowlog-max-len entries, dropping the oldest} {
        r config set slowlog-log-slower-than 0
        r config set slowlog-max-len 3
        r slowlog reset
        r set a 1
        r set b 2
        r set c 3
        r set d 4
        assert_equal [r slowlog len] 3
        assert_equal [lindex [r slowlog get -1] end 3] {set c 3}
        r config set slowlog-max-len 0
        r ping
        assert_equal [r slowlog len] 0
        r config set slowlog-max-len 128
    }

    test {SLOWLOG logs a blocked command once, when it is served} {
        r config set slowlog-log-slower-than 0
        r del blist
        r slowlog reset
        set rd [redis_deferring_client]
        $rd blpop blist 5
        wait_for_condition 100 10 {[s blocked_clients] == 1} else { fail "client did not block" }
        r rpush blist x
        assert_equal [$rd read] {blist x}
        $rd close
        set cmds {}
        foreach e [r slowlog get -1] { lappend cmds [lindex $e 3] }
        assert_equal [lrange $cmds 0 1] {{blpop blist 5} {rpush blist x}}
        assert_equal [lindex $cmds end] {slowlog reset}
    }

    test {SLOWLOG HELP and a bad subcommand} {
        set help [r slowlog help]
        assert_equal [lindex $help 0] {SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help 1] {GET [<count>]}
        assert_equal [llength $help] 12
        assert_error {ERR unknown subcommand 'nope'. Try SLOWLOG HELP.} {r slowlog nope}
    }
}
