# MODULE on a server without a module API: LIST is empty, loads are refused.

start_server {tags {module}} {
    test {MODULE LIST is empty and INFO modules has no lines} {
        assert_equal [r module list] {}
        assert_equal [r info modules] "# Modules\r\n"
        set c [redis_client -protocol 3]
        $c readraw 1
        assert_equal [$c module list] {*0}
        $c close
    }

    test {MODULE LOAD, LOADEX and UNLOAD obey enable-module-command (no by default)} {
        assert_equal [lindex [r config get enable-module-command] 1] no
        set msg {ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.}
        assert_equal [assert_error {ERR*} {r module load /tmp/nosuch.so}] $msg
        assert_equal [assert_error {ERR*} {r module loadex /tmp/nosuch.so}] $msg
        assert_equal [assert_error {ERR*} {r module unload nosuch}] $msg
    }

    test {MODULE HELP and argument errors} {
        set help [r module help]
        assert_match {MODULE <subcommand> *} [lindex $help 0]
        foreach sub {LIST {LOAD <path> [<arg> ...]} {UNLOAD <name>} HELP} { assert_contains $help $sub }
        assert_error {ERR unknown subcommand 'foo'. Try MODULE HELP.} {r module foo}
        assert_error {ERR wrong number of arguments for 'module' command} {r module}
        assert_error {ERR wrong number of arguments for 'module|list' command} {r module list x}
        assert_error {ERR wrong number of arguments for 'module|load' command} {r module load}
    }
}

start_server {tags {module external:skip} overrides {enable-module-command yes}} {
    test {MODULE LOAD and LOADEX are refused: there is no module API} {
        assert_error {ERR Error loading the extension. This server has no module API*} {r module load /tmp/nosuch.so}
        assert_error {ERR Error loading the extension. This server has no module API*} \
            {r module loadex /tmp/nosuch.so CONFIG a b ARGS x}
        verify_log_message {*Module /tmp/nosuch.so not loaded: this server has no module API*}
        assert_equal [r module list] {}
    }

    test {MODULE UNLOAD finds no module} {
        assert_error {ERR Error unloading module: no such module with that name} {r module unload nosuch}
    }
}
