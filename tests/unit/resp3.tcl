# HELLO and the RESP3 reply types, checked on the wire.

start_server {tags {resp3 protocol}} {
    test {HELLO 3 replies with a map of server properties} {
        set c [redis_client]
        set reply [$c hello 3]
        assert_equal [dict get $reply server] redis
        assert_equal [dict get $reply version] 7.0.15
        assert_equal [dict get $reply proto] 3
        assert {[string is integer -strict [dict get $reply id]]}
        assert_equal [dict get $reply mode] standalone
        assert_equal [dict get $reply role] master
        assert_equal [dict get $reply modules] {}
        assert_equal [dict keys $reply] {server version proto id mode role modules}
        assert_equal [dict get $reply id] [$c client id]
        $c close
    }

    test {HELLO 3 on the wire is a map of 7 entries} {
        set c [redis_client]
        set id [$c client id]
        assert_equal [raw_reply $c {hello 3} 26] [list %7 \
            {$6} server {$5} redis {$7} version {$6} 7.0.15 \
            {$5} proto :3 {$2} id :$id {$4} mode {$10} standalone \
            {$4} role {$6} master {$7} modules *0]
        $c close
    }

    test {HELLO 2 is a flat array of 14 elements} {
        set c [redis_client]
        set lines [raw_reply $c {hello 2} 12]
        assert_equal [lindex $lines 0] *14
        assert_equal [lrange $lines 9 11] {{$5} proto :2}
        $c close
    }

    test {HELLO without arguments keeps the protocol in use} {
        set c [redis_client]
        assert_equal [dict get [$c hello] proto] 2
        $c hello 3
        assert_equal [dict get [$c hello] proto] 3
        assert_equal [lindex [raw_reply $c {hello} 1] 0] %7
        $c close
    }

    test {HELLO with an unsupported protocol version} {
        assert_error {NOPROTO unsupported protocol version} {r hello 4}
        assert_error {NOPROTO unsupported protocol version} {r hello 1}
        assert_reply_raw [srv client] {hello 4} {{-NOPROTO unsupported protocol version}}
    }

    test {HELLO with a version that is not a number} {
        assert_error {ERR Protocol version is not an integer or out of range} {r hello abc}
    }

    test {HELLO 3 SETNAME sets the connection name} {
        set c [redis_client]
        $c hello 3 setname myname
        assert_equal [$c client getname] myname
        $c close
    }

    test {Null reply: $-1 in RESP2, _ in RESP3} {
        set c [redis_client]
        $c del nokey
        assert_equal [raw_reply $c {get nokey} 1] [list {$-1}]
        $c hello 3
        assert_equal [raw_reply $c {get nokey} 1] {_}
        assert_equal [$c get nokey] {}
        $c hello 2
        assert_equal [raw_reply $c {get nokey} 1] [list {$-1}]
        $c close
    }

    test {CONFIG GET is a map in RESP3 and an array in RESP2} {
        set c [redis_client]
        assert_equal [raw_reply $c {config get maxmemory} 5] {*2 {$9} maxmemory {$1} 0}
        $c hello 3
        assert_equal [raw_reply $c {config get maxmemory} 5] {%1 {$9} maxmemory {$1} 0}
        set cfg [$c config get maxmemory*]
        assert_equal [lsort [dict keys $cfg]] {maxmemory maxmemory-clients maxmemory-eviction-tenacity maxmemory-policy maxmemory-samples}
        $c close
    }

    test {Empty hash is an empty map, empty set an empty set, empty list an empty array} {
        needs_commands hgetall smembers lrange
        set c [redis_client -protocol 3]
        $c del nohash noset nolist
        assert_equal [raw_reply $c {hgetall nohash} 1] {%0}
        assert_equal [raw_reply $c {smembers noset} 1] {~0}
        assert_equal [raw_reply $c {lrange nolist 0 -1} 1] {*0}
        $c close
    }

    test {HGETALL is a map in RESP3} {
        needs_commands hset hgetall
        set c [redis_client -protocol 3]
        $c del h
        $c hset h f v
        assert_equal [raw_reply $c {hgetall h} 5] {%1 {$1} f {$1} v}
        assert_equal [$c hgetall h] {f v}
        $c close
    }

    test {Scores are doubles in RESP3 and bulk strings in RESP2} {
        needs_commands zadd zscore zincrby zrange
        set c [redis_client]
        $c del z
        $c zadd z 1.5 a
        assert_equal [raw_reply $c {zscore z a} 2] {{$3} 1.5}
        $c hello 3
        assert_equal [raw_reply $c {zscore z a} 1] {,1.5}
        assert_equal [raw_reply $c {zincrby z 1 a} 1] {,2.5}
        assert_equal [$c zscore z a] 2.5
        assert_equal [raw_reply $c {zrange z 0 -1 withscores} 5] {*1 *2 {$1} a ,2.5}
        $c close
    }

    test {INFO is a verbatim string in RESP3 and a bulk string in RESP2} {
        set c [redis_client]
        set first [lindex [raw_reply $c {info server} 1] 0]
        assert_match {$*} $first
        $c reconnect
        $c hello 3
        set first [lindex [raw_reply $c {info server} 1] 0]
        assert_match {=*} $first
        $c reconnect
        $c hello 3
        set info [$c info server]
        assert_match "# Server\r\nredis_version:7.0.15\r\n*" $info
        $c close
    }

    test {CLIENT INFO is a verbatim string in RESP3} {
        set c [redis_client -protocol 3]
        $c readraw 1
        $c deferred 1
        $c client info
        set head [$c read]
        set body [$c read]
        $c close
        assert_match {=*} $head
        assert_match {txt:id=* resp=3} $body
        assert_equal [string range $head 1 end] [expr {[string length $body] + 1}]
    }

    test {SUBSCRIBE confirmations are push messages in RESP3} {
        needs_commands subscribe
        set c [redis_client -protocol 3]
        assert_equal [raw_reply $c {subscribe ch} 6] {>3 {$9} subscribe {$2} ch :1}
        $c close
        set c [redis_client]
        assert_equal [raw_reply $c {subscribe ch} 6] {*3 {$9} subscribe {$2} ch :1}
        $c close
    }

    test {A published message reaches a RESP3 subscriber as a push} {
        needs_commands subscribe publish
        set sub [redis_client -protocol 3]
        $sub deferred 1
        $sub subscribe news
        assert_equal [$sub read] {subscribe news 1}
        assert_equal [r publish news hello] 1
        $sub readraw 1
        assert_equal [list [$sub read] [$sub read] [$sub read] [$sub read] [$sub read] [$sub read] [$sub read]] \
            {>3 {$7} message {$4} news {$5} hello}
        $sub close
    }

    test {Integer replies are the same in both protocols} {
        needs_commands ttl
        set c [redis_client -protocol 3]
        $c set k v
        assert_equal [raw_reply $c {exists k} 1] {:1}
        assert_equal [raw_reply $c {ttl k} 1] {:-1}
        $c close
    }
}
