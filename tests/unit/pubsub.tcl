# Publish/subscribe: SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE, PUBLISH
# and PUBSUB, in RESP2 and RESP3; subscribed mode; the pubsub output limit.

# A deferring client subscribed to the channels given, confirmations read.
proc ps_subscriber {kind args} {
    ps_named_subscriber "" $kind {*}$args
}

# The same, named first (CLIENT SETNAME is refused once subscribed).
proc ps_named_subscriber {name kind args} {
    set c [redis_deferring_client]
    if {$name ne ""} {
        $c client setname $name
        $c read
    }
    $c $kind {*}$args
    read_replies $c [llength $args]
    return $c
}

start_server {tags {pubsub}} {
    test {SUBSCRIBE confirms each channel with the running count, a repeat not counted} {
        set c [redis_client]
        assert_equal [raw_reply $c {subscribe a b a} 18] \
            {*3 {$9} subscribe {$1} a :1 *3 {$9} subscribe {$1} b :2 *3 {$9} subscribe {$1} a :2}
        $c close
    }

    test {PSUBSCRIBE counts patterns and channels together} {
        set c [ps_subscriber subscribe a]
        $c psubscribe h* a*
        assert_equal [read_replies $c 2] {{psubscribe h* 2} {psubscribe a* 3}}
        $c punsubscribe h*
        assert_equal [$c read] {punsubscribe h* 2}
        $c unsubscribe a
        assert_equal [$c read] {unsubscribe a 1}
        $c close
    }

    test {UNSUBSCRIBE and PUNSUBSCRIBE with nothing subscribed reply with a null name and 0} {
        set c [redis_client]
        assert_equal [raw_reply $c {unsubscribe} 5] {*3 {$11} unsubscribe {$-1} :0}
        assert_equal [raw_reply $c {punsubscribe} 5] {*3 {$12} punsubscribe {$-1} :0}
        assert_equal [$c ping] PONG
        $c close
    }

    test {UNSUBSCRIBE without arguments leaves every channel, one reply each} {
        set c [ps_subscriber subscribe x y z]
        $c unsubscribe
        set replies [read_replies $c 3]
        assert_equal [lsort [lmap r $replies {lindex $r 1}]] {x y z}
        assert_equal [lmap r $replies {lindex $r 2}] {2 1 0}
        assert_equal [lsort -unique [lmap r $replies {lindex $r 0}]] unsubscribe
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {UNSUBSCRIBE of a channel not held replies with the unchanged count} {
        set c [ps_subscriber subscribe a]
        $c unsubscribe nope
        assert_equal [$c read] {unsubscribe nope 1}
        $c close
    }

    test {PUNSUBSCRIBE without arguments leaves every pattern} {
        set c [ps_subscriber psubscribe p1* p2*]
        $c punsubscribe
        set replies [read_replies $c 2]
        assert_equal [lsort [lmap r $replies {lindex $r 1}]] {p1* p2*}
        assert_equal [lmap r $replies {lindex $r 2}] {1 0}
        $c close
    }

    test {PUBLISH delivers a message frame and counts its receivers} {
        set sub [redis_client]
        raw_reply $sub {subscribe news} 6
        assert_equal [r publish news hello] 1
        assert_equal [r publish nobody hello] 0
        $sub readraw 1
        assert_equal [read_replies $sub 7] {*3 {$7} message {$4} news {$5} hello}
        $sub close
    }

    test {A pattern subscriber gets pmessage with the pattern, the channel and the message} {
        set sub [redis_client]
        raw_reply $sub {psubscribe n?ws} 6
        assert_equal [r publish news hi] 1
        $sub readraw 1
        assert_equal [read_replies $sub 9] {*4 {$8} pmessage {$4} n?ws {$4} news {$2} hi}
        $sub close
    }

    test {PUBLISH counts a client once per matching subscription} {
        set sub [ps_subscriber subscribe hx]
        $sub psubscribe h* * z*
        read_replies $sub 3
        assert_equal [r publish hx m] 3
        set got [read_replies $sub 3]
        assert_equal [lindex $got 0] {message hx m}
        assert_equal [lsort [lrange $got 1 end]] {{pmessage * hx m} {pmessage h* hx m}}
        set other [ps_subscriber subscribe hx]
        assert_equal [r publish hx m] 4
        assert_equal [$other read] {message hx m}
        $sub close
        $other close
    }

    test {Patterns are globs: ?, sets, ranges and escapes} {
        set sub [ps_subscriber psubscribe {h[ae]llo} {a\*b} {n[0-9]}]
        assert_equal [r publish hello x] 1
        assert_equal [r publish hallo x] 1
        assert_equal [r publish hillo x] 0
        assert_equal [r publish a*b x] 1
        assert_equal [r publish axb x] 0
        assert_equal [r publish n5 x] 1
        assert_equal [r publish nx x] 0
        assert_equal [lmap m [read_replies $sub 4] {lindex $m 2}] {hello hallo a*b n5}
        $sub close
    }

    test {Channels and messages are binary-safe} {
        set sub [ps_subscriber subscribe "a\x00b\r\n"]
        assert_equal [r publish "a\x00b\r\n" "m\x00\r\nx"] 1
        assert_equal [$sub read] [list message "a\x00b\r\n" "m\x00\r\nx"]
        $sub close
    }

    test {A RESP2 subscriber may only (un)subscribe, PING, QUIT and RESET} {
        set c [ps_subscriber subscribe a]
        $c get x
        assert_error {ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$c read}
        $c client list
        assert_error {ERR Can't execute 'client|list': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$c read}
        $c close
    }

    test {PING in RESP2 subscribed mode answers a pong array} {
        set c [redis_client]
        raw_reply $c {subscribe a} 6
        assert_equal [raw_reply $c {ping} 5] {*2 {$4} pong {$0} {}}
        assert_equal [raw_reply $c {ping hey} 5] {*2 {$4} pong {$3} hey}
        $c close
    }

    test {The last UNSUBSCRIBE leaves subscribed mode} {
        set c [ps_subscriber subscribe a]
        $c psubscribe p*
        $c read
        $c unsubscribe a
        $c read
        $c get x
        assert_error {ERR Can't execute 'get'*} {$c read}
        $c punsubscribe
        assert_equal [$c read] {punsubscribe p* 0}
        $c get x
        assert_equal [$c read] {}
        $c close
    }

    test {QUIT is allowed in subscribed mode} {
        set c [ps_subscriber subscribe a]
        $c quit
        assert_equal [$c read] OK
        assert_equal [connection_closed $c] 1
        $c close
    }

    test {RESET leaves subscribed mode and drops every subscription} {
        set c [ps_subscriber subscribe a b]
        $c psubscribe p*
        $c read
        $c reset
        assert_equal [$c read] RESET
        assert_equal [r pubsub numsub a b] {a 0 b 0}
        assert_equal [r pubsub numpat] 0
        $c get x
        assert_equal [$c read] {}
        $c close
    }

    test {RESP3: confirmations and messages are push frames} {
        set c [redis_client -protocol 3]
        assert_equal [raw_reply $c {subscribe a} 6] {>3 {$9} subscribe {$1} a :1}
        assert_equal [raw_reply $c {psubscribe a*} 6] {>3 {$10} psubscribe {$2} a* :2}
        assert_equal [r publish a hi] 2
        $c readraw 1
        assert_equal [read_replies $c 16] {>3 {$7} message {$1} a {$2} hi >4 {$8} pmessage {$2} a* {$1} a {$2} hi}
        $c readraw 0
        assert_equal [raw_reply $c {unsubscribe a} 6] {>3 {$11} unsubscribe {$1} a :1}
        assert_equal [raw_reply $c {punsubscribe} 6] {>3 {$12} punsubscribe {$2} a* :0}
        assert_equal [raw_reply $c {unsubscribe} 5] {>3 {$11} unsubscribe _ :0}
        $c close
    }

    test {RESP3: a subscriber may run any command, PING is a plain PONG} {
        set c [redis_client -protocol 3]
        raw_reply $c {subscribe a} 6
        assert_equal [raw_reply $c {set k v} 1] {+OK}
        assert_equal [raw_reply $c {get k} 2] {{$1} v}
        assert_equal [raw_reply $c {ping} 1] {+PONG}
        assert_match {*flags=P*sub=1 psub=0*} [lindex [raw_reply $c {client info} 2] 1]
        $c close
    }

    test {RESP3: RESET drops the subscriptions} {
        set c [redis_client -protocol 3]
        raw_reply $c {subscribe a} 6
        assert_equal [raw_reply $c {reset} 1] {+RESET}
        assert_equal [r pubsub numsub a] {a 0}
        $c close
    }

    test {CLIENT REPLY OFF does not silence confirmations and messages} {
        set c [redis_client]
        assert_equal [raw_reply $c {client reply off} 0] {}
        assert_equal [raw_reply $c {subscribe me} 6] {*3 {$9} subscribe {$2} me :1}
        assert_equal [r publish me z] 1
        $c readraw 1
        assert_equal [read_replies $c 7] {*3 {$7} message {$2} me {$1} z}
        $c readraw 0
        assert_equal [raw_reply $c {unsubscribe} 6] {*3 {$11} unsubscribe {$2} me :0}
        $c close
    }

    test {RESP3: under CLIENT REPLY OFF a subscriber still gets its messages, not its replies} {
        set c [redis_client -protocol 3]
        raw_reply $c {subscribe me} 6
        assert_equal [raw_reply $c {client reply off} 0] {}
        assert_equal [raw_reply $c {publish me y} 7] {>3 {$7} message {$2} me {$1} y}
        assert_equal [raw_reply $c {client reply on} 1] {+OK}
        $c close
    }

    test {PUBSUB CHANNELS lists channels with subscribers, optionally matching a pattern} {
        assert_equal [r pubsub channels] {}
        set s1 [ps_subscriber subscribe news.a news.b other]
        set s2 [ps_subscriber subscribe news.a]
        set s3 [ps_subscriber psubscribe news.*]
        assert_equal [lsort [r pubsub channels]] {news.a news.b other}
        assert_equal [lsort [r pubsub channels news.*]] {news.a news.b}
        assert_equal [r pubsub channels nothing*] {}
        assert_equal [r pubsub numsub news.a news.b other none] {news.a 2 news.b 1 other 1 none 0}
        assert_equal [r pubsub numsub] {}
        assert_equal [r pubsub numpat] 1
        $s1 close
        $s2 close
        $s3 close
    }

    test {PUBSUB NUMSUB replies with a flat array in both protocols} {
        set s [ps_subscriber subscribe a]
        set c [redis_client -protocol 3]
        assert_equal [raw_reply $c {pubsub numsub a q} 7] {*4 {$1} a :1 {$1} q :0}
        assert_equal [raw_reply $c {pubsub numpat} 1] {:0}
        $c close
        $s close
    }

    test {PUBSUB HELP and an unknown subcommand} {
        set help [r pubsub help]
        assert_equal [llength $help] 14
        assert_equal [lindex $help 0] {PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help 1] {CHANNELS [<pattern>]}
        assert_equal [lindex $help 6] {    Return the number of subscribers for the specified channels, excluding}
        assert_equal [lindex $help end] {    Prints this help.}
        assert_error {ERR unknown subcommand 'foo'. Try PUBSUB HELP.} {r pubsub foo}
        assert_error {ERR wrong number of arguments for 'pubsub|numpat' command} {r pubsub numpat x}
        assert_error {ERR wrong number of arguments for 'publish' command} {r publish a}
        assert_error {ERR wrong number of arguments for 'subscribe' command} {r subscribe}
    }

    test {CLIENT LIST shows sub, psub and the P flag} {
        set s [ps_named_subscriber subber subscribe a b]
        $s psubscribe p*
        $s read
        foreach line [split [string trim [r client list]] "\n"] {
            if {[string match *name=subber* $line]} { set mine $line }
        }
        assert_match {* flags=P db=0 sub=2 psub=1 ssub=0 multi=-1 *} $mine
        $s close
    }
}

start_server {tags {pubsub}} {
    test {INFO stats counts channels and patterns with subscribers} {
        assert_match "*pubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0\r\n*" [r info stats]
        set s1 [ps_subscriber subscribe a b]
        set s2 [ps_subscriber subscribe b]
        set s3 [ps_subscriber psubscribe x* y*]
        assert_match "*pubsub_channels:2\r\npubsub_patterns:2\r\n*" [r info stats]
        $s1 close
        $s2 close
        $s3 close
    }

    test {A closed subscriber leaves no subscription behind} {
        set s [ps_subscriber subscribe a b]
        $s psubscribe p*
        $s read
        assert_equal [r pubsub numsub a b] {a 1 b 1}
        $s close
        wait_for_condition 100 20 {
            [r pubsub numsub a b] eq {a 0 b 0} && [r pubsub numpat] == 0
        } else {
            fail "subscriptions of a closed client remain: [r pubsub numsub a b]"
        }
        assert_equal [r pubsub channels] {}
        assert_equal [r publish a m] 0
        assert_match "*pubsub_channels:0\r\npubsub_patterns:0\r\n*" [r info stats]
    }

    test {Subscribers get a message in the order it was published} {
        set subs {}
        for {set i 0} {$i < 20} {incr i} { lappend subs [ps_subscriber subscribe fan] }
        for {set i 0} {$i < 5} {incr i} { assert_equal [r publish fan m$i] 20 }
        foreach s $subs {
            assert_equal [read_replies $s 5] {{message fan m0} {message fan m1} {message fan m2} {message fan m3} {message fan m4}}
            $s close
        }
    }
}

start_server {tags {pubsub} overrides {client-output-buffer-limit {pubsub 100kb 0 0}}} {
    test {A subscriber over the pubsub hard limit is closed and logged} {
        set s [ps_named_subscriber slowsub subscribe big]
        set payload [string repeat x 100000]
        for {set i 0} {$i < 500} {incr i} {
            r publish big $payload
            if {[r pubsub numsub big] eq {big 0}} break
        }
        wait_for_condition 100 20 {
            [string first name=slowsub [r client list]] < 0
        } else {
            fail "the slow subscriber was not closed"
        }
        wait_for_log_lines {*name=slowsub*flags=P*sub=1*scheduled to be closed ASAP for overcoming of output buffer limits*}
        assert_equal [r pubsub numsub big] {big 0}
        $s close
    }

    test {The pubsub class does not apply to a client that is not subscribed} {
        r set bigvalue [string repeat x 300000]
        assert_equal [string length [r get bigvalue]] 300000
        set c [redis_deferring_client]
        for {set i 0} {$i < 5} {incr i} { $c get bigvalue }
        for {set i 0} {$i < 5} {incr i} { assert_equal [string length [$c read]] 300000 }
        $c close
    }
}

start_server {tags {pubsub} overrides {client-output-buffer-limit {pubsub 0 100kb 3}}} {
    test {Over the pubsub soft limit a subscriber is closed only after the seconds given} {
        set s [ps_named_subscriber softsub subscribe big]
        set payload [string repeat x 100000]
        for {set i 0} {$i < 100} {incr i} { r publish big $payload }
        wait_for_condition 100 20 {
            [regexp {name=softsub .*omem=([1-9][0-9]*)} [r client list]]
        } else {
            fail "the messages never piled up in the server"
        }
        # Over the soft limit but within its seconds, the subscriber stays.
        after 1000
        assert_match {*name=softsub*} [r client list]
        wait_for_condition 200 50 {
            [string first name=softsub [r client list]] < 0
        } else {
            fail "the subscriber over its soft limit was never closed"
        }
        wait_for_log_lines {*name=softsub*scheduled to be closed ASAP for overcoming of output buffer limits*}
        $s close
    }
}
