# tls-replication yes: a replica connects to its primary's tls-port
# through the TLS connection type, with the client certificate of
# tls-client-cert-file (or the server's own) and the primary's certificate
# checked against tls-ca-cert-file. Ember to Ember (a diskless sync the
# parent relays from the child's pipe, since the TLS session lives in the
# parent, and a diskless load on the replica; with repl-diskless-sync no,
# a disk sync), then Redis 7.0.15 (/usr/bin/redis-server, built with TLS)
# as the primary and as the replica.

source tests/support/oracle.tcl
source tests/support/rdbfill.tcl
source tests/support/repl.tcl

if {![server_has_tls]} {
    puts "replication-tls: this server is built without TLS, skipping"
    return
}

set certs [tls_certs_dir]

start_server {tags {repl tls external:skip} tls 1 overrides {tls-auth-clients yes enable-debug-command yes}} {
    set m [srv client]
    set mtls [srv tls_port]
    rdb_fill_all_types $m
    # Big enough for many relayed chunks, and more than a pipe holds.
    $m debug populate 30000 pop 100

    start_server [list tls 1 overrides [list tls-replication yes repl-diskless-load swapdb \
            tls-client-cert-file [file join $certs client.crt] tls-client-key-file [file join $certs client.key]]] {
        set r [srv client]
        test {A TLS replica of a TLS primary: full sync, then the stream} {
            r replicaof 127.0.0.1 $mtls
            repl_wait_synced $m $r
            for {set j 0} {$j < 20} {incr j} { repl_write_round $m $j }
            repl_wait_synced $m $r
            assert_equal [$r debug digest] [$m debug digest]
            assert_equal [count_log_lines {*Starting BGSAVE for SYNC with target: replicas sockets*} -1] 1
            verify_log_message {*receiving streamed RDB from master with EOF to parser*}
            assert_match "*slave0:ip=127.0.0.1,port=[srv port],state=online*" [$m info replication]
        }

        test {The TLS link cut: a partial resync over TLS} {
            set ok [getInfoProperty [$m info stats] sync_partial_ok]
            $m client kill type replica
            for {set j 20} {$j < 30} {incr j} { repl_write_round $m $j }
            repl_wait_synced $m $r
            assert_equal [getInfoProperty [$m info stats] sync_partial_ok] [expr {$ok + 1}]
            assert_equal [$r debug digest] [$m debug digest]
        }

        test {repl-diskless-sync no: a TLS replica gets the RDB file} {
            $m config set repl-diskless-sync no
            $r config set repl-diskless-load disabled
            $r replicaof no one
            $r flushall
            $r replicaof 127.0.0.1 $mtls
            repl_wait_synced $m $r
            assert_equal [count_log_lines {*Starting BGSAVE for SYNC with target: disk*} -1] 1
            assert_equal [$r debug digest] [$m debug digest]
            $m config set repl-diskless-sync yes
        }
    }

    test {tls-replication without certificates: the server does not start, as Redis 7.0} {
        set res [run_server_to_exit --port 0 --tls-replication yes --save ""]
        assert_equal 1 [dict get $res status]
        assert_match {*No tls-cert-file configured!*Failed to configure TLS. Check logs for more info.*} [dict get $res stdout]
    }
}

if {![oracle_available]} {
    puts "replication-tls: /usr/bin/redis-server not found, skipping the interop tests"
    return
}

proc tls_oracle_args {tls_port} {
    set certs [tls_certs_dir]
    return [list --tls-port $tls_port --tls-cert-file [file join $certs server.crt] \
        --tls-key-file [file join $certs server.key] --tls-ca-cert-file [file join $certs ca.crt] \
        --tls-client-cert-file [file join $certs client.crt] --tls-client-key-file [file join $certs client.key] \
        --tls-replication yes --repl-diskless-sync-delay 0]
}

start_server [list tags {repl tls interop external:skip} tls 1 overrides [list tls-replication yes \
        tls-client-cert-file [file join $certs client.crt] tls-client-key-file [file join $certs client.key]]] {
    set e [srv client]
    set etls [srv tls_port]

    test {Ember replica of a TLS Redis 7.0 primary, and a TLS Redis 7.0 replica of Ember} {
        set ox [oracle_start [repl_oracle_dir] {*}[tls_oracle_args [::srv::find_port]]]
        set o [oracle_client $ox]
        set otls [lindex [$o config get tls-port] 1]
        rdb_fill_all_types $o
        $e replicaof 127.0.0.1 $otls
        for {set j 0} {$j < 20} {incr j} { repl_write_round $o $j }
        repl_wait_synced $o $e
        assert_equal [repl_dataset $e] [repl_dataset $o]
        # Roles swapped: Redis replicates from Ember's tls-port.
        $e replicaof no one
        $o replicaof 127.0.0.1 $etls
        for {set j 20} {$j < 40} {incr j} { repl_write_round $e $j }
        repl_wait_synced $e $o
        assert_equal [repl_dataset $o] [repl_dataset $e]
        oracle_stop $ox
    }
}
