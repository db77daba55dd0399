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
