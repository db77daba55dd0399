# io-threads 4 with io-threads-do-reads yes (iothreads.c): under a load of
# many clients the reads and writes go through the threads (INFO
# io_threads_active and io_threaded_*_processed), every acknowledged
# write is there, big replies that take several writes arrive whole, and
# clients that leave mid-batch or are killed leave the server sane.

start_server {tags {iothreads external:skip} overrides {io-threads 4 io-threads-do-reads yes}} {
    test {Under 50 clients the threads serve the I/O, and every INCR counts} {
        exec redis-benchmark -p [srv port] -c 50 -n 40000 -q INCR counter
        assert_equal [r get counter] 40000
        exec redis-benchmark -p [srv port] -c 50 -n 40000 -P 8 -q INCR counter
        assert_equal [r get counter] 80000
        set stats [r info stats]
        assert {[getInfoProperty $stats io_threaded_writes_processed] > 0}
        assert {[getInfoProperty $stats io_threaded_reads_processed] > 0}
    }

    test {io_threads_active is 1 while the threads are in use, 0 when idle} {
        set c [redis_deferring_client]
        set pid [exec redis-benchmark -p [srv port] -c 50 -n 2000000 -q PING > /dev/null 2>@1 &]
        wait_for_condition 100 20 {
            [getInfoProperty [r info server] io_threads_active] eq "1"
        } else {
            fail "the threads never became active"
        }
        exec kill $pid
        $c close
        wait_for_condition 100 20 {
            [getInfoProperty [r info server] io_threads_active] eq "0"
        } else {
            fail "the threads stayed active"
        }
    }

    test {Big replies written in several turns arrive whole, for every client} {
        r del big
        for {set i 0} {$i < 20000} {incr i 1000} {
            set vals {}
            for {set j $i} {$j < $i + 1000} {incr j} { lappend vals [string repeat v 20]$j }
            r rpush big {*}$vals
        }
        exec redis-benchmark -p [srv port] -c 30 -n 300 -q LRANGE big 0 -1
        set clients {}
        for {set k 0} {$k < 10} {incr k} {
            set c [redis_deferring_client]
            $c lrange big 0 -1
            lappend clients $c
        }
        foreach c $clients {
            set reply [$c read]
            assert_equal [llength $reply] 20000
            assert_equal [lindex $reply end] [string repeat v 20]19999
            $c close
        }
    }

    test {Clients killed or gone during a threaded load leave the server sane} {
        set pid [exec redis-benchmark -p [srv port] -c 50 -n 2000000 -q SET k v > /dev/null 2>@1 &]
        wait_for_condition 100 20 {
            [getInfoProperty [r info server] io_threads_active] eq "1"
        } else {
            fail "the threads never became active"
        }
        for {set k 0} {$k < 5} {incr k} {
            catch {r client kill type normal skipme yes}
            after 50
        }
        catch {exec kill $pid}
        assert_equal [r ping] PONG
        assert_equal [r get counter] 80000
    }
}
