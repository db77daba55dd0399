# The link cut again and again under a write load: an Ember replica of an
# Ember primary and a Redis 7.0.15 replica of the same primary (when
# /usr/bin/redis-server is there) see their links killed every few hundred
# milliseconds for ten seconds, from either side, while every type is
# written (on a bounded set of keys, so the final comparison is quick). At
# the end the datasets match and the resyncs were mostly partial ones.

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

start_server {tags {repl slow external:skip}} {
    set m [srv client]
    start_server {} {
        r replicaof 127.0.0.1 [srv -1 port]
        set ox {}
        if {[oracle_available]} {
            set ox [oracle_start [repl_oracle_dir] --replicaof 127.0.0.1 [srv -1 port]]
        }

        test {Links killed every few hundred ms under load end with matching data, mostly by partial resyncs} {
            rdb_fill_all_types $m
            repl_wait_synced $m [srv client]
            set n 0
            set kills 0
            set end [expr {[clock milliseconds] + 10000}]
            while {[clock milliseconds] < $end} {
                set until [expr {[clock milliseconds] + 100 + [randomInt 300]}]
                while {[clock milliseconds] < $until} { repl_write_round $m [expr {[incr n] % 100}] }
                if {$kills % 2} {
                    catch {r client kill type master}
                } else {
                    $m client kill type replica
                }
                incr kills
            }
            repl_wait_synced $m [srv client]
            assert_equal [r debug digest] [$m debug digest]
            if {$ox ne {}} {
                set o [oracle_client $ox]
                repl_wait_synced $m $o
                assert_equal [repl_dataset $o] [repl_dataset $m]
            }
            set full [getInfoProperty [$m info stats] sync_full]
            set partial [getInfoProperty [$m info stats] sync_partial_ok]
            assert {$kills >= 20}
            assert {$partial > 3 * $full}
        }

        if {$ox ne {}} { oracle_stop $ox }
    }
}
