# Client-side caching: CLIENT TRACKING (default mode, BCAST, PREFIX,
# OPTIN/OPTOUT, NOLOOP, REDIRECT), CLIENT CACHING, GETREDIR, TRACKINGINFO,
# and the invalidation messages, compared byte for byte with Redis 7.0.15:
# RESP3 pushes on the connection itself, RESP2 messages on
# __redis__:invalidate through a redirect, the null of a flush, expiry,
# transactions, the tracking-table-max-keys eviction, a redirect target that
# went away, RESET, CLIENT LIST and the INFO fields.

# Everything the server sends c until the reply to a PING written after
# cmds (a list of commands): their replies and any pushes, as raw bytes.
# A push caused by another client's command, once that command has been
# answered, is already queued before the PING's reply, so nothing here
# depends on timing.
proc trk_exchange {c {cmds {}}} {
    set out ""
    foreach cmd $cmds { append out [::redis::encode_command $cmd] }
    append out [::redis::encode_command {ping}]
    $c write $out
    $c flush
    set chan [$c channel]
    set data ""
    set markers [list "+PONG\r\n" "*2\r\n\$4\r\npong\r\n\$0\r\n\r\n"]
    while 1 {
        append data [read $chan 1]
        foreach m $markers {
            set n [string length $m]
            if {[string range $data end-[expr {$n - 1}] end] eq $m} {
                return [string range $data 0 end-$n]
            }
        }
    }
}

# The bulk strings of keys as one RESP array.
proc trk_keys {keys} {
    set s "*[llength $keys]\r\n"
    foreach k $keys { append s "\$[string length $k]\r\n$k\r\n" }
    return $s
}

# A RESP3 invalidation push for keys, and the RESP2 message a redirect
# target subscribed to __redis__:invalidate gets instead.
proc trk_push {keys} {
    return ">2\r\n\$10\r\ninvalidate\r\n[trk_keys $keys]"
}
proc trk_msg {keys} {
    return "*3\r\n\$7\r\nmessage\r\n\$20\r\n__redis__:invalidate\r\n[trk_keys $keys]"
}

# A new client speaking RESP3, its HELLO reply read.
proc trk_resp3_client {} {
    set c [redis_client]
    $c hello 3
    return $c
}

# A RESP2 client subscribed to __redis__:invalidate, and its id.
proc trk_redirect_target {} {
    set t [redis_client]
    set id [$t client id]
    assert_equal [$t subscribe __redis__:invalidate] {subscribe __redis__:invalidate 1}
    return [list $t $id]
}

proc trk_info {field} {
    set info [r info everything]
    regexp "\r\n$field:(\[^\r\]*)\r" $info _ v
    return $v
}

proc trk_client_field {c field} {
    regexp " $field=(\[^ \]*)" [$c client info] _ v
    return $v
}

start_server {tags {tracking}} {
    test {CLIENT TRACKING option errors are those of Redis 7.0} {
        set c [redis_client]
        assert_error {ERR PREFIX option requires BCAST mode to be enabled} {$c client tracking on prefix a}
        assert_error {ERR You can't specify both OPTIN mode and OPTOUT mode} {$c client tracking on optin optout}
        assert_error {ERR OPTIN and OPTOUT are not compatible with BCAST} {$c client tracking on bcast optin}
        assert_error {ERR OPTIN and OPTOUT are not compatible with BCAST} {$c client tracking on bcast optout}
        assert_error {ERR The client ID you want redirect to does not exist} {$c client tracking on redirect 999999}
        assert_error {ERR value is not an integer or out of range} {$c client tracking on redirect x}
        set other [redis_client]
        set oid [$other client id]
        assert_error {ERR A client can only redirect to a single other client} \
            {$c client tracking on redirect $oid redirect $oid}
        assert_error {ERR syntax error} {$c client tracking on foo}
        assert_error {ERR syntax error} {$c client tracking on redirect}
        assert_error {ERR syntax error} {$c client tracking maybe}
        assert_error {ERR wrong number of arguments for 'client|tracking' command} {$c client tracking}
        assert_equal [$c client tracking off] OK
        assert_equal [$c client trackinginfo] {flags off redirect -1 prefixes {}}
        $other close
        $c close
    }

    test {CLIENT TRACKING cannot switch BCAST or OPTIN/OPTOUT without turning it off first} {
        set c [redis_client]
        assert_equal [$c client tracking on] OK
        assert_error {ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.} \
            {$c client tracking on bcast}
        assert_equal [$c client tracking on optin] OK
        assert_error {ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.} \
            {$c client tracking on optout}
        assert_equal [$c client tracking off] OK
        assert_equal [$c client tracking on optout] OK
        assert_equal [$c client trackinginfo] {flags {on optout} redirect 0 prefixes {}}
        assert_equal [$c client tracking off] OK
        assert_equal [$c client tracking on bcast] OK
        assert_error {ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.} \
            {$c client tracking on}
        $c close
    }

    test {BCAST prefixes may not overlap each other or the prefixes already held} {
        set c [redis_client]
        assert_error {ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single client must not overlap.} \
            {$c client tracking on bcast prefix ab prefix a}
        assert_equal [$c client tracking on bcast prefix b prefix a] OK
        assert_error {ERR Prefix 'ab' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.} \
            {$c client tracking on bcast prefix c prefix ab}
        assert_error {ERR Prefix 'abc' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.} \
            {$c client tracking on bcast prefix abc}
        assert_error {ERR Prefix '' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.} \
            {$c client tracking on bcast prefix {}}
        assert_equal [$c client tracking on bcast prefix c] OK
        assert_equal [$c client trackinginfo] {flags {on bcast} redirect 0 prefixes {a b c}}
        $c close
    }

    test {CLIENT CACHING needs OPTIN for YES and OPTOUT for NO} {
        set c [redis_client]
        assert_error {ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled} \
            {$c client caching yes}
        assert_equal [$c client tracking on] OK
        assert_error {ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.} {$c client caching yes}
        assert_error {ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.} {$c client caching no}
        assert_error {ERR syntax error} {$c client caching maybe}
        assert_equal [$c client tracking on optin] OK
        assert_error {ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.} {$c client caching no}
        assert_equal [$c client caching yes] OK
        # The flag lasts through CLIENT subcommands and is spent by the next command.
        assert_equal [$c client trackinginfo] {flags {on optin caching-yes} redirect 0 prefixes {}}
        $c ping
        assert_equal [$c client trackinginfo] {flags {on optin} redirect 0 prefixes {}}
        $c close
    }

    test {CLIENT GETREDIR answers -1 when off, 0 without redirect, else the id} {
        set c [redis_client]
        set t [redis_client]
        set tid [$t client id]
        assert_equal [$c client getredir] -1
        assert_equal [$c client tracking on] OK
        assert_equal [$c client getredir] 0
        assert_equal [$c client tracking on redirect $tid] OK
        assert_equal [$c client getredir] $tid
        assert_equal [trk_client_field $c redir] $tid
        assert_equal [$c client tracking off] OK
        assert_equal [$c client getredir] -1
        assert_equal [trk_client_field $c redir] -1
        $c close
        $t close
    }

    test {CLIENT TRACKINGINFO in RESP2 and RESP3, flags in Redis's order} {
        set c [redis_client]
        assert_equal [$c client tracking on optout noloop] OK
        assert_equal [$c client caching no] OK
        assert_equal [raw_reply $c {client trackinginfo} 18] \
            [list *6 {$5} flags *4 {$2} on {$6} optout {$10} caching-no {$6} noloop {$8} redirect :0 {$8} prefixes *0]
        $c hello 3
        assert_equal [raw_reply $c {client trackinginfo} 16] \
            [list %3 {$5} flags ~3 {$2} on {$6} optout {$6} noloop {$8} redirect :0 {$8} prefixes *0]
        $c close
    }

    test {RESP3: a key read then changed by another client is invalidated once} {
        set c [trk_resp3_client]
        set w [redis_client]
        $w set k v
        assert_equal [trk_exchange $c {{client tracking on} {get k} {get k}}] "+OK\r\n\$1\r\nv\r\n\$1\r\nv\r\n"
        $w set k v2
        $w set k v3
        assert_equal [trk_exchange $c] ">2\r\n\$10\r\ninvalidate\r\n*1\r\n\$1\r\nk\r\n"
        $c close
        $w close
    }

    test {RESP3: a client's own write is invalidated after the reply, one push per key} {
        set c [trk_resp3_client]
        r del a b
        assert_equal [trk_exchange $c {{client tracking on} {mget a b} {mset a 1 b 2}}] \
            "+OK\r\n*2\r\n_\r\n_\r\n+OK\r\n[trk_push a][trk_push b]"
        $c close
    }

    test {Every key of a read command is tracked, missing ones included, and not write commands' keys} {
        set c [trk_resp3_client]
        set w [redis_client]
        $w del h s
        $w hset h f v
        assert_equal [trk_exchange $c {{client tracking on} {hget h f} {sunion s h2} {incr cnt}}] \
            "+OK\r\n\$1\r\nv\r\n~0\r\n:1\r\n"
        $w hset h f v2
        $w sadd s m
        $w incr cnt
        $w sadd h2 m
        assert_equal [trk_exchange $c] "[trk_push h][trk_push s][trk_push h2]"
        $c close
        $w close
    }

    test {RESP2 redirect: invalidations are messages on __redis__:invalidate} {
        lassign [trk_redirect_target] t tid
        set c [redis_client]
        set w [redis_client]
        assert_equal [$c client tracking on redirect $tid] OK
        $c mget k1 k2
        $w mset k1 a k2 b
        assert_equal [trk_exchange $t] \
            "*3\r\n\$7\r\nmessage\r\n\$20\r\n__redis__:invalidate\r\n*1\r\n\$2\r\nk1\r\n[trk_msg k2]"
        # The tracking client itself gets nothing in RESP2.
        assert_equal [trk_exchange $c] ""
        $c close
        $w close
        $t close
    }

    test {Redirect to a RESP2 client that is not subscribed sends nothing; to a RESP3 one, pushes} {
        set t2 [redis_client]
        set t3 [trk_resp3_client]
        set c [redis_client]
        assert_equal [$c client tracking on redirect [$t2 client id]] OK
        $c get k
        r set k 1
        assert_equal [trk_exchange $t2] ""
        assert_equal [$c client tracking on redirect [$t3 client id]] OK
        $c get k
        r set k 2
        assert_equal [trk_exchange $t3] [trk_push k]
        $c close
        $t2 close
        $t3 close
    }

    test {FLUSHALL and FLUSHDB send a null to every tracking client and empty the table} {
        set c [trk_resp3_client]
        lassign [trk_redirect_target] t tid
        set c2 [redis_client]
        assert_equal [$c2 client tracking on redirect $tid] OK
        r set k 2
        assert_equal [trk_exchange $c {{client tracking on} {get k} {flushall}}] \
            "+OK\r\n\$1\r\n2\r\n+OK\r\n>2\r\n\$10\r\ninvalidate\r\n_\r\n"
        assert_equal [trk_exchange $t] "*3\r\n\$7\r\nmessage\r\n\$20\r\n__redis__:invalidate\r\n\$-1\r\n"
        $c get k
        assert_equal [trk_info tracking_total_keys] 1
        r select 9
        r flushdb
        r select 0
        assert_equal [trk_exchange $c] ">2\r\n\$10\r\ninvalidate\r\n_\r\n"
        assert_equal [trk_info tracking_total_keys] 0
        # The keys read before the flush are forgotten.
        r set k 3
        assert_equal [trk_exchange $c] ""
        $c close
        $c2 close
        $t close
    }

    test {The tracking table ignores databases} {
        set c [trk_resp3_client]
        assert_equal [trk_exchange $c {{client tracking on} {get samename}}] "+OK\r\n_\r\n"
        r select 5
        r set samename x
        r select 0
        assert_equal [trk_exchange $c] [trk_push samename]
        $c close
    }

    test {Lazy expiry invalidates: the reader's own lookup gets the push after its reply} {
        r debug set-active-expire 0
        set c [trk_resp3_client]
        set w [redis_client]
        $w set e1 v px 100
        $w set e2 v px 100
        assert_equal [trk_exchange $c {{client tracking on} {get e1} {get e2}}] "+OK\r\n\$1\r\nv\r\n\$1\r\nv\r\n"
        after 200
        assert_equal [trk_exchange $c {{get e1}}] "_\r\n[trk_push e1]"
        assert_equal [$w exists e2] 0
        assert_equal [trk_exchange $c] [trk_push e2]
        r debug set-active-expire 1
        $c close
        $w close
    }

    test {Active expiry invalidates the keys it deletes} {
        r flushall
        set c [trk_resp3_client]
        r set e3 v px 50
        assert_equal [trk_exchange $c {{client tracking on} {get e3}}] "+OK\r\n\$1\r\nv\r\n"
        wait_for_condition 100 20 {[r dbsize] == 0} else { fail "e3 was not expired" }
        assert_equal [trk_exchange $c] [trk_push e3]
        $c close
    }

    test {Deletion, RENAME and MOVE invalidate the keys they touch} {
        set c [trk_resp3_client]
        r mset d1 1 d2 2 d3 3
        assert_equal [trk_exchange $c {{client tracking on} {mget d1 d2 d3 d4}}] \
            "+OK\r\n*4\r\n\$1\r\n1\r\n\$1\r\n2\r\n\$1\r\n3\r\n_\r\n"
        r del d1
        r rename d2 d4
        r move d3 3
        assert_equal [trk_exchange $c] "[trk_push d1][trk_push d2][trk_push d4][trk_push d3]"
        $c close
    }

    test {Inside MULTI, keys are tracked and the transaction's invalidations follow EXEC's reply} {
        set c [trk_resp3_client]
        r mset m1 a m2 b
        assert_equal [trk_exchange $c {{client tracking on} {get m1} multi {set m1 x} {get m2} {set m2 y} exec}] \
            "+OK\r\n\$1\r\na\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n\$1\r\nb\r\n+OK\r\n[trk_push m1][trk_push m2]"
        $c close
    }

    test {NOLOOP: a client is not told about its own writes} {
        set c [trk_resp3_client]
        r mset n1 a n2 b
        assert_equal [trk_exchange $c {{client tracking on noloop} {mget n1 n2} {set n1 z}}] \
            "+OK\r\n*2\r\n\$1\r\na\r\n\$1\r\nb\r\n+OK\r\n"
        r set n2 z
        assert_equal [trk_exchange $c] [trk_push n2]
        # n1 was dropped from the table by the client's own write.
        r set n1 y
        assert_equal [trk_exchange $c] ""
        $c close
    }

    test {OPTIN: only the command after CLIENT CACHING YES is tracked} {
        set c [trk_resp3_client]
        assert_equal [trk_exchange $c {{client tracking on optin} {get o1} {client caching yes} {get o2} {get o3}}] \
            "+OK\r\n_\r\n+OK\r\n_\r\n_\r\n"
        r mset o1 1 o2 2 o3 3
        assert_equal [trk_exchange $c] [trk_push o2]
        # Inside MULTI the flag covers the whole transaction.
        assert_equal [trk_exchange $c {{client caching yes} multi {get o1} {get o3} exec}] \
            "+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n\$1\r\n1\r\n\$1\r\n3\r\n"
        r mset o1 4 o2 5 o3 6
        assert_equal [trk_exchange $c] "[trk_push o1][trk_push o3]"
        $c close
    }

    test {OPTOUT: every command is tracked but the one after CLIENT CACHING NO} {
        set c [trk_resp3_client]
        r mset p1 1 p2 2 p3 3
        assert_equal [trk_exchange $c {{client tracking on optout} {get p1} {client caching no} {get p2} {get p3}}] \
            "+OK\r\n\$1\r\n1\r\n+OK\r\n\$1\r\n2\r\n\$1\r\n3\r\n"
        r mset p1 4 p2 5 p3 6
        assert_equal [trk_exchange $c] "[trk_push p1][trk_push p3]"
        $c close
    }

    test {BCAST: one message per prefix, its keys sorted, after the writer's reply} {
        set c [trk_resp3_client]
        set w [redis_client]
        assert_equal [$c client tracking on bcast prefix k: prefix x:] OK
        $w mset x:2 a k:b b y:1 c k:a d x:1 e
        assert_equal [trk_exchange $c] "[trk_push {k:a k:b}][trk_push {x:1 x:2}]"
        # The client's own write is sent to it too, once the turn of the
        # loop that ran it ends (after PING, were it in the same pipeline).
        assert_equal [trk_exchange $c {{set k:z 1}}] "+OK\r\n"
        assert_equal [trk_exchange $c] [trk_push k:z]
        # Keys outside the prefixes are not sent.
        $w set other 1
        assert_equal [trk_exchange $c] ""
        assert_equal [trk_info tracking_total_prefixes] 2
        $c close
        $w close
        wait_for_condition 50 20 {[trk_info tracking_total_prefixes] == 0} else { fail "prefixes left" }
    }

    test {BCAST without PREFIX gets every key; NOLOOP drops its own writes} {
        r flushall
        set c [trk_resp3_client]
        set w [redis_client]
        assert_equal [$c client tracking on bcast noloop] OK
        assert_equal [$c client trackinginfo] {flags {on bcast noloop} redirect 0 prefixes {{}}}
        $c set mine 1
        assert_equal [trk_exchange $c] ""
        $w set theirs 1
        assert_equal [trk_exchange $c] [trk_push theirs]
        # Keys read in BCAST mode are not remembered one by one.
        $c get theirs
        assert_equal [trk_info tracking_total_keys] 0
        $c close
        $w close
    }

    test {BCAST through a RESP2 redirect} {
        lassign [trk_redirect_target] t tid
        set c [redis_client]
        assert_equal [$c client tracking on bcast prefix b: redirect $tid] OK
        r mset b:2 1 b:1 2
        assert_equal [trk_exchange $t] [trk_msg {b:1 b:2}]
        $c close
        $t close
    }

    test {tracking-table-max-keys: the table is cut back before each command, invalidating what it drops} {
        r config set tracking-table-max-keys 1
        set c [trk_resp3_client]
        set got [trk_exchange $c {{client tracking on} {get t1} {get t2} {get t3} {get t4}}]
        # Before GET t3, GET t4 and PING one key is dropped each time.
        assert_equal [regexp -all {>2\r\n\$10\r\ninvalidate} $got] 3
        assert_equal [trk_info tracking_total_keys] 1
        assert_equal [trk_info tracking_total_items] 1
        r config set tracking-table-max-keys 0
        $c get t5
        $c get t6
        assert_equal [trk_info tracking_total_keys] 3
        r config set tracking-table-max-keys 1000000
        $c close
    }

    test {A redirect target that goes away: tracking-redir-broken in RESP3, the R flag, broken_redirect} {
        set t [redis_client]
        set tid [$t client id]
        set c [trk_resp3_client]
        set c2 [redis_client]
        assert_equal [$c client tracking on redirect $tid] OK
        assert_equal [$c2 client tracking on redirect $tid] OK
        $c get rb
        $c2 get rb
        $t close
        wait_for_condition 50 20 {![string match "*id=$tid *" [r client list]]} else { fail "target still there" }
        r set rb 1
        assert_equal [trk_exchange $c] ">2\r\n\$21\r\ntracking-redir-broken\r\n:$tid\r\n"
        assert_equal [trk_exchange $c2] ""
        assert_equal [trk_client_field $c flags] tR
        assert_equal [$c client trackinginfo] [list flags {on broken_redirect} redirect $tid prefixes {}]
        $c close
        $c2 close
    }

    test {CLIENT LIST shows t, B and redir=} {
        set c [redis_client]
        assert_equal [trk_client_field $c flags] N
        assert_equal [trk_client_field $c redir] -1
        $c client tracking on
        assert_equal [trk_client_field $c flags] t
        assert_equal [trk_client_field $c redir] 0
        $c client tracking off
        $c client tracking on bcast
        assert_equal [trk_client_field $c flags] tB
        $c close
    }

    test {RESET turns tracking off} {
        set c [trk_resp3_client]
        assert_equal [$c client tracking on bcast prefix r:] OK
        assert_equal [$c reset] RESET
        assert_equal [$c client trackinginfo] {flags off redirect -1 prefixes {}}
        r set r:1 1
        assert_equal [trk_exchange $c] ""
        $c close
    }

    test {INFO counts tracking clients, keys, items and prefixes, and forgets closed clients} {
        r flushall
        set before [trk_info tracking_clients]
        set c1 [redis_client]
        set c2 [redis_client]
        set c3 [redis_client]
        $c1 client tracking on
        $c2 client tracking on
        $c3 client tracking on bcast prefix i: prefix j:
        $c1 mget i1 i2
        $c2 get i1
        assert_equal [trk_info tracking_clients] [expr {$before + 3}]
        assert_equal [trk_info tracking_total_keys] 2
        assert_equal [trk_info tracking_total_items] 3
        assert_equal [trk_info tracking_total_prefixes] 2
        r set i1 x
        assert_equal [trk_info tracking_total_keys] 1
        assert_equal [trk_info tracking_total_items] 1
        $c1 close
        $c2 close
        $c3 close
        wait_for_condition 50 20 {[trk_info tracking_clients] == $before} else { fail "tracking clients left" }
        assert_equal [trk_info tracking_total_prefixes] 0
    }
}
