# Protected configs and commands: enable-protected-configs guards CONFIG SET
# of dir and dbfilename (the only protected configs of Redis 7.0),
# enable-debug-command guards DEBUG, enable-module-command guards MODULE
# LOAD, LOADEX and UNLOAD. Each takes no, yes or local; local means a client
# on the unix socket or from exactly 127.0.0.1 or ::1. The test clients
# connect from 127.0.0.1, so to them local is the same as yes: a client
# bound to 127.0.0.2 (loopback, yet not local) stands in for a remote one.
#
# Ember has no MODULE command: the MODULE tests need it and are skipped.

set ::debug_refused {ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.}
set ::module_refused {ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.}

proc protected_config_error {name} {
    return "ERR CONFIG SET failed (possibly related to argument '$name') - can't set protected config"
}

start_server {tags {protected} config minimal.conf} {
    test {enable-protected-configs, enable-debug-command and enable-module-command default to no} {
        list [r config get enable-protected-configs] [r config get enable-debug-command] \
            [r config get enable-module-command]
    } {{enable-protected-configs no} {enable-debug-command no} {enable-module-command no}}

    test {enable-protected-configs no: CONFIG SET of dir and dbfilename is refused} {
        set dir [lindex [r config get dir] 1]
        assert_error [protected_config_error dir] {r config set dir /tmp}
        # Even to the value it already has.
        assert_error [protected_config_error dir] {r config set dir $dir}
        assert_error [protected_config_error dbfilename] {r config set dbfilename other.rdb}
        assert_equal [r config get dir] [list dir $dir]
        r config get dbfilename
    } {dbfilename dump.rdb}

    test {A protected config among several in one CONFIG SET: nothing is applied} {
        assert_error [protected_config_error dir] {r config set maxmemory 1mb dir /tmp}
        r config get maxmemory
    } {maxmemory 0}

    test {enable-debug-command no: every DEBUG subcommand is refused} {
        assert_error $::debug_refused {r debug sleep 0}
        assert_error $::debug_refused {r debug help}
        r ping
    } PONG

    test {A refused DEBUG inside MULTI aborts the transaction} {
        r multi
        assert_error $::debug_refused {r debug sleep 0}
        assert_error {EXECABORT*} {r exec}
    }

    test {enable-module-command no: MODULE LIST runs, MODULE LOAD and UNLOAD are refused} {
        needs_commands module
        assert_equal [r module list] {}
        assert_error $::module_refused {r module load /nonexistent.so}
        assert_error $::module_refused {r module unload nosuch}
    }

    test {The three directives cannot be changed at runtime} {
        foreach name {enable-protected-configs enable-debug-command enable-module-command} {
            foreach value {yes local no} {
                assert_error "ERR CONFIG SET failed (possibly related to argument '$name') - can't set immutable config" \
                    {r config set $name $value}
            }
        }
        r config get enable-debug-command
    } {enable-debug-command no}
}

start_server {tags {protected} overrides {
        enable-protected-configs yes enable-debug-command yes enable-module-command yes}} {
    test {enable-protected-configs yes: dir and dbfilename can be set} {
        set dir [lindex [r config get dir] 1]
        file mkdir [file join $dir sub]
        assert_equal [r config set dir [file join $dir sub]] OK
        assert_equal [r config get dir] [list dir [file join $dir sub]]
        assert_equal [r config set dir $dir dbfilename other.rdb] OK
        assert_equal [r config get dir] [list dir $dir]
        r config get dbfilename
    } {dbfilename other.rdb}

    test {enable-debug-command yes: DEBUG runs} {
        r debug sleep 0
    } OK

    test {enable-module-command yes: MODULE UNLOAD runs} {
        needs_commands module
        assert_error {ERR Error unloading module: no such module with that name} {r module unload nosuch}
    }
}

# A raw connection bound to the given local address.
proc connect_from {myaddr} {
    set fd [socket -myaddr $myaddr [srv host] [srv port]]
    fconfigure $fd -translation binary -buffering none
    return $fd
}

# Sends one inline command on fd and returns the first line of the reply.
proc raw_command {fd cmd} {
    puts -nonewline $fd "$cmd\r\n"
    return [string trimright [gets $fd] "\r"]
}

start_server {tags {protected external:skip} overrides {
        enable-protected-configs local enable-debug-command local enable-module-command local
        bind {127.0.0.1 127.0.0.2} unixsocket ember-protected.sock}} {
    test {local: a client from 127.0.0.1 may set protected configs and run DEBUG} {
        set dir [lindex [r config get dir] 1]
        assert_equal [r config set dir $dir] OK
        r debug sleep 0
    } OK

    test {local: a client on the unix socket may too} {
        set path [file join [lindex [r config get dir] 1] ember-protected.sock]
        assert_equal [exec redis-cli -s $path debug sleep 0] OK
        exec redis-cli -s $path config set dbfilename local.rdb
    } OK

    test {local: a client from 127.0.0.2 is not local} {
        set fd [connect_from 127.0.0.2]
        set got [list [raw_command $fd "DEBUG SLEEP 0"] [raw_command $fd "CONFIG SET dir /tmp"] \
            [raw_command $fd "PING"]]
        close $fd
        set got
    } [list "-$::debug_refused" "-[protected_config_error dir]" +PONG]

    test {local: MODULE UNLOAD from 127.0.0.2 is refused, from 127.0.0.1 it runs} {
        needs_commands module
        set fd [connect_from 127.0.0.2]
        set remote [raw_command $fd "MODULE UNLOAD nosuch"]
        close $fd
        assert_equal $remote "-$::module_refused"
        assert_error {ERR Error unloading module: no such module with that name} {r module unload nosuch}
    }
}
