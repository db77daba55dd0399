# maxmemory and eviction: the -OOM refusal under noeviction (and under the
# volatile policies when no key has a deadline), each eviction policy
# choosing the keys it should, the LFU counter behind OBJECT FREQ, and what
# an eviction does besides freeing memory: evicted_keys, the `evicted`
# keyspace event, a DEL in the propagated stream, WATCH touched. Limits are
# set a little above the memory in use, so each test only writes a few
# hundred kilobytes.

# Sets maxmemory to the memory in use plus `extra` bytes.
proc mm_limit_above_used {extra} {
    r config set maxmemory 0
    set used [s used_memory]
    r config set maxmemory [expr {$used + $extra}]
    return [expr {$used + $extra}]
}

# Writes `n` keys prefix:0 .. of `size` bytes each (with a 1000 s TTL when
# volatile), pipelined; returns the replies.
proc mm_fill {prefix n size {volatile 0}} {
    set val [string repeat x $size]
    set rd [redis_deferring_client]
    for {set j 0} {$j < $n} {incr j} {
        if {$volatile} {
            $rd set $prefix:$j $val ex 1000
        } else {
            $rd set $prefix:$j $val
        }
    }
    set replies {}
    for {set j 0} {$j < $n} {incr j} {
        lappend replies [catch {$rd read} e] $e
    }
    $rd close
    return $replies
}

# How many of prefix:0 .. prefix:n-1 still exist.
proc mm_count_left {prefix n} {
    set left 0
    for {set j 0} {$j < $n} {incr j} { incr left [r exists $prefix:$j] }
    return $left
}

start_server {tags {maxmemory}} {
    r config set maxmemory-samples 10

    test {noeviction refuses deny-oom commands with -OOM and serves the rest} {
        r flushall
        r set kept v
        r config set maxmemory-policy noeviction
        r config set maxmemory 1
        set errs {}
        lappend errs [catch {r set other v} e] $e
        lappend errs [catch {r lpush list a} e] $e
        set rest [list [r get kept] [r del kept] [r exists kept]]
        r config set maxmemory 0
        list $errs $rest
    } [list {1 {OOM command not allowed when used memory > 'maxmemory'.} 1 {OOM command not allowed when used memory > 'maxmemory'.}} {v 1 0}]

    test {Inside MULTI a queued deny-oom command is refused; EXEC then aborts} {
        r flushall
        r config set maxmemory-policy noeviction
        set rd [redis_client]
        $rd multi
        r config set maxmemory 1
        set queued [catch {$rd set k v} e]
        set err $e
        r config set maxmemory 0
        set exec [catch {$rd exec} e]
        $rd close
        list $queued $err $exec $e
    } {1 {OOM command not allowed when used memory > 'maxmemory'.} 1 {EXECABORT Transaction discarded because of previous errors.}}

    test {The volatile policies refuse writes when no key has a deadline} {
        r flushall
        mm_fill plain 200 1000
        set errs {}
        foreach policy {volatile-lru volatile-lfu volatile-random volatile-ttl} {
            r config set maxmemory-policy $policy
            r config set maxmemory 1
            lappend errs [catch {r set more v} e] $e
            r config set maxmemory 0
        }
        list [lsort -unique $errs] [r dbsize] [s evicted_keys]
    } {{1 {OOM command not allowed when used memory > 'maxmemory'.}} 200 0}

    foreach policy {allkeys-lru allkeys-lfu allkeys-random} {
        test "$policy keeps used memory near maxmemory by evicting keys" {
            r flushall
            r config resetstat
            r config set maxmemory-policy $policy
            set limit [mm_limit_above_used 200000]
            set replies [mm_fill k 1000 1000]
            set used [s used_memory]
            set evicted [s evicted_keys]
            r config set maxmemory 0
            list [lsort -unique $replies] [expr {$used <= $limit + 20000}] [expr {$evicted > 500}] \
                [expr {[r dbsize] + $evicted}]
        } {{0 OK} 1 1 1000}
    }

    foreach policy {volatile-lru volatile-lfu volatile-random volatile-ttl} {
        test "$policy evicts only keys that have a deadline" {
            r flushall
            r config resetstat
            r config set maxmemory-policy $policy
            mm_fill keep 100 1000
            set limit [mm_limit_above_used 200000]
            set replies [mm_fill vol 1000 1000 1]
            set used [s used_memory]
            r config set maxmemory 0
            list [lsort -unique $replies] [mm_count_left keep 100] [expr {$used <= $limit + 20000}] \
                [expr {[s evicted_keys] > 500}]
        } {{0 OK} 100 1 1}
    }

    test {volatile-ttl evicts the keys that expire soonest first} {
        r flushall
        r config set maxmemory-policy volatile-ttl
        set val [string repeat x 1000]
        for {set j 0} {$j < 100} {incr j} { r set soon:$j $val ex 100 }
        for {set j 0} {$j < 100} {incr j} { r set late:$j $val ex 100000 }
        # Room for about 50 more keys: the next 100 push out about 50.
        mm_limit_above_used 60000
        mm_fill new 100 1000 1
        set evicted [s evicted_keys]
        r config set maxmemory 0
        list [expr {$evicted > 20}] [mm_count_left late 100]
    } {1 100}

    test {allkeys-lru evicts keys idle for seconds before keys just read} {
        r flushall
        r config set maxmemory-policy allkeys-lru
        mm_fill cold 300 1000
        mm_fill hot 30 1000
        # The LRU clock counts seconds: let the keys age, then read the hot ones.
        after 2100
        for {set j 0} {$j < 30} {incr j} { r get hot:$j }
        mm_limit_above_used 50000
        mm_fill new 150 1000
        set evicted [s evicted_keys]
        r config set maxmemory 0
        list [expr {$evicted > 50}] [mm_count_left hot 30]
    } {1 30} {slow}

    test {allkeys-lfu evicts keys read rarely before keys read often} {
        r flushall
        r config set maxmemory-policy allkeys-lfu
        r config set lfu-log-factor 0
        mm_fill rare 300 1000
        mm_fill often 30 1000
        for {set n 0} {$n < 20} {incr n} {
            for {set j 0} {$j < 30} {incr j} { r get often:$j }
        }
        mm_limit_above_used 50000
        mm_fill new 150 1000
        set evicted [s evicted_keys]
        r config set maxmemory 0
        r config set lfu-log-factor 10
        list [expr {$evicted > 50}] [mm_count_left often 30]
    } {1 30}

    test {OBJECT FREQ counts accesses under an LFU policy} {
        r flushall
        r config set maxmemory-policy allkeys-lfu
        r config set lfu-log-factor 0
        r set a b
        set before [r object freq a]
        for {set j 0} {$j < 10} {incr j} { r get a }
        set after [r object freq a]
        r config set lfu-log-factor 10
        set idle [catch {r object idletime a} e]
        r config set maxmemory-policy noeviction
        set freq [catch {r object freq a} e2]
        list $before $after $idle $e $freq $e2
    } [list 5 15 1 {ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.} 1 {ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.}]

    test {An eviction publishes `evicted`, propagates DEL and touches WATCH} {
        r flushall
        r config set maxmemory-policy allkeys-random
        r config set notify-keyspace-events Ee
        r set victim [string repeat x 1000]
        set sub [redis_deferring_client]
        $sub subscribe __keyevent@0__:evicted
        $sub read
        set w [redis_client]
        $w watch victim
        r debug propagation off
        r debug propagation on
        r config set maxmemory 1
        catch {r get victim}
        r config set maxmemory 0
        set event [$sub read]
        set stream [r debug propagation get]
        r debug propagation off
        $w multi
        $w ping
        set exec [$w exec]
        $sub close
        $w close
        r config set notify-keyspace-events ""
        list $event $stream $exec [r exists victim]
    } {{message __keyevent@0__:evicted victim} {{SELECT 0} {DEL victim}} {} 0}

    test {CONFIG SET maxmemory below the memory in use evicts without a command} {
        r flushall
        r config resetstat
        r config set maxmemory-policy allkeys-lru
        mm_fill k 300 1000
        mm_limit_above_used -100000
        wait_for_condition 50 100 {[s evicted_keys] > 50} else { fail "nothing was evicted" }
        r config set maxmemory 0
    }

    test {INFO reports evicted_keys and the time spent above maxmemory} {
        r flushall
        r config resetstat
        r config set maxmemory-policy noeviction
        r config set maxmemory 1
        catch {r set a b}
        after 20
        catch {r set a b}
        set current [s current_eviction_exceeded_time]
        # The stretch ends with the next command that finds memory under the limit.
        r config set maxmemory 1000000000
        r ping
        set after [list [expr {$current > 0}] [s current_eviction_exceeded_time] \
                       [expr {[s total_eviction_exceeded_time] >= $current}] [s evicted_keys]]
        r config set maxmemory 0
        set after
    } {1 0 1 0}

    r config set maxmemory-policy noeviction
}
