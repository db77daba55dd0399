# PING, ECHO, QUIT and the generic errors for unknown or malformed commands.

start_server {tags {ping}} {
    test {PING replies PONG} {
        assert_equal [r ping] PONG
    }

    test {PING is a simple string reply} {
        assert_reply_raw [srv client] {ping} {+PONG}
    }

    test {PING with a message echoes it as a bulk string} {
        assert_equal [r ping hello] hello
        assert_reply_raw [srv client] {ping hello} {$5 hello}
    }

    test {PING with two arguments is a wrong arity error} {
        assert_error {ERR wrong number of arguments for 'ping' command} {r ping a b}
    }

    test {ECHO returns its argument} {
        assert_equal [r echo "hello world"] "hello world"
        assert_equal [r echo ""] ""
        assert_reply_raw [srv client] {echo abc} {$3 abc}
    }

    test {ECHO with binary data round-trips} {
        set s "a\x00b\r\nc\xff"
        assert_equal [r echo $s] $s
    }

    test {ECHO wrong arity} {
        assert_error {ERR wrong number of arguments for 'echo' command} {r echo}
        assert_error {ERR wrong number of arguments for 'echo' command} {r echo a b}
    }

    test {Command names are case insensitive} {
        assert_equal [r PiNg] PONG
        assert_equal [r ECHO x] x
    }

    test {Unknown command error lists the first arguments} {
        set e [assert_error {*} {r foo a b}]
        assert_equal $e {ERR unknown command 'foo', with args beginning with: 'a' 'b' }
    }

    test {Unknown command without arguments} {
        set e [assert_error {*} {r foo}]
        assert_equal $e {ERR unknown command 'foo', with args beginning with: }
    }

    test {Unknown command error is sent as a simple error, byte for byte} {
        assert_reply_raw [srv client] {foo a b} \
            [list "-ERR unknown command 'foo', with args beginning with: 'a' 'b' "]
    }

    test {Unknown subcommand of a container command} {
        assert_error {ERR unknown subcommand 'foo'. Try CONFIG HELP.} {r config foo}
        assert_error {ERR unknown subcommand 'foo'. Try CLIENT HELP.} {r client foo}
    }

    test {Wrong arity of a known command} {
        assert_error {ERR wrong number of arguments for 'get' command} {r get}
        assert_error {ERR wrong number of arguments for 'set' command} {r set foo}
    }

    test {The connection is still usable after errors} {
        catch {r foo}
        catch {r get}
        assert_equal [r ping] PONG
    }

    test {QUIT replies OK and closes the connection} {
        set c [redis_client]
        assert_equal [$c quit] OK
        assert_equal [connection_closed $c] 1
        $c close
    }

    test {QUIT after pipelined commands: earlier replies come first} {
        set c [redis_deferring_client]
        $c ping
        $c echo x
        $c quit
        assert_equal [$c read] PONG
        assert_equal [$c read] x
        assert_equal [$c read] OK
        assert_equal [connection_closed $c] 1
        $c close
    }
}
