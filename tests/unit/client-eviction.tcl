# maxmemory-clients: when all clients together hold the limit, the one
# holding the most is closed (logged, counted in evicted_clients), unless
# it said CLIENT NO-EVICT ON; the limit may be a share of maxmemory and is
# never under 128 KB. The heavy client here holds a big argument it has not
# finished sending, which is memory the server must keep for it.

# A client that announces a SET of `size` bytes and sends `sent` of them
# (the server may close it while it sends: that is what is tested).
proc ce_heavy_client {size sent {noevict off}} {
    set c [redis_client]
    $c client setname heavy
    $c client no-evict $noevict
    set fd [$c channel]
    catch {
        puts -nonewline $fd "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$$size\r\n[string repeat x $sent]"
        flush $fd
    }
    return $c
}

# 1 when the client named heavy is gone from CLIENT LIST.
proc ce_heavy_gone {} {
    expr {[string first "name=heavy" [r client list]] < 0}
}

start_server {tags {maxmemory client-eviction}} {
    test {A client over maxmemory-clients is evicted and logged} {
        r config resetstat
        r config set maxmemory-clients 1mb
        set c [ce_heavy_client 4000000 2000000]
        wait_for_condition 50 100 {[ce_heavy_gone]} else { fail "the heavy client was not evicted" }
        $c close
        r config set maxmemory-clients 0
        list [s evicted_clients] [count_log_lines "*Evicting client: id=* name=heavy *"]
    } {1 1}

    test {CLIENT NO-EVICT ON protects a client} {
        r config resetstat
        # The test's own client is the next largest: protect it too.
        r client no-evict on
        r config set maxmemory-clients 1mb
        set c [ce_heavy_client 4000000 2000000 on]
        after 300
        set alive [expr {![ce_heavy_gone]}]
        r config set maxmemory-clients 0
        r client no-evict off
        $c close
        list $alive [s evicted_clients]
    } {1 0}

    test {maxmemory-clients as a percentage of maxmemory} {
        r config resetstat
        r config set maxmemory 100mb
        r config set maxmemory-clients 1%
        set c [ce_heavy_client 4000000 2000000]
        wait_for_condition 50 100 {[ce_heavy_gone]} else { fail "the heavy client was not evicted" }
        $c close
        r config set maxmemory-clients 0
        r config set maxmemory 0
        s evicted_clients
    } {1}

    test {Clients under the limit stay, and the limit is never under 128 KB} {
        r config resetstat
        r config set maxmemory-clients 1
        set c [ce_heavy_client 50000 20000]
        after 300
        set alive [expr {![ce_heavy_gone]}]
        r config set maxmemory-clients 0
        $c close
        list $alive [s evicted_clients] [r ping]
    } {1 0 PONG}
}
