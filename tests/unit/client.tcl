# CLIENT subcommands: identity, names, listing, killing, reply modes, pausing.

# The field of a CLIENT INFO / CLIENT LIST line.
proc client_field {line field} {
    foreach kv [split [string trim $line] " "] {
        set eq [string first = $kv]
        if {[string range $kv 0 [expr {$eq - 1}]] eq $field} {
            return [string range $kv [expr {$eq + 1}] end]
        }
    }
    return ""
}

# Waits until the server lists exactly n clients (closed connections may take
# a moment to be noticed).
proc wait_clients {n} {
    wait_for_condition 100 20 {
        [llength [split [string trim [r client list]] "\n"]] == $n
    } else {
        fail "expected $n clients, have: [r client list]"
    }
}

set ::client_line_pattern {id=* addr=127.0.0.1:* laddr=127.0.0.1:* fd=* name=* age=* idle=* flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=* qbuf-free=* argv-mem=* multi-mem=* rbs=* rbp=* obl=* oll=* omem=* tot-mem=* events=r cmd=* user=default redir=-1 resp=2}

start_server {tags {client}} {
    test {CLIENT ID is a positive integer, different for each connection} {
        set id1 [r client id]
        assert {[string is integer -strict $id1] && $id1 > 0}
        set c [redis_client]
        set id2 [$c client id]
        assert {$id2 > $id1}
        $c close
    }

    test {CLIENT GETNAME is null before a name is set} {
        set c [redis_client]
        assert_equal [$c client getname] {}
        assert_reply_raw $c {client getname} [list {$-1}]
        $c close
    }

    test {CLIENT SETNAME and GETNAME} {
        set c [redis_client]
        assert_equal [$c client setname myconn] OK
        assert_equal [$c client getname] myconn
        assert_match {* name=myconn *} [$c client info]
        $c close
    }

    test {CLIENT SETNAME with an empty name removes the name} {
        set c [redis_client]
        $c client setname abc
        assert_equal [$c client setname ""] OK
        assert_equal [$c client getname] {}
        $c close
    }

    test {CLIENT SETNAME refuses names with spaces or newlines} {
        set msg {ERR Client names cannot contain spaces, newlines or special characters.}
        assert_error $msg {r client setname "a b"}
        assert_error $msg {r client setname "a\nb"}
    }

    test {CLIENT SETNAME and GETNAME arity} {
        assert_error {ERR wrong number of arguments for 'client|setname' command} {r client setname}
        assert_error {ERR wrong number of arguments for 'client|setname' command} {r client setname a b}
        assert_error {ERR wrong number of arguments for 'client|getname' command} {r client getname x}
        assert_error {ERR wrong number of arguments for 'client|id' command} {r client id x}
        assert_error {ERR wrong number of arguments for 'client|info' command} {r client info x}
    }

    test {CLIENT LIST line format} {
        set c [redis_client]
        set line [string trim [$c client list id [$c client id]]]
        assert_match $::client_line_pattern $line
        assert_equal [client_field $line cmd] client|list
        assert_equal [client_field $line id] [$c client id]
        $c close
    }

    test {CLIENT LIST lines end with a newline} {
        set out [r client list]
        assert_equal [string index $out end] "\n"
        foreach line [split [string trimright $out "\n"] "\n"] {
            assert_match {id=* resp=*} $line
        }
    }

    test {CLIENT LIST shows every connection} {
        set c1 [redis_client]
        set c2 [redis_client]
        $c1 client setname first
        $c2 client setname second
        set list [r client list]
        assert_match {*name=first *} $list
        assert_match {*name=second *} $list
        $c1 close
        $c2 close
    }

    test {CLIENT LIST TYPE and ID filters} {
        set id [r client id]
        set line [string trim [r client list id $id]]
        assert_equal [client_field $line id] $id
        assert_equal [r client list id 999999] {}
        assert_match "*id=$id *" [r client list type normal]
        assert_error {ERR Unknown client type 'foo'} {r client list type foo}
        assert_error {ERR Invalid client ID} {r client list id abc}
    }

    test {CLIENT INFO describes the current connection} {
        set info [r client info]
        assert_equal [string index $info end] "\n"
        assert_match $::client_line_pattern [string trim $info]
        assert_equal [client_field $info id] [r client id]
        assert_equal [client_field $info cmd] client|info
    }

    test {CLIENT INFO shows the selected database} {
        set c [redis_client]
        $c select 5
        assert_equal [client_field [$c client info] db] 5
        $c close
    }

    test {CLIENT HELP starts with the usage line} {
        set help [r client help]
        assert_equal [lindex $help 0] {CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help end] {    Prints this help.}
        # The line count follows the subcommands implemented so far.
        set c [redis_client]
        assert_reply_raw $c {client help} \
            [list "*[llength $help]" {+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}]
        $c close
    }

    test {Unknown CLIENT subcommand} {
        assert_error {ERR unknown subcommand 'foo'. Try CLIENT HELP.} {r client foo}
    }

    test {CLIENT REPLY OFF suppresses replies until CLIENT REPLY ON} {
        needs_commands incr
        set c [redis_deferring_client]
        $c client reply off
        $c set replyoff 1
        $c incr replyoff
        $c client reply on
        assert_equal [$c read] OK
        $c get replyoff
        assert_equal [$c read] 2
        $c close
    }

    test {CLIENT REPLY SKIP suppresses the reply of the next command only} {
        set c [redis_deferring_client]
        $c client reply skip
        $c set skipped 1
        $c ping
        assert_equal [$c read] PONG
        assert_equal [r get skipped] 1
        $c close
    }

    test {CLIENT REPLY ON right after SKIP or OFF answers +OK} {
        set c [redis_deferring_client]
        $c client reply skip
        $c client reply on
        $c ping
        assert_equal [$c read] OK
        assert_equal [$c read] PONG
        $c client reply off
        $c client reply skip
        $c ping
        $c client reply on
        $c ping
        assert_equal [$c read] OK
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT REPLY SKIP also hides an error of the next command} {
        set c [redis_deferring_client]
        $c client reply skip
        $c client reply foo
        $c client reply skip
        $c client reply
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT REPLY with a bad argument} {
        assert_error {ERR syntax error} {r client reply foo}
        assert_error {ERR wrong number of arguments for 'client|reply' command} {r client reply}
    }

    test {CLIENT NO-EVICT on and off} {
        set c [redis_client]
        assert_equal [$c client no-evict on] OK
        assert_equal [client_field [$c client info] flags] e
        assert_equal [$c client no-evict off] OK
        assert_equal [client_field [$c client info] flags] N
        assert_error {ERR syntax error} {$c client no-evict maybe}
        assert_error {ERR wrong number of arguments for 'client|no-evict' command} {$c client no-evict}
        $c close
    }

    test {CLIENT PAUSE WRITE delays writes from others while reads go on} {
        r set pausekey before
        set writer [redis_deferring_client]
        set reader [redis_client]
        assert_equal [r client pause 10000 write] OK
        $writer set pausekey after
        # The write is held: no reply yet.
        lassign [read_available $writer 300] data eof
        assert_equal $data ""
        # Reads are served.
        assert_equal [$reader get pausekey] before
        assert_equal [r client unpause] OK
        assert_equal [$writer read] OK
        assert_equal [$reader get pausekey] after
        $writer close
        $reader close
    }

    test {CLIENT PAUSE ends by itself after the timeout} {
        needs_commands incr
        set writer [redis_deferring_client]
        set start [clock milliseconds]
        r client pause 300 write
        $writer incr pausecounter
        assert_equal [$writer read] 1
        assert_morethan_equal [expr {[clock milliseconds] - $start}] 250
        $writer close
    }

    test {CLIENT PAUSE argument errors} {
        assert_error {ERR timeout is not an integer or out of range} {r client pause abc}
        assert_error {ERR timeout is negative} {r client pause -1}
        assert_error {ERR CLIENT PAUSE mode must be WRITE or ALL} {r client pause 100 foo}
        assert_error {ERR wrong number of arguments for 'client|unpause' command} {r client unpause x}
    }
}

start_server {tags {client}} {
    test {CLIENT KILL ip:port (old form)} {
        set c [redis_client]
        set addr [client_field [$c client info] addr]
        assert_equal [r client kill $addr] OK
        assert_equal [connection_closed $c] 1
        $c close
    }

    test {CLIENT KILL ip:port of no client} {
        assert_error {ERR No such client} {r client kill 1.2.3.4:5}
    }

    test {CLIENT KILL ID} {
        set c [redis_client]
        set id [$c client id]
        assert_equal [r client kill id $id] 1
        assert_equal [connection_closed $c] 1
        $c close
        assert_equal [r client kill id $id] 0
    }

    test {CLIENT KILL ADDR} {
        set c [redis_client]
        set addr [client_field [$c client info] addr]
        assert_equal [r client kill addr $addr] 1
        assert_equal [connection_closed $c] 1
        $c close
        assert_equal [r client kill addr 1.2.3.4:5] 0
    }

    test {CLIENT KILL LADDR skips the caller by default} {
        set c1 [redis_client]
        set c2 [redis_client]
        wait_clients 3
        set laddr [client_field [r client info] laddr]
        assert_equal [r client kill laddr $laddr] 2
        assert_equal [connection_closed $c1] 1
        assert_equal [connection_closed $c2] 1
        $c1 close
        $c2 close
        assert_equal [r ping] PONG
        assert_equal [r client kill laddr 1.1.1.1:1] 0
    }

    test {CLIENT KILL TYPE normal} {
        set c [redis_client]
        wait_clients 2
        assert_equal [r client kill type normal] 1
        assert_equal [connection_closed $c] 1
        $c close
        assert_equal [r client kill type master] 0
        assert_equal [r client kill type replica] 0
        assert_equal [r client kill type pubsub] 0
    }

    test {CLIENT KILL TYPE pubsub kills subscribers only} {
        needs_commands subscribe
        set sub [redis_deferring_client]
        $sub subscribe ch
        $sub read
        set plain [redis_client]
        wait_clients 3
        assert_equal [r client kill type pubsub] 1
        assert_equal [connection_closed $sub] 1
        assert_equal [$plain ping] PONG
        $sub close
        $plain close
    }

    test {CLIENT KILL USER} {
        set c [redis_client]
        wait_clients 2
        assert_equal [r client kill user default] 1
        assert_equal [connection_closed $c] 1
        $c close
        assert_error {ERR No such user 'nouser'} {r client kill user nouser}
    }

    test {CLIENT KILL SKIPME no kills the caller too} {
        set c [redis_client]
        set id [$c client id]
        assert_equal [$c client kill id $id skipme no] 1
        assert_equal [connection_closed $c] 1
        $c close
        # With the default (skipme yes) the caller is spared.
        set c [redis_client]
        assert_equal [$c client kill id [$c client id]] 0
        assert_equal [$c client kill id [$c client id] skipme yes] 0
        $c close
    }

    test {CLIENT KILL with several filters: all must match} {
        set c [redis_client]
        set id [$c client id]
        assert_equal [r client kill id $id type pubsub] 0
        assert_equal [r client kill id $id type normal user default] 1
        $c close
    }

    test {CLIENT KILL argument errors} {
        assert_error {ERR syntax error} {r client kill foo bar}
        assert_error {ERR Unknown client type 'foo'} {r client kill type foo}
        assert_error {ERR syntax error} {r client kill skipme maybe}
        assert_error {ERR client-id should be greater than 0} {r client kill id abc}
        assert_error {ERR wrong number of arguments for 'client|kill' command} {r client kill}
    }

    test {CLIENT KILL MAXAGE is not a Redis 7.0 filter} {
        # MAXAGE came with a later Redis version; 7.0 calls it a syntax error.
        assert_error {ERR syntax error} {r client kill maxage 1}
    }
}
