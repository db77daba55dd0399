# MEMORY: USAGE against the figures of Redis 7.0.15, STATS, DOCTOR,
# MALLOC-STATS, PURGE, HELP.

# Builds one value of each type and encoding. The keys are those the figures
# below were measured with on Redis 7.0.15 (jemalloc 5.3.0).
proc memory_fill_values {} {
    r flushall
    r set mem:int 12345
    r set mem:embstr "hello world"
    r set mem:emb44 [string repeat x 44]
    r set mem:raw [string repeat y 100]
    r set mem:raw1k [string repeat z 1000]
    r rpush mem:lsmall a b c d e
    r hset mem:hsmall f1 v1 f2 v2
    r sadd mem:sint 1 2 3 4 5
    r sadd mem:sstr a b c
    r zadd mem:zsmall 1 a 2 b 3 c
    set r [redis_deferring_client]
    for {set i 1} {$i <= 2000} {incr i} { $r rpush mem:lbig element-number-$i }
    for {set i 1} {$i <= 1000} {incr i} {
        $r hset mem:hbig field-$i value-$i
        $r sadd mem:sbig member-$i
        $r zadd mem:zbig $i member-$i
    }
    read_replies $r 5000
    $r close
}

# key encoding usage usage-with-samples-0, as Redis 7.0.15 answers. The
# sorted set's default figure is left out: its nodes have random heights, so
# a sample of five varies from run to run. The short strings are left out
# too: Ember keeps them inside the key's entry (below), and so are the
# hashtable sets: Ember's are leaner (below).
set ::memory_usage_7_0 {
    mem:raw raw 168 168
    mem:raw1k raw 1080 1080
    mem:lsmall quicklist 168 168
    mem:lbig quicklist 49488 41376
    mem:hsmall listpack 88 88
    mem:sint intset 88 88
    mem:zsmall listpack 88 88
}

# Big hashes are a table of one-allocation entries (t_hash_entry.c): key,
# encoding, Ember's figure with samples 0 (1,000 entries, nine of 16
# bytes and the rest of 32, 2,048 slots of 8 bytes, the table header and
# the key's entry), Redis 7.0.15's.
set ::memory_usage_lean {
    mem:hbig hashtable 48376 64304
}

# Short strings live inside the key's entry: key, encoding, Ember's figure
# (the entry's jemalloc size class and its 8-byte table slot), Redis 7.0.15's.
set ::memory_usage_entry_strings {
    mem:int int 40 56
    mem:embstr embstr 56 72
    mem:emb44 embstr 88 104
}

# Hashtable sets keep one allocation per member in a pointer table: key,
# encoding, Ember's figure (robj, table, slots, members' size classes), and
# Redis 7.0.15's, which it must stay under.
set ::memory_usage_lean_sets {
    mem:sstr hashtable 192 240
    mem:sbig hashtable 32520 48304
}

# A big sorted set is leaner than Redis's (one allocation per member, the
# member inside the skiplist node, a pointer table): key, encoding, the
# lowest figure expected, Redis 7.0.15's figure (samples 0).
set ::memory_usage_lean_zset {mem:zbig skiplist 60000 102192}

proc assert_within_10_percent {got want what} {
    if {$got < $want * 0.9 || $got > $want * 1.1} {
        fail "$what: $got is not within 10% of $want"
    }
}

# The field names of MEMORY STATS on Redis 7.0.15 with keys in db 0 only.
set ::memory_stats_fields_7_0 {
    peak.allocated total.allocated startup.allocated replication.backlog clients.slaves
    clients.normal cluster.links aof.buffer lua.caches functions.caches db.0 overhead.total
    keys.count keys.bytes-per-key dataset.bytes dataset.percentage peak.percentage
    allocator.allocated allocator.active allocator.resident allocator-fragmentation.ratio
    allocator-fragmentation.bytes allocator-rss.ratio allocator-rss.bytes rss-overhead.ratio
    rss-overhead.bytes fragmentation fragmentation.bytes
}

start_server {tags {memory}} {
    test {MEMORY USAGE is within 10% of Redis 7.0 for every type and encoding} {
        memory_fill_values
        # The figures are jemalloc's size classes; other allocators round differently.
        if {![string match jemalloc* [s mem_allocator]]} return
        foreach {key enc usage usage0} $::memory_usage_7_0 {
            assert_encoding $enc $key
            if {$usage ne "-"} { assert_within_10_percent [r memory usage $key] $usage $key }
            assert_within_10_percent [r memory usage $key samples 0] $usage0 "$key samples 0"
        }
    }

    test {MEMORY USAGE of a big hash counts its entries, under Redis 7.0's figure} {
        memory_fill_values
        if {![string match jemalloc* [s mem_allocator]]} return
        foreach {key enc ours redis} $::memory_usage_lean {
            assert_encoding $enc $key
            assert_equal $ours [r memory usage $key samples 0]
            assert_within_10_percent [r memory usage $key] $ours $key
            assert_morethan $redis [r memory usage $key]
        }
    }

    test {MEMORY USAGE of a big sorted set is below Redis 7.0's, counting every node} {
        memory_fill_values
        if {![string match jemalloc* [s mem_allocator]]} return
        lassign $::memory_usage_lean_zset key enc low redis
        assert_encoding $enc $key
        set all [r memory usage $key samples 0]
        assert_range $all $low [expr {$redis * 0.9}]
        # The default sample of five nodes scales to about the same figure.
        assert_range [r memory usage $key] [expr {$all * 0.7}] [expr {$all * 1.3}]
    }

    test {MEMORY USAGE of a short string is its key's one entry} {
        memory_fill_values
        if {![string match jemalloc* [s mem_allocator]]} return
        foreach {key enc ours redis} $::memory_usage_entry_strings {
            assert_encoding $enc $key
            assert_equal $ours [r memory usage $key]
            assert_morethan $redis [r memory usage $key]
        }
        # A deadline adds 16 bytes to the entry: 56 goes to the 64 class.
        r expire mem:embstr 100
        assert_equal 72 [r memory usage mem:embstr]
        r persist mem:embstr
        assert_equal 56 [r memory usage mem:embstr]
    }

    test {MEMORY USAGE of a hashtable set counts its table and members} {
        memory_fill_values
        if {![string match jemalloc* [s mem_allocator]]} return
        foreach {key enc ours redis} $::memory_usage_lean_sets {
            assert_encoding $enc $key
            assert_equal $ours [r memory usage $key]
            assert_equal $ours [r memory usage $key samples 0]
            assert_morethan $redis [r memory usage $key]
        }
    }

    test {MEMORY USAGE samples a large list: the default differs from SAMPLES 0} {
        set sampled [r memory usage mem:lbig]
        assert_equal [r memory usage mem:lbig samples 5] $sampled
        assert_not_equal [r memory usage mem:lbig samples 0] $sampled
        assert_equal [r memory usage mem:lbig samples 100000] [r memory usage mem:lbig samples 0]
    }

    test {MEMORY USAGE grows with the value} {
        r del mem:grow
        r set mem:grow [string repeat a 100]
        set before [r memory usage mem:grow]
        r append mem:grow [string repeat b 1000]
        assert_morethan [r memory usage mem:grow] [expr {$before + 900}]
    }

    test {MEMORY USAGE of a missing key is a null} {
        assert_equal [r memory usage mem:nosuchkey] {}
        assert_equal [r memory usage mem:nosuchkey samples 0] {}
        set c [redis_client -protocol 3]
        $c readraw 1
        assert_equal [$c memory usage mem:nosuchkey] _
        $c close
    }

    test {MEMORY USAGE argument errors as Redis} {
        assert_error {ERR syntax error} {r memory usage mem:int samples -1}
        assert_error {ERR syntax error} {r memory usage mem:int samples}
        assert_error {ERR syntax error} {r memory usage mem:int foo}
        assert_error {ERR syntax error} {r memory usage mem:nosuchkey foo}
        assert_error {ERR value is not an integer or out of range} {r memory usage mem:int samples x}
        assert_equal [r memory usage mem:int SAMPLES 3 samples 4] [r memory usage mem:int]
        assert_error {ERR wrong number of arguments for 'memory|usage' command} {r memory usage}
    }

    test {MEMORY USAGE measures a key past its deadline without expiring it} {
        r debug set-active-expire 0
        r set mem:exp v px 10
        after 50
        assert_morethan [r memory usage mem:exp] 0
        assert_equal [r dbsize] 16
        assert_equal [r exists mem:exp] 0
        assert_equal [r dbsize] 15
        r debug set-active-expire 1
    }

    test {redis-cli --memkeys reports sizes} {
        set out [exec redis-cli -h [srv host] -p [srv port] --memkeys]
        assert_match {*Biggest   list found '"mem:lbig"' has * bytes*} $out
        regexp {Biggest   hash found '"mem:hbig"' has ([0-9]+) bytes} $out -> hbig
        if {[string match jemalloc* [s mem_allocator]]} {
            assert_within_10_percent $hbig 48376 "--memkeys mem:hbig"
        }
        assert_no_match {* has 0 bytes*} $out
    } {} {external:skip}

    test {MEMORY STATS has the fields of Redis 7.0 in order} {
        set stats [r memory stats]
        set names {}
        foreach {k v} $stats { lappend names $k }
        assert_equal $names [list {*}$::memory_stats_fields_7_0]
        set db0 [dict get $stats db.0]
        assert_equal [dict keys $db0] {overhead.hashtable.main overhead.hashtable.expires overhead.hashtable.slot-to-keys}
        assert_morethan [dict get $db0 overhead.hashtable.main] 0
        assert_equal [dict get $stats keys.count] [r dbsize]
        assert_morethan_equal [dict get $stats peak.allocated] [dict get $stats total.allocated]
        assert_match {*.*} [dict get $stats fragmentation]
    }

    test {MEMORY STATS: one entry per database with keys} {
        r select 5
        r set mem:other x
        set stats [r memory stats]
        r del mem:other
        r select 9
        assert_equal [dict get [dict get $stats db.5] overhead.hashtable.slot-to-keys] 0
        assert_equal [expr {[llength $stats] / 2}] [expr {[llength $::memory_stats_fields_7_0] + 1}]
    }

    test {MEMORY STATS agrees with INFO memory} {
        set stats [r memory stats]
        set info [r info memory]
        assert_equal [dict get $stats startup.allocated] [getInfoProperty $info used_memory_startup]
        assert_within_10_percent [dict get $stats total.allocated] [getInfoProperty $info used_memory] total.allocated
        assert_equal [dict get $stats lua.caches] [getInfoProperty $info used_memory_lua]
    }

    test {MEMORY STATS is a map in RESP3} {
        set c [redis_client -protocol 3]
        $c readraw 1
        assert_match {%2[89]} [$c memory stats]
        assert_equal [$c read] {$14}
        assert_equal [$c read] peak.allocated
        $c close
    }

    test {MEMORY DOCTOR has nothing to report on a small instance} {
        r flushall
        set text [r memory doctor]
        assert_match {Nothing to report: *} $text
        assert_no_match {*Sam*} $text
    }

    test {MEMORY DOCTOR is verbatim text in RESP3} {
        set c [redis_client -protocol 3]
        $c readraw 1
        assert_match {=*} [$c memory doctor]
        $c close
    }

    test {MEMORY MALLOC-STATS is the allocator's report} {
        set text [r memory malloc-stats]
        if {[string match jemalloc* [s mem_allocator]]} {
            assert_match "___ Begin jemalloc statistics ___*" $text
            assert_match "*--- End jemalloc statistics ---*" $text
        } else {
            assert_match {*gives no statistics report*} $text
        }
    }

    test {MEMORY PURGE} {
        assert_equal [r memory purge] OK
    }

    test {MEMORY HELP and unknown subcommands} {
        set help [r memory help]
        assert_match {MEMORY <subcommand> *} [lindex $help 0]
        foreach sub {DOCTOR MALLOC-STATS PURGE STATS {USAGE <key> [SAMPLES <count>]} HELP} {
            assert_contains $help $sub
        }
        assert_error {ERR unknown subcommand 'foo'. Try MEMORY HELP.} {r memory foo}
        assert_error {ERR wrong number of arguments for 'memory' command} {r memory}
    }
}
