# Keyspace notifications: the notify-keyspace-events classes and their
# CONFIG GET form, and the events each command publishes on the
# __keyspace@<db>__ and __keyevent@<db>__ channels, in order.

# A deferring client psubscribed to both channel families of db 0.
proc ke_subscriber {} {
    set c [redis_deferring_client]
    $c psubscribe __keyspace@0__:* __keyevent@0__:*
    $c read
    $c read
    return $c
}

# The next n notifications on c, each as "channel message".
proc ke_read {c n} {
    set got {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel message
        lappend got "$channel $message"
    }
    return $got
}

# The pair of notifications one event makes in db 0.
proc ke_pair {event key} {
    list "__keyspace@0__:$key $event" "__keyevent@0__:$event $key"
}

# The pairs for a list of event key event key ...
proc ke_pairs {args} {
    set out {}
    foreach {event key} $args { lappend out {*}[ke_pair $event $key] }
    return $out
}

start_server {tags {pubsub keyspace-events}} {
    test {notify-keyspace-events CONFIG GET shows the normal form} {
        set forms {}
        foreach v {KEA Kg AKE E$ Elshzxetd KEn Km A KEAm nd {} KEgx$lshzet} {
            r config set notify-keyspace-events $v
            lappend forms [lindex [r config get notify-keyspace-events] 1]
        }
        assert_equal $forms [list AKE gK AKE {$E} lshzxetdE nKE Km A AKEm dn {} {g$lshzxetKE}]
    }

    test {notify-keyspace-events refuses an unknown class} {
        catch {r config set notify-keyspace-events KEq} e
        assert_match {*Invalid event class character*} $e
    }

    test {Keyspace events: nothing is published when disabled} {
        r config set notify-keyspace-events {}
        set c [ke_subscriber]
        r set quiet 1
        r config set notify-keyspace-events KEA
        r set loud 1
        assert_equal [ke_read $c 2] [ke_pairs set loud]
        $c close
        r flushall
    }

    test {Keyspace events: generic commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r set a 1
        r del a nosuch
        r set e 1
        r expire e 100
        r persist e
        r expire e -1
        r set r 1
        r rename r r2
        r renamenx r2 r3
        r copy r3 r4
        r move r4 1
        set want [ke_pairs set a del a set e expire e persist e del e \
            set r rename_from r rename_to r2 rename_from r2 rename_to r3 copy_to r4 move_from r4]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: string commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r setex s 100 v
        r mset m1 1 m2 2
        r append s x
        r setrange s 1 y
        r incr n
        r decrby n 3
        r incrbyfloat f 1.5
        r getex s persist
        r getex s ex 10
        r getdel s
        set want [ke_pairs set s expire s set m1 set m2 append s setrange s \
            incrby n incrby n incrbyfloat f persist s expire s del s]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: list commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r lpush l a b c
        r rpushx l d
        r lpop l
        r rpop l 2
        r lset l 0 q
        r linsert l before q p
        r lrem l 1 p
        r ltrim l 0 0
        r rpush l2 a b
        r lmove l2 l3 left right
        r rpoplpush l2 l3
        r lmpop 1 l3 left count 5
        r lrem l 0 q
        set want [ke_pairs lpush l rpush l lpop l rpop l lset l linsert l lrem l ltrim l \
            rpush l2 rpush l3 lpop l2 lpush l3 rpop l2 del l2 lpop l3 del l3 lrem l del l]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: hash commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r hset h a 1 b 2
        r hsetnx h a 9
        r hsetnx h d 4
        r hincrby h a 5
        r hincrbyfloat h b 1.5
        r hdel h a nosuch
        r hdel h b d
        set want [ke_pairs hset h hset h hincrby h hincrbyfloat h hdel h hdel h del h]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: set commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r sadd s a b c
        r sadd s a
        r srem s a nosuch
        r smove s t b
        r smove s t c
        r sadd p 1 2 3
        r spop p
        r spop p 5
        r sadd x 1 2
        r sinterstore d x t
        r sunionstore d x t
        r sdiffstore d x x
        set want [ke_pairs sadd s srem s srem s sadd t srem s del s sadd t sadd p spop p spop p del p \
            sadd x sunionstore d del d]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: sorted set commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r zadd z 1 a 2 b 3 c 4 d 5 e
        r zadd z 1 a
        r zadd z gt 0 a
        r zadd z ch 7 a
        r zadd z incr 5 a
        r zadd z incr nx 5 a
        r zincrby z 2 b
        r zrem z a nosuch
        r zrem z nosuch
        r zremrangebyscore z 100 200
        r zremrangebyscore z 3 3
        r zremrangebyrank z 0 0
        r zadd l 0 a 0 b 0 c
        r zremrangebylex l {[a} {[b}
        r zremrangebylex l {[a} {[c}
        r zpopmin z
        r zpopmax z 5
        r zpopmin z
        set want [ke_pairs zadd z zadd z zincr z zincr z zrem z zremrangebyscore z \
            zremrangebyrank z zadd l zremrangebylex l zremrangebylex l del l \
            zpopmin z zpopmax z del z]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: sorted set stores and multi-pops} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r zadd z 1 a 2 b 3 c
        r zadd z2 1 a 9 q
        r zrangestore d z 0 -1
        r zrangestore d z 10 20
        r zrangestore d z 10 20
        r zunionstore u 2 z z2
        r zinterstore i 2 z z2
        r zdiffstore df 2 z z2
        r zinterstore i 2 z nosuch
        r zdiffstore df 1 nosuch
        r set str x
        r zunionstore str 1 z
        r zmpop 1 z min
        r zmpop 2 nosuch z max count 10
        r zrem z2 a q
        set want [ke_pairs zadd z zadd z2 zrangestore d del d zunionstore u zinterstore i \
            zdiffstore df del i del df set str zunionstore str zpopmin z zpopmax z del z \
            zrem z2 del z2]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: bitmap commands} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r setbit b 7 1
        r setbit b 7 1
        r setbit b 100 0
        r bitfield bf set u8 0 255
        r bitfield bf set u8 0 255
        r bitfield bf get u8 0 overflow fail incrby u8 0 10
        r bitfield bf incrby u8 0 1
        r bitfield_ro bf get u8 0
        r set s1 abc
        r bitop and d s1 b
        r bitop not d s1
        r bitop and d nosuch
        r bitop and d nosuch
        set want [ke_pairs setbit b setbit b setbit bf setbit bf set s1 set d set d del d]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: SORT STORE} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r rpush L 3 1 2
        r sort L
        r sort L store S
        r sort L by nosort store S
        r sort nosuch store S
        r sort nosuch store S
        set want [ke_pairs rpush L sortstore S sortstore S del S]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: SWAPDB and FLUSHDB publish nothing} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r set k 1
        r swapdb 0 1
        r swapdb 0 1
        r flushdb
        r set done 1
        assert_equal [ke_read $c 4] [ke_pairs set k set done]
        $c close
        r flushall
    }

    test {Keyspace events: blocking pops served at once} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        r rpush l a b
        r blpop l 0
        r brpop l 0
        r rpush l a
        r blmove l l2 left left 0
        r brpoplpush l2 l2 0
        r blmpop 0 1 l2 right count 5
        r zadd z 1 a 2 b
        r bzpopmin z 0
        r bzmpop 0 1 z max count 3
        set want [ke_pairs rpush l lpop l rpop l del l rpush l lpush l2 lpop l del l \
            lpush l2 rpop l2 rpop l2 del l2 zadd z zpopmin z zpopmax z del z]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    # Blocks a new deferring client with cmd, waits until the server counts
    # it as blocked, and returns the client.
    proc ke_blocked {cmd} {
        set b [redis_deferring_client]
        set before [s blocked_clients]
        $b {*}$cmd
        wait_for_condition 100 20 {
            [s blocked_clients] > $before
        } else {
            fail "client did not block on $cmd"
        }
        return $b
    }

    test {Keyspace events: blocked list pops served later} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        set b1 [ke_blocked {blpop bl 0}]
        r rpush bl a b
        assert_equal [$b1 read] {bl a}
        set b2 [ke_blocked {brpop bl2 0}]
        r lpush bl2 x
        assert_equal [$b2 read] {bl2 x}
        set b3 [ke_blocked {blmove src dst left right 0}]
        r rpush src a
        assert_equal [$b3 read] a
        set b4 [ke_blocked {blmpop 0 1 mp left count 5}]
        r rpush mp a b
        assert_equal [$b4 read] {mp {a b}}
        set want [ke_pairs rpush bl lpop bl lpush bl2 rpop bl2 del bl2 \
            rpush src rpush dst lpop src del src rpush mp lpop mp del mp]
        assert_equal [ke_read $c [llength $want]] $want
        foreach b [list $b1 $b2 $b3 $b4] { $b close }
        $c close
        r flushall
    }

    test {Keyspace events: blocked sorted set pops served later} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        set b1 [ke_blocked {bzpopmin bz 0}]
        r zadd bz 1 a
        assert_equal [$b1 read] {bz a 1}
        set b2 [ke_blocked {bzpopmax bz2 0}]
        r zadd bz2 1 a 2 b
        assert_equal [$b2 read] {bz2 b 2}
        set b3 [ke_blocked {bzmpop 0 1 bzm min count 5}]
        r zadd bzm 1 a 2 b
        assert_equal [$b3 read] {bzm {{a 1} {b 2}}}
        set want [ke_pairs zadd bz zpopmin bz del bz zadd bz2 zpopmax bz2 \
            zadd bzm zpopmin bzm del bzm]
        assert_equal [ke_read $c [llength $want]] $want
        foreach b [list $b1 $b2 $b3] { $b close }
        $c close
        r flushall
    }

    test {Keyspace events: clients blocked on one key served in order, then a MULTI push} {
        r config set notify-keyspace-events KEA
        set c [ke_subscriber]
        set b1 [ke_blocked {blpop w 0}]
        set b2 [ke_blocked {blpop w 0}]
        r rpush w a b c
        assert_equal [$b1 read] {w a}
        assert_equal [$b2 read] {w b}
        set b3 [ke_blocked {blpop m1 m2 0}]
        r multi
        r rpush m1 a
        r rpush m2 b
        r exec
        assert_equal [$b3 read] {m1 a}
        set want [ke_pairs rpush w lpop w lpop w rpush m1 rpush m2 lpop m1 del m1]
        assert_equal [ke_read $c [llength $want]] $want
        foreach b [list $b1 $b2 $b3] { $b close }
        $c close
        r flushall
    }

    test {Keyspace events: keymiss (m) on read misses only} {
        r config set notify-keyspace-events KEm
        set c [ke_subscriber]
        r get nokey
        r exists e1
        r object encoding nokey
        r mget a b
        r sinterstore d s1 s2
        r lpush l x
        r lrange l 0 -1
        r set k 1 get
        r rpop nokey
        r get done
        set want [ke_pairs keymiss nokey keymiss e1 keymiss a keymiss b keymiss s1 keymiss s2 \
            keymiss k keymiss done]
        assert_equal [ke_read $c [llength $want]] $want
        $c close
        r flushall
    }

    test {Keyspace events: new (n) comes before the creating event} {
        r config set notify-keyspace-events KEAn
        set c [ke_subscriber]
        r set k 1
        r set k 2
        r append k2 x
        assert_equal [ke_read $c 10] [ke_pairs new k set k set k new k2 append k2]
        $c close
        r flushall
    }

    test {Keyspace events: only the classes and families selected} {
        r config set notify-keyspace-events E$
        set c [ke_subscriber]
        r set k 1
        r expire k 100
        r incr k
        r config set notify-keyspace-events Kg
        r del k
        assert_equal [ke_read $c 3] {{__keyevent@0__:set k} {__keyevent@0__:incrby k} {__keyspace@0__:k del}}
        $c close
        r flushall
    }

    test {Keyspace events: expired from lazy expiry} {
        r config set notify-keyspace-events KEx
        r debug set-active-expire 0
        set c [ke_subscriber]
        r psetex lazy 1 v
        after 20
        assert_equal [r get lazy] {}
        assert_equal [ke_read $c 2] [ke_pair expired lazy]
        $c close
        r debug set-active-expire 1
        r flushall
    }

    test {Keyspace events: expired from active expiry} {
        r config set notify-keyspace-events KEx
        set c [ke_subscriber]
        r psetex active 1 v
        assert_equal [ke_read $c 2] [ke_pair expired active]
        $c close
        r flushall
    }
}
