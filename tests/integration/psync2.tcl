# PSYNC2 with Ember only: a replica keeps a backlog of the stream it
# applies, so a replica of a replica (a chain) is served from it, and after
# a promotion (REPLICAOF NO ONE) the former siblings and sub-replicas
# continue with a partial resync under the promoted server's replid2.

source tests/support/rdbfill.tcl
source tests/support/repl.tcl

start_server {tags {repl external:skip}} {
    set p [srv client]
    set pport [srv port]
    start_server {} {
        set a [srv client]
        set aport [srv port]
        start_server {} {
            set b [srv client]
            start_server {} {
                set c [srv client]

                test {A chain: a replica of a replica gets the stream through it} {
                    rdb_fill_all_types $p
                    $a replicaof 127.0.0.1 $pport
                    $b replicaof 127.0.0.1 $pport
                    repl_wait_synced $p $a
                    $c replicaof 127.0.0.1 $aport
                    for {set j 0} {$j < 30} {incr j} { repl_write_round $p $j }
                    repl_wait_synced $p $a
                    repl_wait_synced $p $b
                    repl_wait_synced $a $c
                    assert_equal [$c debug digest] [$p debug digest]
                    assert_equal [getInfoProperty [$a info replication] master_replid] \
                        [getInfoProperty [$p info replication] master_replid]
                    assert_equal [getInfoProperty [$c info replication] master_repl_offset] \
                        [getInfoProperty [$p info replication] master_repl_offset]
                    assert_match {*slave0:*state=online*} [$a info replication]
                }

                test {After a promotion the sibling and the sub-replica continue by partial resync} {
                    set off [getInfoProperty [$a info replication] master_repl_offset]
                    $a replicaof no one
                    assert_equal [getInfoProperty [$a info replication] second_repl_offset] [expr {$off + 1}]
                    set full [getInfoProperty [$a info stats] sync_full]
                    $b replicaof 127.0.0.1 $aport
                    for {set j 30} {$j < 50} {incr j} { repl_write_round $a $j }
                    repl_wait_synced $a $b
                    repl_wait_synced $a $c
                    assert_equal [getInfoProperty [$a info stats] sync_full] $full
                    assert {[getInfoProperty [$a info stats] sync_partial_ok] >= 2}
                    assert_equal [$b debug digest] [$a debug digest]
                    assert_equal [$c debug digest] [$a debug digest]
                    # The old primary, with no writes since, continues too.
                    $p replicaof 127.0.0.1 $aport
                    repl_wait_synced $a $p
                    assert_equal [getInfoProperty [$a info stats] sync_full] $full
                    assert_equal [$p debug digest] [$a debug digest]
                }
            }
        }
    }
}
