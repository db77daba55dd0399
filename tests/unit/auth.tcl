# AUTH and requirepass.

start_server {tags {auth}} {
    test {AUTH without a configured password} {
        assert_error {ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?} \
            {r auth foo}
    }

    test {AUTH with an unknown user} {
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {r auth nouser x}
    }

    test {AUTH arity} {
        assert_error {ERR wrong number of arguments for 'auth' command} {r auth}
        assert_error {ERR syntax error} {r auth a b c}
    }

    test {Without requirepass, commands need no AUTH} {
        set c [redis_client]
        assert_equal [$c ping] PONG
        $c close
    }
}

start_server {tags {auth} overrides {requirepass foobar}} {
    test {Commands before AUTH get NOAUTH} {
        set c [redis_client]
        assert_error {NOAUTH Authentication required.} {$c ping}
        assert_error {NOAUTH Authentication required.} {$c get x}
        assert_error {NOAUTH Authentication required.} {$c set x y}
        assert_reply_raw $c {ping} {{-NOAUTH Authentication required.}}
        $c close
    }

    test {AUTH with a wrong password} {
        set c [redis_client]
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {$c auth wrong}
        assert_error {NOAUTH Authentication required.} {$c ping}
        $c close
    }

    test {AUTH with the right password} {
        set c [redis_client]
        assert_equal [$c auth foobar] OK
        assert_equal [$c ping] PONG
        assert_equal [$c set x 1] OK
        $c close
    }

    test {AUTH with the default user name and the password} {
        set c [redis_client]
        assert_equal [$c auth default foobar] OK
        assert_equal [$c ping] PONG
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {$c auth default wrong}
        $c close
    }

    test {A failed AUTH after a good one keeps the connection authenticated} {
        set c [redis_client]
        $c auth foobar
        catch {$c auth wrong}
        assert_equal [$c ping] PONG
        $c close
    }

    test {QUIT works before AUTH} {
        set c [redis_client]
        assert_equal [$c quit] OK
        $c close
    }

    test {HELLO before AUTH} {
        set c [redis_client]
        assert_error {NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time} \
            {$c hello 3}
        $c close
    }

    test {HELLO 3 AUTH default <password>} {
        set c [redis_client]
        set reply [$c hello 3 auth default foobar]
        assert_equal [dict get $reply proto] 3
        assert_equal [dict get $reply server] redis
        assert_equal [$c ping] PONG
        $c close
    }

    test {HELLO 3 AUTH with a wrong password} {
        set c [redis_client]
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} \
            {$c hello 3 auth default wrong}
        assert_error {NOAUTH Authentication required.} {$c ping}
        $c close
    }

    test {HELLO AUTH without the password} {
        set c [redis_client]
        assert_error {ERR Syntax error in HELLO option 'AUTH'} {$c hello 2 AUTH default}
        # The option is named in the error as the client spelled it.
        assert_error {ERR Syntax error in HELLO option 'auth'} {$c hello 2 auth default}
        $c close
    }

    test {CONFIG SET requirepass changes the password for new connections} {
        set c [redis_client]
        $c auth foobar
        assert_equal [$c config set requirepass newpass] OK
        # This connection stays authenticated.
        assert_equal [$c ping] PONG
        set d [redis_client]
        assert_error {NOAUTH Authentication required.} {$d ping}
        assert_error {WRONGPASS*} {$d auth foobar}
        assert_equal [$d auth newpass] OK
        $d close
        $c config set requirepass foobar
        $c close
    }

    test {CONFIG SET requirepass to empty turns authentication off} {
        set c [redis_client]
        $c auth foobar
        $c config set requirepass ""
        set d [redis_client]
        assert_equal [$d ping] PONG
        $d close
        $c config set requirepass foobar
        $c close
    }
}

# Before AUTH a client may only send small requests: at most 10 arguments,
# each at most 16 KB. Over that it gets a protocol error and is closed, as
# with Redis, so a client without the password cannot make the server
# allocate much.
start_server {tags {auth} overrides {requirepass foobar}} {
    test {Unauthenticated multibulk count over 10 is a protocol error} {
        assert_protocol_error "*11\r\n" {ERR Protocol error: unauthenticated multibulk length}
    }

    test {Unauthenticated bulk over 16 KB is a protocol error} {
        assert_protocol_error "*1\r\n\$16385\r\n" {ERR Protocol error: unauthenticated bulk length}
    }

    test {Unauthenticated requests at the limits still get NOAUTH} {
        set c [redis_client]
        assert_error {NOAUTH Authentication required.} {$c del a b c d e f g h i}
        assert_error {NOAUTH Authentication required.} {$c ping [string repeat y 16384]}
        assert_error {NOAUTH Authentication required.} {$c ping}
        $c close
    }

    test {After AUTH the limits no longer apply} {
        set c [redis_client]
        assert_equal [$c auth foobar] OK
        assert_equal [$c del a b c d e f g h i j k l] 0
        assert_equal [$c set big [string repeat z 20000]] OK
        assert_equal [$c strlen big] 20000
        $c close
    }

    test {AUTH and a big request in one pipeline: the request counts as authenticated} {
        set c [redis_deferring_client]
        $c write [::redis::encode_command {auth foobar}]
        $c write [::redis::encode_command [list set big2 [string repeat w 20000]]]
        $c flush
        assert_equal [$c read] OK
        assert_equal [$c read] OK
        $c close
    }
}

start_server {tags {auth}} {
    test {Without requirepass, big requests need no AUTH} {
        assert_equal [r del a b c d e f g h i j k l] 0
        assert_equal [r set big [string repeat z 20000]] OK
    }
}

start_server {tags {auth acl}} {
    r acl setuser au on >pw +@all ~*

    test {AUTH as an ACL user; RESET goes back to the default user} {
        set c [redis_client]
        assert_equal [$c auth au pw] OK
        assert_equal [$c acl whoami] au
        assert_equal [$c reset] RESET
        assert_equal [$c acl whoami] default
        $c close
    }

    test {A disabled default user makes new connections authenticate} {
        r acl setuser default off
        set c [redis_client]
        assert_error {NOAUTH Authentication required.} {$c ping}
        assert_error {ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?} {$c auth x}
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {$c auth default x}
        assert_equal [$c auth au pw] OK
        $c acl setuser default on
        assert_equal [$c ping] PONG
        $c close
    }

    test {A default user without nopass and without passwords lets nobody in as default} {
        r acl setuser default resetpass
        set c [redis_client]
        assert_error {NOAUTH Authentication required.} {$c ping}
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {$c auth x}
        assert_equal [$c auth au pw] OK
        $c acl setuser default nopass
        $c close
    }
}
