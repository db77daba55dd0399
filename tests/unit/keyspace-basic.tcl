# Basic keyspace commands: SET GET DEL EXISTS DBSIZE SELECT FLUSHDB FLUSHALL.

start_server {tags {keyspace}} {
    test {SET and GET} {
        assert_equal [r set foo bar] OK
        assert_equal [r get foo] bar
        assert_reply_raw [srv client] {get foo} {{$3} bar}
    }

    test {GET of a missing key is null} {
        r del nokey
        assert_equal [r get nokey] {}
        assert_reply_raw [srv client] {get nokey} {{$-1}}
    }

    test {SET overwrites} {
        r set foo one
        r set foo two
        assert_equal [r get foo] two
    }

    test {SET and GET of an empty value} {
        r set empty ""
        assert_equal [r get empty] ""
        assert_reply_raw [srv client] {get empty} {{$0} {}}
        assert_equal [r exists empty] 1
    }

    test {SET and GET of binary keys and values} {
        set k "key\x00with\r\nzero"
        set v [randstring 0 512 binary]
        r set $k $v
        assert_equal [r get $k] $v
    }

    test {SET NX and XX} {
        r del nxkey
        assert_equal [r set nxkey 1 xx] {}
        assert_equal [r exists nxkey] 0
        assert_equal [r set nxkey 1 nx] OK
        assert_equal [r set nxkey 2 nx] {}
        assert_equal [r get nxkey] 1
        assert_equal [r set nxkey 3 xx] OK
        assert_equal [r get nxkey] 3
    }

    test {SET GET returns the old value} {
        r set getkey old
        assert_equal [r set getkey new get] old
        assert_equal [r get getkey] new
        r del getkey
        assert_equal [r set getkey v get] {}
    }

    test {SET with expire options} {
        needs_commands ttl pttl
        r set ttlkey v ex 100
        assert_range [r ttl ttlkey] 90 100
        r set ttlkey v px 100000
        assert_range [r pttl ttlkey] 90000 100000
        r set ttlkey v
        assert_equal [r ttl ttlkey] -1
    }

    test {SET argument errors} {
        assert_error {ERR invalid expire time in 'set' command} {r set k v ex 0}
        assert_error {ERR value is not an integer or out of range} {r set k v ex abc}
        assert_error {ERR syntax error} {r set k v px 100 ex 1}
        assert_error {ERR syntax error} {r set k v nx xx}
        assert_error {ERR syntax error} {r set k v foo}
        assert_error {ERR wrong number of arguments for 'set' command} {r set k}
    }

    test {DEL of one and several keys returns how many existed} {
        r set d1 1
        r set d2 2
        r set d3 3
        assert_equal [r del d1] 1
        assert_equal [r del d1] 0
        assert_equal [r del d2 d3 d4] 2
        assert_equal [r get d2] {}
        assert_error {ERR wrong number of arguments for 'del' command} {r del}
    }

    test {EXISTS counts each argument, repeated keys included} {
        r set e1 1
        r del e2
        assert_equal [r exists e1] 1
        assert_equal [r exists e2] 0
        assert_equal [r exists e1 e2 e1] 2
        assert_error {ERR wrong number of arguments for 'exists' command} {r exists}
    }

    test {DBSIZE} {
        r flushdb
        assert_equal [r dbsize] 0
        for {set i 0} {$i < 100} {incr i} { r set key:$i $i }
        assert_equal [r dbsize] 100
        r del key:0 key:1
        assert_equal [r dbsize] 98
        assert_error {ERR wrong number of arguments for 'dbsize' command} {r dbsize x}
    }

    test {SELECT switches between independent databases} {
        r flushall
        r select 0
        r set shared db0
        assert_equal [r select 9] OK
        assert_equal [r get shared] {}
        assert_equal [r dbsize] 0
        r set shared db9
        r select 0
        assert_equal [r get shared] db0
        r select 9
        assert_equal [r get shared] db9
        r select 0
    }

    test {SELECT of a database out of range} {
        assert_error {ERR DB index is out of range} {r select 16}
        assert_error {ERR DB index is out of range} {r select -1}
        assert_error {ERR value is not an integer or out of range} {r select abc}
        # The selected database did not change.
        r set where zero
        assert_equal [r get where] zero
    }

    test {The selected database is per connection} {
        set c [redis_client]
        $c select 1
        $c set perconn c1
        assert_equal [r get perconn] {}
        $c close
    }

    test {FLUSHDB empties only the selected database} {
        r flushall
        r set a 1
        r select 1
        r set b 2
        assert_equal [r flushdb] OK
        assert_equal [r dbsize] 0
        r select 0
        assert_equal [r dbsize] 1
        assert_equal [r flushdb sync] OK
        assert_equal [r flushdb async] OK
        assert_error {ERR syntax error} {r flushdb foo}
    }

    test {FLUSHALL empties every database} {
        r set a 1
        r select 5
        r set b 2
        assert_equal [r flushall] OK
        assert_equal [r dbsize] 0
        r select 0
        assert_equal [r dbsize] 0
        assert_equal [r flushall async] OK
        assert_equal [r flushall sync] OK
        assert_error {ERR syntax error} {r flushall foo}
    }

    test {Many keys written and read back} {
        r flushdb
        for {set i 0} {$i < 1000} {incr i} {
            r set k$i [string repeat $i 3]
        }
        set ok 1
        for {set i 0} {$i < 1000} {incr i} {
            if {[r get k$i] ne [string repeat $i 3]} { set ok 0 }
        }
        assert_equal $ok 1
        assert_equal [r dbsize] 1000
        r flushdb
    }
}
