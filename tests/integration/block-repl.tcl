# Blocking commands served on a primary reach its replicas as what they
# did: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX,
# BZMPOP and XREADGROUP, each woken by a write of another client, while a
# write load runs, and chains of BLMOVE feeding one another. An Ember
# replica (DEBUG DIGEST) and a Redis 7.0.15 replica (key by key, when
# /usr/bin/redis-server is there) end with the primary's dataset.

source tests/support/oracle.tcl
source tests/support/repl.tcl

start_server {tags {repl blocking external:skip}} {
    set m [srv client]
    set mport [srv port]
    start_server {} {
        set r [srv client]
        $r replicaof 127.0.0.1 $mport
        set ox {}
        if {[oracle_available]} {
            set ox [oracle_start [repl_oracle_dir] --replicaof 127.0.0.1 $mport]
        }
        $m set warm 1
        repl_wait_synced $m $r

        test {Blocked clients served by other clients' writes replicate as what they did} {
            $m xgroup create st g $ MKSTREAM
            set cmds {
                {blpop l1 0} {brpop l2 0} {blmove l3 d3 left right 0} {brpoplpush l4 d4 0}
                {blmpop 0 2 l5 l6 right count 2} {bzpopmin z1 0} {bzpopmax z2 0}
                {bzmpop 0 1 z3 min count 2} {xreadgroup group g c1 count 2 block 0 streams st >}
                {blmove c1 c2 right left 0} {blmove c2 c3 right left 0}
            }
            set clients {}
            foreach cmd $cmds {
                set c [redis 127.0.0.1 $mport 1]
                $c {*}$cmd
                $c flush
                lappend clients $c
            }
            wait_for_condition 100 50 {
                [getInfoProperty [$m info clients] blocked_clients] == [llength $cmds]
            } else {
                fail "not every client blocked: [$m info clients]"
            }
            for {set j 0} {$j < 50} {incr j} { repl_write_round $m $j }
            $m rpush l1 a b
            $m rpush l2 a b
            $m rpush l3 a b
            $m rpush l4 a b
            $m rpush l6 x y z
            $m zadd z1 1 a 2 b
            $m zadd z2 1 a 2 b
            $m zadd z3 1 a 2 b 3 c
            $m xadd st 1-1 f v
            $m xadd st 2-1 f w
            $m rpush c1 chained
            set replies {}
            foreach c $clients { lappend replies [$c read]; $c close }
            assert_equal $replies [list {l1 a} {l2 b} a b {l6 {z y}} {z1 a 1} {z2 b 2} {z3 {{a 1} {b 2}}} \
                {{st {{1-1 {f v}}}}} chained chained]
            assert_equal [$m lrange c3 0 -1] chained
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
            assert_equal [$r lrange d3 0 -1] a
            assert_equal [$r xinfo groups st] [$m xinfo groups st]
            if {$ox ne {}} {
                set o [oracle_client $ox]
                repl_wait_synced $m $o
                assert_equal [repl_dataset $o] [repl_dataset $m]
                assert_equal [$o xpending st g] [$m xpending st g]
            }
        }

        test {A blocked client that times out changes nothing on the replicas} {
            set off [getInfoProperty [$m info replication] master_repl_offset]
            set c [redis 127.0.0.1 $mport 1]
            $c blpop nothing 0.1
            $c flush
            assert_equal [$c read] {}
            $c close
            assert_equal [getInfoProperty [$m info replication] master_repl_offset] $off
        }

        if {$ox ne {}} { oracle_stop $ox }
    }
}
