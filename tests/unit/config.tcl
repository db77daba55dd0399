# CONFIG GET / SET / REWRITE / RESETSTAT / HELP.

start_server {tags {config}} {
    test {CONFIG GET a single parameter} {
        assert_equal [r config get maxmemory] {maxmemory 0}
        assert_equal [r config get databases] {databases 16}
        assert_equal [r config get port] [list port [srv port]]
    }

    tags {external:skip} {
        test {CONFIG GET reflects the config file} {
            assert_equal [r config get appendonly] {appendonly no}
            assert_equal [r config get save] {save {}}
            assert_equal [r config get loglevel] {loglevel verbose}
            assert_equal [r config get dir] [list dir [srv dir]]
        }
    }

    test {CONFIG GET is case insensitive and echoes the name as asked} {
        assert_equal [r config get MAXMEMORY] {MAXMEMORY 0}
        assert_equal [r config get MaxMemory-Policy] {MaxMemory-Policy noeviction}
    }

    test {CONFIG GET with a glob pattern} {
        set cfg [r config get maxmemory*]
        assert_equal [lsort [dict keys $cfg]] \
            {maxmemory maxmemory-clients maxmemory-eviction-tenacity maxmemory-policy maxmemory-samples}
        assert_equal [dict get $cfg maxmemory-policy] noeviction
        assert_equal [dict get $cfg maxmemory-samples] 5
    }

    test {CONFIG GET with several patterns} {
        set cfg [r config get maxmemory hz]
        assert_equal [lsort [dict keys $cfg]] {hz maxmemory}
        # A parameter matched twice is listed once.
        assert_equal [r config get hz hz] {hz 10}
    }

    test {CONFIG GET of an unknown parameter is an empty list} {
        assert_equal [r config get no-such-parameter] {}
    }

    test {CONFIG GET arity} {
        assert_error {ERR wrong number of arguments for 'config|get' command} {r config get}
    }

    test {CONFIG SET then CONFIG GET} {
        assert_equal [r config set maxmemory 10mb] OK
        assert_equal [r config get maxmemory] {maxmemory 10485760}
        r config set maxmemory 0
        assert_equal [r config set maxmemory-policy allkeys-lru] OK
        assert_equal [r config get maxmemory-policy] {maxmemory-policy allkeys-lru}
        r config set maxmemory-policy noeviction
    }

    test {CONFIG SET of several parameters at once} {
        assert_equal [r config set maxmemory 20mb maxmemory-policy allkeys-lfu] OK
        assert_equal [r config get maxmemory] {maxmemory 20971520}
        assert_equal [r config get maxmemory-policy] {maxmemory-policy allkeys-lfu}
        r config set maxmemory 0 maxmemory-policy noeviction
    }

    test {CONFIG SET of several parameters: one invalid value, nothing applied} {
        set e [assert_error * {r config set maxmemory 10mb maxmemory-policy foo}]
        assert_equal $e {ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction}
        assert_equal [r config get maxmemory] {maxmemory 0}
        assert_equal [r config get maxmemory-policy] {maxmemory-policy noeviction}
    }

    test {CONFIG SET of the same parameter twice} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter} \
            {r config set maxmemory 10mb maxmemory 20mb}
        assert_equal [r config get maxmemory] {maxmemory 0}
    }

    test {CONFIG SET with values that do not parse} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value} \
            {r config set maxmemory abc}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer} \
            {r config set hz abc}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'} \
            {r config set appendonly maybe}
    }

    test {CONFIG SET of an immutable parameter} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config} \
            {r config set daemonize yes}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config} \
            {r config set databases 8}
    }

    test {CONFIG SET of an unknown parameter} {
        assert_error {ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'} \
            {r config set nosuch 1}
    }

    test {CONFIG SET arity} {
        assert_error {ERR wrong number of arguments for 'config|set' command} {r config set maxmemory}
        assert_error {ERR wrong number of arguments for 'config|set' command} {r config set}
    }

    test {CONFIG SET hz is clamped to 500} {
        r config set hz 1000
        assert_equal [r config get hz] {hz 500}
        r config set hz 10
    }

    test {CONFIG HELP} {
        set help [r config help]
        assert_equal [lindex $help 0] {CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [llength $help] 11
        assert_equal [lrange $help end-1 end] {HELP {    Prints this help.}}
    }

    test {Unknown CONFIG subcommand} {
        assert_error {ERR unknown subcommand 'foo'. Try CONFIG HELP.} {r config foo}
    }

    test {CONFIG RESETSTAT} {
        r set a b
        r get a
        assert_equal [r config resetstat] OK
        set stats [r info stats]
        assert_match "*total_commands_processed:1\r\n*" $stats
        assert_match "*total_connections_received:0\r\n*" $stats
        assert_error {ERR wrong number of arguments for 'config|resetstat' command} {r config resetstat x}
    }

    tags {external:skip} {
        test {CONFIG REWRITE keeps set values and user comments} {
            set conf [srv config_file]
            # A comment of our own, which the rewrite must keep.
            set f [open $conf a]
            puts $f "# ember-test: a comment that must survive"
            close $f
            r config set maxmemory 12mb
            r config set maxmemory-policy volatile-lru
            assert_equal [r config rewrite] OK
            set f [open $conf r]
            set text [read $f]
            close $f
            assert_match "*# ember-test: a comment that must survive\n*" $text
            assert_match "*\nmaxmemory 12mb\n*" $text
            assert_match "*\nmaxmemory-policy volatile-lru\n*" $text
            # Directives left at their defaults are not added.
            assert_no_match "*\nhz *" $text
        }

        test {CONFIG REWRITE: values survive a restart} {
            restart_server
            assert_equal [r config get maxmemory] {maxmemory 12582912}
            assert_equal [r config get maxmemory-policy] {maxmemory-policy volatile-lru}
            assert_equal [r config get loglevel] {loglevel verbose}
            assert_equal [r ping] PONG
        }

        test {CONFIG REWRITE twice gives the same file} {
            r config rewrite
            set f [open [srv config_file] r]
            set first [read $f]
            close $f
            r config rewrite
            set f [open [srv config_file] r]
            set second [read $f]
            close $f
            assert_equal $second $first
        }

        test {CONFIG REWRITE updates a line already in the file, even to the default} {
            r config set maxmemory-policy noeviction
            r config rewrite
            set f [open [srv config_file] r]
            set text [read $f]
            close $f
            assert_match "*\nmaxmemory-policy noeviction\n*" $text
            assert_no_match "*volatile-lru*" $text
            assert_match "*# ember-test: a comment that must survive\n*" $text
        }
    }
}

start_server {tags {config} overrides {maxmemory 5mb hz 20}} {
    test {Overrides from the config file show in CONFIG GET} {
        assert_equal [r config get maxmemory] {maxmemory 5242880}
        assert_equal [r config get hz] {hz 20}
    }
}

start_server {tags {config} args {--hz 30 --maxmemory-policy allkeys-random}} {
    test {Command-line options are applied after the config file} {
        assert_equal [r config get hz] {hz 30}
        assert_equal [r config get maxmemory-policy] {maxmemory-policy allkeys-random}
    }
}

# A directive of several words given as one quoted argument is split into
# its words, in a config file and on the command line, as Redis does.
start_server {tags {config} overrides {
        save {"3600 1 300 100"}
        client-output-buffer-limit {"pubsub 1mb 512kb 30"}
        oom-score-adj-values {"0 300 900"}
        latency-tracking-info-percentiles {"50 99.5"}
        bind {"127.0.0.1 -::1"}
        shutdown-on-sigint {"nosave now"}
        replicaof {"127.0.0.1 1"}}} {
    test {Multi-word directives as one quoted argument in the config file} {
        assert_equal [r config get save] {save {3600 1 300 100}}
        assert_equal [r config get client-output-buffer-limit] \
            {client-output-buffer-limit {normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 30}}
        assert_equal [r config get oom-score-adj-values] {oom-score-adj-values {0 300 900}}
        assert_equal [r config get latency-tracking-info-percentiles] {latency-tracking-info-percentiles {50 99.5}}
        assert_equal [r config get bind] {bind {127.0.0.1 -::1}}
        assert_equal [r config get shutdown-on-sigint] {shutdown-on-sigint {nosave now}}
        assert_equal [r config get replicaof] {replicaof {127.0.0.1 1}}
    }
}

start_server {tags {config} args {
        --save "3600 1 300 100"
        --client-output-buffer-limit "normal 0 0 0"
        --oom-score-adj-values "0 200 800"
        --latency-tracking-info-percentiles "50 99"
        --bind "127.0.0.1 -::1"
        --shutdown-on-sigterm "nosave force"}} {
    test {Multi-word directives as one quoted command-line argument} {
        assert_equal [r config get save] {save {3600 1 300 100}}
        assert_equal [r config get client-output-buffer-limit] \
            {client-output-buffer-limit {normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60}}
        assert_equal [r config get oom-score-adj-values] {oom-score-adj-values {0 200 800}}
        assert_equal [r config get latency-tracking-info-percentiles] {latency-tracking-info-percentiles {50 99}}
        assert_equal [r config get bind] {bind {127.0.0.1 -::1}}
        assert_equal [r config get shutdown-on-sigterm] {shutdown-on-sigterm {nosave force}}
        assert_equal [r ping] PONG
    }

    test {CONFIG SET of multi-word directives takes the words in one argument} {
        assert_equal [r config set save "100 10 200 20"] OK
        assert_equal [r config get save] {save {100 10 200 20}}
        assert_equal [r config set client-output-buffer-limit "normal 1 2 3 pubsub 4 5 6"] OK
        assert_equal [r config get client-output-buffer-limit] \
            {client-output-buffer-limit {normal 1 2 3 slave 268435456 67108864 60 pubsub 4 5 6}}
        assert_equal [r config set oom-score-adj-values "10 20 30"] OK
        assert_equal [r config get oom-score-adj-values] {oom-score-adj-values {10 20 30}}
        assert_equal [r config set latency-tracking-info-percentiles "1 2.5 100"] OK
        assert_equal [r config get latency-tracking-info-percentiles] {latency-tracking-info-percentiles {1 2.5 100}}
        assert_equal [r config set shutdown-on-sigint "save now"] OK
        assert_equal [r config get shutdown-on-sigint] {shutdown-on-sigint {save now}}
        assert_equal [r config set bind "127.0.0.1 -::1"] OK
        assert_equal [r config get bind] {bind {127.0.0.1 -::1}}
        assert_equal [r ping] PONG
        assert_error {ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments} \
            {r config set oom-score-adj-values "1 2"}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.} \
            {r config set client-output-buffer-limit "normal 1 2"}
    }
}

# Whether a TCP connection to the port is accepted.
proc tcp_accepts {port} {
    if {[catch {socket 127.0.0.1 $port} fd]} { return 0 }
    close $fd
    return 1
}

start_server {tags {config external:skip} overrides {unixsocket ember-bind.sock}} {
    test {CONFIG SET bind "" closes every TCP listener; the unix socket stays} {
        set sock [file join [srv dir] ember-bind.sock]
        assert_equal [tcp_accepts [srv port]] 1
        assert_equal [r config set bind ""] OK
        assert_equal [r config get bind] {bind {}}
        assert_equal [tcp_accepts [srv port]] 0
        assert_equal [exec redis-cli -s $sock ping] PONG
        # Clients already connected over TCP are kept.
        assert_equal [r ping] PONG
        assert_equal [r config set bind 127.0.0.1] OK
        assert_equal [tcp_accepts [srv port]] 1
    }
}

start_server {tags {config external:skip}} {
    test {requirepass is binary-safe: a NUL byte does not cut it} {
        assert_equal [r config set requirepass "abc\x00def"] OK
        assert_equal [r config get requirepass] [list requirepass "abc\x00def"]
        set c [redis_client]
        assert_error {WRONGPASS*} {$c auth abc}
        assert_error {NOAUTH*} {$c ping}
        assert_equal [$c auth "abc\x00def"] OK
        assert_equal [$c ping] PONG
        $c close
    }

    test {CONFIG REWRITE writes a binary password escaped, and it loads back} {
        assert_equal [r config rewrite] OK
        set f [open [srv config_file] r]
        set text [read $f]
        close $f
        assert_match "*\nrequirepass \"abc\\\\x00def\"\n*" $text
        restart_server
        assert_error {WRONGPASS*} {r auth abc}
        assert_equal [r auth "abc\x00def"] OK
        assert_equal [r config get requirepass] [list requirepass "abc\x00def"]
    }

    test {masterauth is binary-safe too} {
        assert_equal [r config set masterauth "x\x00y"] OK
        assert_equal [r config get masterauth] [list masterauth "x\x00y"]
        r config set masterauth ""
        r config set requirepass ""
    }
}
