# MIGRATE and RESTORE-ASKING: keys moved between Ember servers and to and
# from the real Redis 7.0.15, every option, the target's errors passed on,
# the IOERR texts, the DEL propagation, and the cached link (one connection
# on the target for many calls, reopened when the target dropped it). The
# expected error texts were taken from redis-server 7.0.15.

source tests/support/oracle.tcl

# Fills the client c with one key of each type (m:str with a TTL).
proc migrate_fill {c} {
    $c del m:str m:list m:hash m:set m:zset m:stream
    $c set m:str hello px 500000
    $c rpush m:list a b c
    $c hset m:hash f1 v1 f2 v2
    $c sadd m:set 1 2 3
    $c zadd m:zset 1 a 2 b
    $c xadd m:stream 1-1 f v
}
set ::migrate_keys {m:str m:list m:hash m:set m:zset m:stream}

# The DUMP payloads of the keys, in order.
proc migrate_dumps {c keys} {
    lmap k $keys { $c dump $k }
}

proc stat_field {c section field} {
    foreach line [split [$c info $section] "\r\n"] {
        if {[string match "$field:*" $line]} { return [lindex [split $line :] 1] }
    }
    return ""
}

# The number of clients connected to c (besides c itself) whose last command
# was cmd.
proc clients_with_cmd {c cmd} {
    set n 0
    foreach line [split [string trim [$c client list]] "\n"] {
        if {[string match "* cmd=$cmd *" $line]} { incr n }
    }
    return $n
}

start_server {tags {migrate}} {
    start_server {} {
        # Level -1 is the source, level 0 the target.
        set thost [srv host]
        set tport [srv port]

        test {MIGRATE moves one key of each type with its TTL, and the source loses it} {
            r flushall
            migrate_fill [srv -1 client]
            set dumps [migrate_dumps [srv -1 client] $::migrate_keys]
            foreach k $::migrate_keys {
                assert_equal [r -1 migrate $thost $tport $k 0 5000] OK
            }
            assert_equal [r -1 exists {*}$::migrate_keys] 0
            assert_equal [migrate_dumps [srv 0 client] $::migrate_keys] $dumps
            set ttl [r pttl m:str]
            assert {$ttl > 400000 && $ttl <= 500000}
            assert_equal [r ttl m:list] -1
        }

        test {MIGRATE KEYS moves several keys in one call and skips the missing ones} {
            r flushall
            migrate_fill [srv -1 client]
            set dumps [migrate_dumps [srv -1 client] $::migrate_keys]
            assert_equal [r -1 migrate $thost $tport "" 0 5000 KEYS {*}$::migrate_keys nosuchkey] OK
            assert_equal [r -1 dbsize] 0
            assert_equal [migrate_dumps [srv 0 client] $::migrate_keys] $dumps
            assert_equal [r exists nosuchkey] 0
        }

        test {MIGRATE of missing keys is +NOKEY and connects to nobody} {
            set free [::srv::find_port]
            assert_equal [r -1 migrate 127.0.0.1 $free nosuchkey 0 100] NOKEY
            assert_equal [r -1 migrate 127.0.0.1 $free "" 0 100 KEYS a b] NOKEY
            assert_equal [r -1 migrate 127.0.0.1 $free "" 0 100 KEYS] NOKEY
        }

        test {MIGRATE COPY keeps the source key; REPLACE overwrites the target's} {
            r flushall
            r -1 flushall
            r -1 set k source
            assert_equal [r -1 migrate $thost $tport k 0 5000 COPY] OK
            assert_equal [list [r -1 get k] [r get k]] {source source}
            r set k old
            assert_equal [r -1 migrate $thost $tport k 0 5000 COPY REPLACE] OK
            assert_equal [list [r -1 get k] [r get k]] {source source}
            r set k old
            assert_equal [r -1 migrate $thost $tport k 0 5000 REPLACE] OK
            assert_equal [list [r -1 exists k] [r get k]] {0 source}
        }

        test {MIGRATE to a target holding the key without REPLACE passes on BUSYKEY and keeps the key} {
            r flushall
            r -1 flushall
            r -1 set k source
            r set k target
            assert_error {ERR Target instance replied with error: BUSYKEY Target key name already exists.} {
                r -1 migrate $thost $tport k 0 5000
            }
            assert_equal [list [r -1 get k] [r get k]] {source target}
        }

        test {MIGRATE KEYS with one refused key moves the others and reports the first error} {
            r flushall
            r -1 flushall
            r -1 mset a 1 b 2 c 3
            r set b target
            assert_error {ERR Target instance replied with error: BUSYKEY*} {
                r -1 migrate $thost $tport "" 0 5000 KEYS a b c
            }
            assert_equal [lsort [r -1 keys *]] {b}
            assert_equal [list [r get a] [r get b] [r get c]] {1 target 3}
        }

        test {MIGRATE into another database, then back into 0 over the same link} {
            r flushall
            r -1 flushall
            r -1 mset x 1 y 2
            assert_equal [r -1 migrate $thost $tport x 5 5000] OK
            assert_equal [r -1 migrate $thost $tport y 0 5000] OK
            r select 5
            set in5 [r keys *]
            r select 0
            assert_equal [list $in5 [r keys *]] {x y}
        }

        test {MIGRATE to a database the target does not have passes on its SELECT error} {
            r -1 set k v
            assert_error {ERR Target instance replied with error: ERR DB index is out of range} {
                r -1 migrate $thost $tport k 99 5000
            }
            assert_equal [r -1 get k] v
            r -1 del k
        }

        test {MIGRATE argument errors} {
            r -1 set k v
            assert_error {ERR syntax error} {r -1 migrate $thost $tport k 0 100 AUTH}
            assert_error {ERR syntax error} {r -1 migrate $thost $tport k 0 100 AUTH2 user}
            assert_error {ERR syntax error} {r -1 migrate $thost $tport k 0 100 FOO}
            assert_error {ERR When using MIGRATE KEYS option, the key argument must be set to the empty string} {
                r -1 migrate $thost $tport k 0 100 KEYS k
            }
            assert_error {ERR value is not an integer or out of range} {r -1 migrate $thost $tport k 0 abc}
            assert_error {ERR value is not an integer or out of range} {r -1 migrate $thost $tport k x 100}
            assert_error {ERR wrong number of arguments for 'migrate' command} {r -1 migrate $thost $tport k 0}
            assert_equal [r -1 get k] v
            r -1 del k
        }

        test {MIGRATE is propagated as DEL of the keys the target accepted; COPY is not propagated} {
            r flushall
            r -1 flushall
            r -1 select 9
            r -1 mset a 1 b 2 c 3
            r set b target
            r -1 debug propagation off
            r -1 debug propagation on
            catch {r -1 migrate $thost $tport "" 0 5000 KEYS a b c}
            r -1 migrate $thost $tport b 0 5000 COPY REPLACE
            set stream [r -1 debug propagation get]
            r -1 debug propagation off
            r -1 select 0
            assert_equal $stream {{SELECT 9} {DEL a c}}
        }

        test {MIGRATE reuses one cached connection to the target} {
            r flushall
            r -1 flushall
            r -1 mset a 1 b 2 c 3
            assert_equal [r -1 migrate $thost $tport a 0 5000] OK
            set conns [stat_field [srv 0 client] stats total_connections_received]
            assert_equal [r -1 migrate $thost $tport b 0 5000] OK
            assert_equal [r -1 migrate $thost $tport c 3 5000] OK
            assert_equal [stat_field [srv 0 client] stats total_connections_received] $conns
            assert_equal [clients_with_cmd [srv 0 client] restore] 1
            assert_equal [stat_field [srv -1 client] stats migrate_cached_sockets] 1
        }

        test {MIGRATE over a cached connection the target closed reconnects once and succeeds} {
            r -1 set k v
            r client kill type normal skipme yes
            wait_for_condition 50 20 {[clients_with_cmd [srv 0 client] restore] == 0} else {
                fail "the target kept the link"
            }
            set conns [stat_field [srv 0 client] stats total_connections_received]
            assert_equal [r -1 migrate $thost $tport k 0 5000] OK
            assert_equal [stat_field [srv 0 client] stats total_connections_received] [expr {$conns + 1}]
            assert_equal [list [r -1 exists k] [r get k]] {0 v}
        }

        test {MIGRATE to a port nobody listens on is an IOERR and keeps the key} {
            r -1 set k v
            set free [::srv::find_port]
            assert_error {IOERR error or timeout writing to target instance} {
                r -1 migrate 127.0.0.1 $free k 0 500
            }
            assert_error {IOERR error or timeout connecting to the client} {
                r -1 migrate nosuchhost.invalid 6379 k 0 500
            }
            assert_equal [r -1 get k] v
        }

        test {MIGRATE to a target that does not answer in time is an IOERR reading, and the key stays} {
            r -1 set k v
            r del k
            r client pause 1000 all
            assert_error {IOERR error or timeout reading to target instance} {
                r -1 migrate $thost $tport k 0 200
            }
            assert_equal [r -1 get k] v
            assert_equal [r -1 migrate $thost $tport k 0 5000 REPLACE] OK
            assert_equal [r -1 exists k] 0
        }

        test {MIGRATE with AUTH, AUTH2 and wrong credentials} {
            r flushall
            # A link authenticated before requirepass would stay so.
            r client kill type normal skipme yes
            r config set requirepass pw
            r auth pw
            r acl setuser mover on >secret +@all ~*
            r -1 mset a 1 b 2
            assert_error {ERR Target instance replied with error: NOAUTH Authentication required.} {
                r -1 migrate $thost $tport a 0 5000
            }
            assert_error {ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.} {
                r -1 migrate $thost $tport a 0 5000 AUTH wrong
            }
            assert_error {ERR Target instance replied with error: WRONGPASS*} {
                r -1 migrate $thost $tport a 0 5000 AUTH2 mover wrong
            }
            assert_equal [r -1 migrate $thost $tport a 0 5000 AUTH pw] OK
            assert_equal [r -1 migrate $thost $tport b 0 5000 AUTH2 mover secret] OK
            assert_equal [list [r -1 dbsize] [r get a] [r get b]] {0 1 2}
            r acl deluser mover
            r config set requirepass ""
        }

        test {RESTORE-ASKING outside cluster mode is RESTORE} {
            r flushall
            r set k v
            set p [r dump k]
            r del k
            assert_equal [r restore-asking k 0 $p] OK
            assert_error {BUSYKEY Target key name already exists.} {r restore-asking k 0 $p}
            assert_equal [r restore-asking k 0 $p REPLACE] OK
            r get k
        } {v}

        test {COMMAND GETKEYS of MIGRATE: the key, or the keys after KEYS} {
            assert_equal [r command getkeys migrate h 1 k 0 0] {k}
            assert_equal [r command getkeys migrate h 1 "" 0 0 AUTH keys KEYS x y] {x y}
            assert_equal [r command getkeys migrate h 1 "" 0 0 AUTH2 u p KEYS x y] {x y}
        }

        test {The ACL key check covers every key of MIGRATE KEYS} {
            r -1 acl setuser mig on nopass +migrate ~a
            set c [redis_client -1]
            $c auth mig x
            assert_error {NOPERM this user has no permissions to access one of the keys used as arguments} {
                $c migrate $thost $tport "" 0 100 KEYS a b
            }
            $c close
            r -1 acl deluser mig
        }

        tags {slow} {
            test {A cached connection idle for more than 10 seconds is closed by the cron} {
                r -1 set k v
                assert_equal [r -1 migrate $thost $tport k 0 5000 REPLACE] OK
                assert_equal [stat_field [srv -1 client] stats migrate_cached_sockets] 1
                wait_for_condition 300 100 {[stat_field [srv -1 client] stats migrate_cached_sockets] == 0} else {
                    fail "the idle link was never closed"
                }
                wait_for_condition 50 20 {[clients_with_cmd [srv 0 client] restore] == 0} else {
                    fail "the target still sees the link"
                }
            }
        }
    }
}

# Ember and the real Redis 7.0.15 as each other's source and target.
if {[oracle_available]} {
    start_server {tags {migrate interop external:skip}} {
        set dir [file normalize [file join $::opt(tmpdir) "migrate-oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set ox [oracle_start $dir]
        set o [oracle_client $ox]
        set oport [lindex $ox 1]
        set eport [srv port]

        test {Ember MIGRATEs every type to Redis 7.0, which holds the same values} {
            $o flushall
            r flushall
            migrate_fill [srv 0 client]
            set dumps [migrate_dumps [srv 0 client] $::migrate_keys]
            assert_equal [r migrate 127.0.0.1 $oport "" 0 5000 KEYS {*}$::migrate_keys] OK
            assert_equal [r dbsize] 0
            assert_equal [migrate_dumps $o $::migrate_keys] $dumps
            assert {[$o pttl m:str] > 400000}
        }

        test {Redis 7.0 MIGRATEs every type to Ember, which holds the same values} {
            $o flushall
            r flushall
            migrate_fill $o
            set dumps [migrate_dumps $o $::migrate_keys]
            assert_equal [$o migrate 127.0.0.1 $eport "" 0 5000 KEYS {*}$::migrate_keys] OK
            assert_equal [$o dbsize] 0
            assert_equal [migrate_dumps [srv 0 client] $::migrate_keys] $dumps
            assert {[r pttl m:str] > 400000}
        }

        test {Errors of a Redis 7.0 target reach the Ember source, and the reverse, with the same text} {
            $o flushall
            r flushall
            r set k ember
            $o set k redis
            set e1 [catch {r migrate 127.0.0.1 $oport k 0 5000} err1]
            set e2 [catch {$o migrate 127.0.0.1 $eport k 0 5000} err2]
            assert_equal [list $e1 $e2] {1 1}
            assert_equal $err1 {ERR Target instance replied with error: BUSYKEY Target key name already exists.}
            assert_equal $err2 $err1
            assert_equal [list [r get k] [$o get k]] {ember redis}
        }

        test {COPY, REPLACE, KEYS and a destination database, both ways} {
            $o flushall
            r flushall
            r mset a 1 b 2
            $o set b old
            assert_equal [r migrate 127.0.0.1 $oport "" 3 5000 COPY REPLACE KEYS a b] OK
            $o select 3
            set got [list [$o get a] [$o get b]]
            $o select 0
            assert_equal $got {1 2}
            assert_equal [r dbsize] 2
            assert_equal [$o migrate 127.0.0.1 $eport b 4 5000 REPLACE] OK
            r select 4
            set got [r get b]
            r select 0
            assert_equal $got old
            assert_equal [$o exists b] 0
        }

        test {AUTH and AUTH2 towards Redis 7.0 and from it} {
            $o flushall
            r flushall
            # Links authenticated before requirepass would stay so.
            $o client kill type normal skipme yes
            r client kill type normal skipme yes
            $o config set requirepass pw
            $o auth pw
            r config set requirepass pw
            r auth pw
            r set a 1
            $o set b 2
            assert_error {ERR Target instance replied with error: WRONGPASS*} {r migrate 127.0.0.1 $oport a 0 5000 AUTH nope}
            assert_error {ERR Target instance replied with error: WRONGPASS*} {$o migrate 127.0.0.1 $eport b 0 5000 AUTH nope}
            assert_equal [r migrate 127.0.0.1 $oport a 0 5000 AUTH2 default pw] OK
            assert_equal [$o migrate 127.0.0.1 $eport b 0 5000 AUTH pw] OK
            assert_equal [list [$o get a] [r get b]] {1 2}
            $o config set requirepass ""
            r config set requirepass ""
        }

        test {Redis 7.0 keeps one cached connection to an Ember target, as Ember does to Redis} {
            r flushall
            $o flushall
            $o mset a 1 b 2 c 3
            r mset x 1 y 2 z 3
            assert_equal [$o migrate 127.0.0.1 $eport a 0 5000] OK
            assert_equal [r migrate 127.0.0.1 $oport x 0 5000] OK
            set ec [stat_field [srv 0 client] stats total_connections_received]
            set oc [stat_field $o stats total_connections_received]
            assert_equal [$o migrate 127.0.0.1 $eport b 0 5000] OK
            assert_equal [$o migrate 127.0.0.1 $eport c 0 5000] OK
            assert_equal [r migrate 127.0.0.1 $oport y 0 5000] OK
            assert_equal [r migrate 127.0.0.1 $oport z 0 5000] OK
            assert_equal [stat_field [srv 0 client] stats total_connections_received] $ec
            assert_equal [stat_field $o stats total_connections_received] $oc
            assert_equal [list [clients_with_cmd [srv 0 client] restore] [clients_with_cmd $o restore]] {1 1}
        }

        test {COMMAND INFO of MIGRATE and RESTORE-ASKING, and MIGRATE's keys, are Redis 7.0's} {
            assert_equal [r command info migrate restore-asking] [$o command info migrate restore-asking]
            foreach args {{h 1 k 0 0} {h 1 "" 0 0 AUTH2 u p KEYS x y} {h 1 "" 0 0 KEYS}} {
                set e1 [catch {r command getkeys migrate {*}$args} r1]
                set e2 [catch {$o command getkeys migrate {*}$args} r2]
                assert_equal [list $e1 $r1] [list $e2 $r2]
            }
        }

        oracle_stop $ox
    }
}
