# The RESP request parser: multibulk and inline requests, protocol errors,
# requests split across reads, pipelining and big arguments.

start_server {tags {protocol}} {
    test {Arguments of every short length arrive byte for byte (keys and values)} {
        # Lengths 0 to 70 cross every size class of the argument objects
        # (and the 44-byte embedded-string limit); the bytes include NUL,
        # CR and LF, and differ at both ends so a short or shifted copy shows.
        r flushall
        for {set len 0} {$len <= 70} {incr len} {
            set v {}
            for {set i 0} {$i < $len} {incr i} { append v [format %c [expr {($i * 37 + $len) % 256}]] }
            set k "k[string reverse $v]"
            r set $k $v
            assert_equal $v [r get $k]
            assert_equal 1 [r exists $k]
            assert_equal $len [r strlen $k]
        }
        assert_equal 71 [r dbsize]
    }

    test {Invalid multibulk length: too big} {
        assert_protocol_error "*3000000000\r\n" {ERR Protocol error: invalid multibulk length}
    }

    test {Invalid multibulk length: not a number} {
        assert_protocol_error "*abc\r\n" {ERR Protocol error: invalid multibulk length}
    }

    test {Invalid bulk length: negative} {
        assert_protocol_error "*1\r\n\$-10\r\n" {ERR Protocol error: invalid bulk length}
    }

    test {Invalid bulk length: over proto-max-bulk-len} {
        assert_protocol_error "*1\r\n\$2000000000\r\n" {ERR Protocol error: invalid bulk length}
    }

    test {Invalid bulk length: not a number} {
        assert_protocol_error "*1\r\n\$abc\r\n" {ERR Protocol error: invalid bulk length}
    }

    test {Multibulk element not starting with a dollar} {
        assert_protocol_error "*1\r\nx\r\n" {ERR Protocol error: expected '$', got 'x'}
        assert_protocol_error "*2\r\n\$4\r\nPING\r\nfoo\r\n" {ERR Protocol error: expected '$', got 'f'}
    }

    test {Too big inline request} {
        assert_protocol_error [string repeat a 70000] {ERR Protocol error: too big inline request}
    }

    test {Unbalanced quotes in an inline request} {
        assert_protocol_error "set \"foo bar\r\n" {ERR Protocol error: unbalanced quotes in request}
    }

    test {Too big mbulk count string} {
        assert_protocol_error "*[string repeat 1 70000]" {ERR Protocol error: too big mbulk count string}
    }

    test {Too big bulk count string} {
        assert_protocol_error "*1\r\n\$[string repeat 1 70000]" {ERR Protocol error: too big bulk count string}
    }

    test {Replies to commands before a protocol error are delivered} {
        set c [redis_deferring_client]
        $c write "*1\r\n\$4\r\nPING\r\n*abc\r\n"
        $c flush
        assert_equal [$c read] PONG
        assert_error {ERR Protocol error: invalid multibulk length} {$c read}
        assert_equal [connection_closed $c] 1
        $c close
    }

    test {The server is fine after protocol errors} {
        assert_equal [r ping] PONG
    }

    test {Inline PING} {
        set c [redis_deferring_client]
        $c readraw 1
        $c write "PING\r\n"
        $c flush
        assert_equal [$c read] {+PONG}
        $c close
    }

    test {Inline command with quoted argument} {
        set c [redis_deferring_client]
        $c write "set a \"b c\"\r\nget a\r\n"
        $c flush
        assert_equal [$c read] OK
        assert_equal [$c read] {b c}
        $c close
    }

    test {Inline command with a bare LF terminator} {
        set c [redis_deferring_client]
        $c write "ECHO hello\n"
        $c flush
        assert_equal [$c read] hello
        $c close
    }

    test {Empty lines and empty multibulk are ignored} {
        set c [redis_deferring_client]
        $c write "\r\n\r\n*0\r\n\n*-1\r\nPING\r\n"
        $c flush
        assert_equal [$c read] PONG
        # Nothing else was replied and the connection is still open.
        lassign [read_available $c 200] data eof
        assert_equal $data ""
        assert_equal $eof 0
        $c close
    }

    test {Multibulk request sent one byte at a time} {
        set c [redis_deferring_client]
        set req "*3\r\n\$3\r\nSET\r\n\$9\r\nsplit-key\r\n\$11\r\nsplit-value\r\n"
        foreach byte [split $req ""] {
            $c write $byte
            $c flush
            after 1
        }
        assert_equal [$c read] OK
        assert_equal [r get split-key] split-value
        $c close
    }

    test {Inline request sent one byte at a time} {
        set c [redis_deferring_client]
        foreach byte [split "ECHO byte-by-byte\r\n" ""] {
            $c write $byte
            $c flush
            after 1
        }
        assert_equal [$c read] byte-by-byte
        $c close
    }

    test {Multibulk request split in two at every position} {
        set c [redis_deferring_client]
        set req "*2\r\n\$4\r\nECHO\r\n\$5\r\nhello\r\n"
        for {set i 1} {$i < [string length $req]} {incr i} {
            $c write [string range $req 0 [expr {$i - 1}]]
            $c flush
            after 2
            $c write [string range $req $i end]
            $c flush
            assert_equal [$c read] hello "(split at $i)"
        }
        $c close
    }

    test {Bulk argument with CR LF and NUL bytes inside} {
        set v "a\r\nb\x00c\r\n"
        r set binkey $v
        assert_equal [r get binkey] $v
        assert_equal [r strlen binkey] 8
    }

    test {A 10 MB argument round-trips through SET and GET} {
        set big [string repeat "0123456789" 1048576]
        assert_equal [r set bigkey $big] OK
        assert_equal [r strlen bigkey] 10485760
        set got [r get bigkey]
        assert_equal [string length $got] 10485760
        assert {$got eq $big}
        r del bigkey
    }

    test {A pipeline of 10000 commands in one write gets 10000 replies in order} {
        r del pipecounter
        set c [redis_deferring_client]
        set req ""
        for {set i 0} {$i < 10000} {incr i} {
            append req "*2\r\n\$4\r\nINCR\r\n\$11\r\npipecounter\r\n"
        }
        $c write $req
        $c flush
        set ok 1
        for {set i 1} {$i <= 10000} {incr i} {
            set reply [$c read]
            if {$reply != $i} {
                set ok 0
                break
            }
        }
        assert_equal $ok 1 "(reply $i was '$reply')"
        assert_equal [r get pipecounter] 10000
        $c close
    }

    test {Pipelined inline and multibulk requests mixed} {
        set c [redis_deferring_client]
        $c write "PING\r\n*2\r\n\$4\r\nECHO\r\n\$1\r\nx\r\nECHO y\r\n"
        $c flush
        assert_equal [$c read] PONG
        assert_equal [$c read] x
        assert_equal [$c read] y
        $c close
    }

    test {A negative multibulk count is an empty request and reserves nothing} {
        set c [redis_deferring_client]
        foreach count {-1 -2147483648 -2147483649 -4294967297 -9223372036854775808} {
            $c write "*$count\r\n"
        }
        # Multibulk PINGs: an inline request would replace the argv array.
        $c write "*1\r\n\$4\r\nPING\r\n"
        $c flush
        assert_equal [$c read] PONG
        # The connection is still open and its argv array stays small.
        assert_range [s used_memory] 0 [expr {100 * 1024 * 1024}]
        $c write "*1\r\n\$4\r\nPING\r\n"
        $c flush
        assert_equal [$c read] PONG
        $c close
    }

    test {Multibulk counts up to INT_MAX are accepted} {
        set c [redis_deferring_client]
        $c write "*2147483647\r\n"
        $c flush
        lassign [read_available $c 200] data eof
        assert_equal $data ""
        assert_equal $eof 0
        assert_range [s used_memory] 0 [expr {100 * 1024 * 1024}]
        $c close
        assert_protocol_error "*2147483648\r\n" {ERR Protocol error: invalid multibulk length}
    }

    test {A command with 1,100,000 arguments} {
        r del bigset
        set n 1100000
        set req "*[expr {$n + 2}]\r\n\$4\r\nSADD\r\n\$6\r\nbigset\r\n"
        for {set i 0} {$i < $n} {incr i} {
            append req "\$[string length $i]\r\n$i\r\n"
        }
        set c [redis_deferring_client]
        $c write $req
        $c flush
        assert_equal [$c read] $n
        $c close
        assert_equal [r scard bigset] $n
        assert_equal [r sismember bigset 1099999] 1
        r del bigset
    }

    test {An incomplete bulk header waits for its line before erroring} {
        set c [redis_deferring_client]
        $c write "*1\r\nx"
        $c flush
        lassign [read_available $c 200] data eof
        assert_equal $data ""
        assert_equal $eof 0
        $c write "\r\n"
        $c flush
        assert_error {ERR Protocol error: expected '$', got 'x'} {$c read}
        assert_equal [connection_closed $c] 1
        $c close
        # Without its end, the line errors only once it is over 64 KB.
        assert_protocol_error "*1\r\nx[string repeat a 70000]" {ERR Protocol error: too big bulk count string}
    }

    test {A NUL byte hides the end of an inline or header line} {
        foreach raw [list "PING\x00\r\n" "*1\x00\r\n\$4\r\nPING\r\n" "*1\r\n\$4\x00\r\nPING\r\n"] {
            set c [redis_deferring_client]
            $c write $raw
            $c write "PING\r\n"
            $c flush
            lassign [read_available $c 200] data eof
            assert_equal $data "" "(after [string map {\x00 \\0 \r \\r \n \\n} $raw])"
            assert_equal $eof 0
            $c close
        }
        assert_protocol_error "PING\x00\r\n[string repeat a 70000]" {ERR Protocol error: too big inline request}
        assert_protocol_error "*1\r\n\$3\x00[string repeat a 70000]" {ERR Protocol error: too big bulk count string}
    }

    test {Inline arguments split on space, tab, CR and LF only} {
        set c [redis_deferring_client]
        $c write "ECHO a\x0bb\r\nECHO c\x0cd\r\nECHO \x0b\x0c e\r\nECHO \"f\"\x0b\r\nECHO g\th\r\n"
        $c flush
        assert_equal [$c read] "a\x0bb"
        assert_equal [$c read] "c\x0cd"
        assert_equal [$c read] e
        assert_equal [$c read] f
        assert_error {ERR wrong number of arguments for 'echo' command} {$c read}
        $c close
    }

    test {Inline quoting: escapes, single quotes and errors} {
        set c [redis_deferring_client]
        $c write "ECHO \"a\\x41\\n\"\r\nECHO 'b\\'c'\r\nECHO x\"y z\"\r\n"
        $c flush
        assert_equal [$c read] "aA\n"
        assert_equal [$c read] "b'c"
        assert_equal [$c read] "xy z"
        $c close
        assert_protocol_error "ECHO \"a\"b\r\n" {ERR Protocol error: unbalanced quotes in request}
        assert_protocol_error "ECHO 'a\r\n" {ERR Protocol error: unbalanced quotes in request}
    }

    test {CR and LF at the ends of a formatted error text are dropped} {
        set c [redis_deferring_client]
        $c readraw 1
        $c write "*4\r\n\$6\r\nEXPIRE\r\n\$1\r\nk\r\n\$2\r\n10\r\n\$4\r\na\rb\r\r\n"
        $c write "*4\r\n\$6\r\nEXPIRE\r\n\$1\r\nk\r\n\$2\r\n10\r\n\$3\r\n\nc\n\r\n"
        $c flush
        assert_equal [$c read] {-ERR Unsupported option a b}
        assert_equal [$c read] {-ERR Unsupported option  c}
        $c close
    }

    test {proto-max-bulk-len set with CONFIG SET rejects a bigger bulk} {
        r config set proto-max-bulk-len 1048576
        assert_equal [r config get proto-max-bulk-len] {proto-max-bulk-len 1048576}
        # A bulk within the limit is fine.
        set c [redis_client]
        assert_equal [$c set within [string repeat x 1048576]] OK
        $c close
        assert_protocol_error "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$1048577\r\n" \
            {ERR Protocol error: invalid bulk length}
        r config set proto-max-bulk-len 536870912
    }
}

start_server {tags {protocol} overrides {requirepass secret}} {
    test {Before AUTH, counts over 10 and bulks over 16384 bytes are refused} {
        assert_protocol_error "*11\r\n" {ERR Protocol error: unauthenticated multibulk length}
        assert_protocol_error "*1\r\n\$16385\r\n" {ERR Protocol error: unauthenticated bulk length}
        set c [redis_deferring_client]
        $c write "*-2147483649\r\n*1\r\n\$4\r\nPING\r\n"
        $c flush
        assert_error {NOAUTH*} {$c read}
        $c close
    }

    test {After AUTH the limits are lifted} {
        set c [redis_deferring_client]
        $c write "*2\r\n\$4\r\nAUTH\r\n\$6\r\nsecret\r\n"
        $c write "*11\r\n\$5\r\nRPUSH\r\n\$1\r\nl\r\n"
        for {set i 0} {$i < 9} {incr i} { $c write "\$1\r\n$i\r\n" }
        $c write "*2\r\n\$4\r\nECHO\r\n\$16385\r\n[string repeat x 16385]\r\n"
        $c flush
        assert_equal [$c read] OK
        assert_equal [$c read] 9
        assert_equal [string length [$c read]] 16385
        $c close
    }
}

# An HTTP request on the port (a browser made to post to it) is taken for a
# cross protocol attack: logged, and the connection closed with no reply at
# all, not even for commands pipelined before it.
proc assert_closed_without_reply {raw} {
    set c [redis_deferring_client]
    $c write $raw
    $c flush
    lassign [read_available $c 2000] data eof
    $c close
    assert_equal $data ""
    assert_equal $eof 1
}

start_server {tags {protocol}} {
    test {POST is taken for an attack: no reply, the connection is closed} {
        assert_closed_without_reply "POST / HTTP/1.1\r\nHost: example.com\r\n\r\n"
        wait_for_log_lines {*Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis.*Connection aborted.*}
    }

    test {A Host: header line is taken for an attack too} {
        assert_closed_without_reply "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
        assert_closed_without_reply "Host: x\r\n"
    }

    test {The check ignores case and the request form} {
        assert_closed_without_reply "post / x\r\n"
        assert_closed_without_reply "*1\r\n\$4\r\nPOST\r\n"
        assert_closed_without_reply "PING\r\nPOST /\r\n"
    }

    test {The attack warning is logged at most once a minute} {
        assert_equal [count_log_lines {*Possible SECURITY ATTACK*}] 1
    }

    test {A command merely starting with POST is an unknown command} {
        set c [redis_client]
        assert_error {ERR unknown command 'postx', with args beginning with: } {$c postx}
        assert_equal [$c ping] PONG
        $c close
    }
}
