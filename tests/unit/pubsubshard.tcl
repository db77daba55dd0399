# Shard channels: SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS and
# SHARDNUMSUB, as in a standalone Redis 7.0. Shard channels are a namespace of
# their own, counted apart from channels and patterns.

start_server {tags {pubsubshard}} {
    test {SSUBSCRIBE confirms each shard channel with the shard count} {
        set c [redis_client]
        assert_equal [raw_reply $c {ssubscribe s1 s2 s1} 18] \
            {*3 {$10} ssubscribe {$2} s1 :1 *3 {$10} ssubscribe {$2} s2 :2 *3 {$10} ssubscribe {$2} s1 :2}
        $c close
    }

    test {Shard and channel counts are kept apart in confirmations} {
        set c [redis_deferring_client]
        $c ssubscribe a
        assert_equal [$c read] {ssubscribe a 1}
        $c subscribe a
        assert_equal [$c read] {subscribe a 1}
        $c psubscribe *
        assert_equal [$c read] {psubscribe * 2}
        $c ssubscribe b
        assert_equal [$c read] {ssubscribe b 2}
        $c sunsubscribe zz
        assert_equal [$c read] {sunsubscribe zz 2}
        $c unsubscribe
        assert_equal [$c read] {unsubscribe a 1}
        $c sunsubscribe a
        assert_equal [$c read] {sunsubscribe a 1}
        $c close
    }

    test {SUNSUBSCRIBE with nothing held replies with a null name and 0} {
        set c [redis_client]
        assert_equal [raw_reply $c {sunsubscribe} 5] {*3 {$12} sunsubscribe {$-1} :0}
        set c3 [redis_client -protocol 3]
        assert_equal [raw_reply $c3 {sunsubscribe} 5] {>3 {$12} sunsubscribe _ :0}
        $c close
        $c3 close
    }

    test {SUNSUBSCRIBE without arguments leaves every shard channel} {
        set c [redis_deferring_client]
        $c ssubscribe x y
        read_replies $c 2
        $c sunsubscribe
        set replies [read_replies $c 2]
        assert_equal [lsort [lmap r $replies {lindex $r 1}]] {x y}
        assert_equal [lmap r $replies {lindex $r 2}] {1 0}
        $c get k
        assert_equal [$c read] {}
        $c close
    }

    test {SPUBLISH reaches shard subscribers only, as smessage} {
        set shard [redis_client]
        raw_reply $shard {ssubscribe n} 6
        set plain [redis_deferring_client]
        $plain subscribe n
        $plain read
        set pat [redis_deferring_client]
        $pat psubscribe *
        $pat read
        assert_equal [r spublish n hi] 1
        $shard readraw 1
        assert_equal [read_replies $shard 7] {*3 {$8} smessage {$1} n {$2} hi}
        $shard readraw 0
        assert_equal [r publish n there] 2
        assert_equal [$plain read] {message n there}
        assert_equal [$pat read] {pmessage * n there}
        assert_equal [r spublish nobody x] 0
        $shard close
        $plain close
        $pat close
    }

    test {A subscriber holding only shard channels is in subscribed mode} {
        set c [redis_deferring_client]
        $c ssubscribe s
        $c read
        $c get k
        assert_error {ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$c read}
        $c reset
        assert_equal [$c read] RESET
        assert_equal [r pubsub shardnumsub s] {s 0}
        $c close
    }

    test {RESP3: shard confirmations and messages are push frames} {
        set c [redis_client -protocol 3]
        assert_equal [raw_reply $c {ssubscribe s} 6] {>3 {$10} ssubscribe {$1} s :1}
        assert_equal [r spublish s hey] 1
        $c readraw 1
        assert_equal [read_replies $c 7] {>3 {$8} smessage {$1} s {$3} hey}
        $c readraw 0
        assert_equal [raw_reply $c {get nokey} 1] {_}
        assert_equal [raw_reply $c {sunsubscribe s} 6] {>3 {$12} sunsubscribe {$1} s :0}
        $c close
    }

    test {PUBSUB SHARDCHANNELS and SHARDNUMSUB} {
        assert_equal [r pubsub shardchannels] {}
        set c1 [redis_deferring_client]
        $c1 ssubscribe sa sb
        read_replies $c1 2
        set c2 [redis_deferring_client]
        $c2 ssubscribe sa
        $c2 read
        set c3 [redis_deferring_client]
        $c3 subscribe plain
        $c3 read
        assert_equal [lsort [r pubsub shardchannels]] {sa sb}
        assert_equal [r pubsub shardchannels *b] {sb}
        assert_equal [r pubsub shardchannels x*] {}
        assert_equal [r pubsub channels] {plain}
        assert_equal [r pubsub shardnumsub sa sb plain] {sa 2 sb 1 plain 0}
        assert_equal [r pubsub numsub sa plain] {sa 0 plain 1}
        assert_equal [r pubsub shardnumsub] {}
        assert_match "*pubsub_channels:1\r\npubsub_patterns:0\r\npubsubshard_channels:2\r\n*" [r info stats]
        assert_match {*flags=P db=0 sub=0 psub=0 ssub=2 *} [r client list]
        $c1 close
        $c2 close
        $c3 close
        wait_for_condition 100 20 {
            [r pubsub shardnumsub sa sb] eq {sa 0 sb 0}
        } else {
            fail "shard subscriptions of closed clients remain"
        }
        assert_match "*pubsubshard_channels:0\r\n*" [r info stats]
    }

    test {PUBSUB CHANNELS and SHARDCHANNELS take at most one pattern} {
        assert_error {ERR unknown subcommand or wrong number of arguments for 'shardchannels'. Try PUBSUB HELP.} {r pubsub shardchannels a b}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.} {r pubsub channels a b}
        assert_error {ERR wrong number of arguments for 'spublish' command} {r spublish a}
        assert_error {ERR wrong number of arguments for 'ssubscribe' command} {r ssubscribe}
    }

    test {SSUBSCRIBE inside MULTI is refused at EXEC, SUBSCRIBE is not} {
        needs_commands multi exec
        set c [redis_client]
        $c multi
        $c subscribe x
        $c ssubscribe x
        set res [$c exec]
        assert_equal [lindex $res 0] {subscribe x 1}
        assert_match {*SSUBSCRIBE isn't allowed for a DENY BLOCKING client*} [lindex $res 1]
        $c close
    }
}
