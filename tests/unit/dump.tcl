# DUMP and RESTORE: payloads byte-identical to Redis 7.0.15's, the options
# and errors of RESTORE, TTL semantics, sanitize-dump-payload, and a fuzzer
# of corrupt payloads. Expected payloads and error texts were taken from
# redis-server 7.0.15.

source tests/support/rdbfill.tcl

# The CRC-64 (Jones) of a byte string, table-driven, for building payloads
# with a valid footer.
proc crc64_table {} {
    if {[info exists ::crc64_tab]} { return $::crc64_tab }
    set poly 0x95ac9329ac4bc9b5
    set mask 0xffffffffffffffff
    set ::crc64_tab {}
    for {set b 0} {$b < 256} {incr b} {
        set c $b
        for {set k 0} {$k < 8} {incr k} {
            if {$c & 1} { set c [expr {(($c >> 1) ^ $poly) & $mask}] } else { set c [expr {$c >> 1}] }
        }
        lappend ::crc64_tab $c
    }
    return $::crc64_tab
}
proc crc64 {data} {
    set tab [crc64_table]
    set crc 0
    binary scan $data cu* bytes
    foreach b $bytes {
        set crc [expr {[lindex $tab [expr {($crc ^ $b) & 0xff}]] ^ ($crc >> 8)}]
    }
    return $crc
}
# A payload made of body (type byte + value) with a valid footer.
proc make_payload {body} {
    set p "$body\x0a\x00"
    return "$p[binary format w [crc64 $p]]"
}
proc hex2bin {h} { return [binary format H* $h] }

start_server {tags {dump}} {
    test {DUMP of a missing key is a null} {
        assert_equal [r dump nosuchkey] {}
    }

    test {DUMP gives Redis 7.0's bytes for each compact encoding} {
        r set k:str hello
        r set k:int 12345
        r set k:lzf [string repeat x 100]
        r rpush k:list a b 1 -300
        r sadd k:intset 1 2 3
        r hset k:hash f v g 123
        r zadd k:zset 1 a 2.5 b
        set want {
            k:str 000568656c6c6f0a006372df766534200a
            k:int 00c139300a009d94ea2793fc08b9
            k:lzf 00c3094064017878e057000178780a005db7f663bb08625f
            k:list 120102121200000004008161028162020101ded402ff0a00c52e2a388f1b8563
            k:intset 0b0e02000000030000000100020003000a00a5025ce26d6e4d1b
            k:hash 10121200000004008166028176028167027b01ff0a00173d63eaa0a4e435
            k:zset 1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7
        }
        foreach {k hex} $want {
            binary scan [r dump $k] H* got
            assert_equal $got $hex
        }
    }

    test {RESTORE of Redis 7.0 payloads} {
        r flushall
        r restore s 0 [hex2bin 000568656c6c6f0a006372df766534200a]
        r restore z 0 [hex2bin 00c3094064017878e057000178780a005db7f663bb08625f]
        r restore l 0 [hex2bin 120102121200000004008161028162020101ded402ff0a00c52e2a388f1b8563]
        r restore h 0 [hex2bin 10121200000004008166028176028167027b01ff0a00173d63eaa0a4e435]
        r restore zs 0 [hex2bin 1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7]
        assert_equal [r get s] hello
        assert_equal [r get z] [string repeat x 100]
        assert_equal [r lrange l 0 -1] {a b 1 -300}
        assert_equal [r hgetall h] {f v g 123}
        assert_equal [r zrange zs 0 -1 withscores] {a 1 b 2.5}
        assert_equal [r object encoding h] listpack
    }

    test {DUMP then RESTORE gives back every type and encoding} {
        r flushall
        rdb_fill_all_types [srv client]
        foreach k [r keys *] {
            set p [r dump $k]
            r restore copy:$k 0 $p
            assert_equal [r type copy:$k] [r type $k]
            assert_equal [r object encoding copy:$k] [r object encoding $k]
            assert_equal [r debug digest-value copy:$k] [r debug digest-value $k]
        }
    }

    test {RESTORE refuses an existing key with BUSYKEY, REPLACE replaces it} {
        r set a 1
        set p [r dump a]
        assert_error {BUSYKEY Target key name already exists.} {r restore a 0 $p}
        r set a 2
        assert_equal [r restore a 0 $p replace] OK
        assert_equal [r get a] 1
    }

    test {RESTORE TTL: relative milliseconds, ABSTTL, already expired} {
        r del a
        set p [r dump k:str]
        if {$p eq {}} { r set k:str hello; set p [r dump k:str] }
        r restore a 100000 $p
        set t [r pttl a]
        assert {$t > 99000 && $t <= 100000}
        r del a
        set when [expr {[clock milliseconds] + 500000}]
        r restore a $when $p absttl
        assert_equal [r pexpiretime a] $when
        r del a
        assert_equal [r restore a 1 $p absttl] OK
        assert_equal [r exists a] 0
        r set a x
        assert_equal [r restore a 1 $p absttl replace] OK
        assert_equal [r exists a] 0
        assert_equal [r restore a 0 $p] OK
        assert_equal [r ttl a] -1
    }

    test {RESTORE argument errors} {
        set p [r dump a]
        assert_error {ERR Invalid TTL value, must be >= 0} {r restore b -1 $p}
        assert_error {ERR value is not an integer or out of range} {r restore b x $p}
        assert_error {ERR syntax error} {r restore b 0 $p bogus}
        assert_error {ERR Invalid IDLETIME value, must be >= 0} {r restore b 0 $p idletime -1}
        assert_error {ERR Invalid FREQ value, must be >= 0 and <= 255} {r restore b 0 $p freq 256}
        assert_error {ERR syntax error} {r restore b 0 $p idletime 1 freq 1}
        assert_error {ERR syntax error} {r restore b 0 $p idletime}
    }

    test {RESTORE IDLETIME sets the idle time, FREQ is accepted} {
        r del b c
        r restore b 0 [r dump a] idletime 1000
        assert {[r object idletime b] >= 1000}
        assert_equal [r restore c 0 [r dump a] freq 100] OK
    }

    test {RESTORE FREQ sets the LFU counter under an LFU policy} {
        r del c
        r config set maxmemory-policy allkeys-lfu
        r restore c 0 [r dump a] freq 100
        set f [r object freq c]
        r config set maxmemory-policy noeviction
        set f
    } {100}

    test {The LFU counter survives a reload (RDB FREQ record)} {
        r del c
        r config set maxmemory-policy allkeys-lfu
        r restore c 0 [r dump a] freq 77
        r debug reload
        set f [r object freq c]
        r config set maxmemory-policy noeviction
        set f
    } {77}

    test {Corrupt payloads: checksum, version and body errors} {
        r del b
        set p [r dump a]
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore b 0 [string range $p 0 end-1]}
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore b 0 "x$p"}
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore b 0 short}
        # Version 13 with a valid checksum.
        set body "\x00\x01a\x0d\x00"
        set v13 "$body[binary format w [crc64 $body]]"
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore b 0 $v13}
        # Valid footers around bad bodies.
        assert_error {ERR Bad data format} {r restore b 0 [make_payload "\x00\x05ab"]}
        assert_error {ERR Bad data format} {r restore b 0 [make_payload "\x63\x01a"]}
        assert_error {ERR Bad data format} {r restore b 0 [make_payload "\x00\x01ab"]}
        assert_error {ERR Bad data format} {r restore b 0 [make_payload "\x0f\x00"]}
        assert_equal [r exists b] 0
    }

    test {An empty stream payload restores an empty stream, as in Redis 7.0} {
        r del b
        list [r restore b 0 [make_payload "\x13\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"]] [r type b] [r xlen b]
    } {OK stream 0}

    test {sanitize-dump-payload yes refuses duplicates inside a listpack} {
        # A hash listpack holding field f twice.
        set lp "\x13\x00\x00\x00\x04\x00\x81f\x02\x811\x02\x81f\x02\x812\x02\xff"
        set p [make_payload "\x10\x13$lp"]
        r config set sanitize-dump-payload no
        assert_equal [r restore dup 0 $p] OK
        r del dup
        r config set sanitize-dump-payload yes
        assert_error {ERR Bad data format} {r restore dup 0 $p}
        r config set sanitize-dump-payload no
    }

    test {A hash listpack with an odd entry count is refused} {
        set lp "\x0d\x00\x00\x00\x01\x00\x81f\x02\xff"
        assert_error {ERR Bad data format} {r restore odd 0 [make_payload "\x10\x0d$lp"]}
    }

    test {Old encodings in payloads: a ziplist hash} {
        # Ziplist of f, v (version 9 era), as a hash.
        set zl "\x11\x00\x00\x00\x0d\x00\x00\x00\x02\x00\x00\x01f\x03\x01v\xff"
        assert_equal [r restore zh 0 [make_payload "\x0d\x11$zl"]] OK
        assert_equal [r hgetall zh] {f v}
        assert_equal [r object encoding zh] listpack
    }
}

start_server {tags {dump slow}} {
    test {10000 mutated payloads never crash the server} {
        r config set sanitize-dump-payload yes
        rdb_fill_all_types [srv client]
        set payloads {}
        foreach k [r keys *] { lappend payloads [string range [r dump $k] 0 end-10] }
        expr {srand(42)}
        set ok 0
        set bad 0
        for {set i 0} {$i < 10000} {incr i} {
            set body [lindex $payloads [expr {$i % [llength $payloads]}]]
            if {[string length $body] > 300} { set body [string range $body 0 299] }
            binary scan $body cu* bytes
            set n [llength $bytes]
            for {set m 0} {$m < 1 + int(rand() * 4)} {incr m} {
                set pos [expr {int(rand() * $n)}]
                switch [expr {int(rand() * 3)}] {
                    0 { lset bytes $pos [expr {int(rand() * 256)}] }
                    1 { lset bytes $pos [expr {[lindex $bytes $pos] ^ (1 << int(rand() * 8))}] }
                    2 { set bytes [lrange $bytes 0 [expr {max(0, $pos - 1)}]] ; set n [llength $bytes] }
                }
                if {$n == 0} break
            }
            set p [make_payload [binary format cu* $bytes]]
            if {[catch {r restore fuzz 0 $p replace}]} { incr bad } else { incr ok }
            if {$i % 1000 == 0} { assert_equal [r ping] PONG }
        }
        assert_equal [r ping] PONG
        assert {$bad > 1000}
        r config set sanitize-dump-payload no
    }
}
