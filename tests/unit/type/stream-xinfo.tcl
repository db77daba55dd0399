# XINFO STREAM (summary, FULL, FULL COUNT), XINFO GROUPS (entries-read and
# the lag as Redis 7.0 computes it, null when unknown), XINFO CONSUMERS,
# XINFO HELP: every field in 7.0's order, RESP2 arrays and RESP3 maps, the
# radix-tree-nodes figure of 7.0's compressed tree, and the errors. The
# expected values were all read from redis-server 7.0.15 running the same
# commands.

# name last-delivered-id entries-read lag, for each group of key.
proc xi_groups {key} {
    set out {}
    foreach g [r xinfo groups $key] {
        lappend out [dict get $g name] [dict get $g last-delivered-id] [dict get $g entries-read] [dict get $g lag]
    }
    return $out
}

start_server {tags {stream}} {
    test {XINFO STREAM summary: the fields in order, an empty stream's null entries} {
        r del e
        r xgroup create e g 0 mkstream
        assert_equal [r xinfo stream e] {length 0 radix-tree-keys 0 radix-tree-nodes 1 last-generated-id 0-0 max-deleted-entry-id 0-0 entries-added 0 recorded-first-entry-id 0-0 groups 1 first-entry {} last-entry {}}
        r del s
        r xadd s 1-1 a 1
        r xadd s 2-1 a 2
        assert_equal [r xinfo stream s] {length 2 radix-tree-keys 1 radix-tree-nodes 2 last-generated-id 2-1 max-deleted-entry-id 0-0 entries-added 2 recorded-first-entry-id 1-1 groups 0 first-entry {1-1 {a 1}} last-entry {2-1 {a 2}}}
    }

    test {XINFO STREAM counts nodes as 7.0's compressed radix tree does} {
        r del t
        r config set stream-node-max-entries 2
        foreach id {1-1 2-1 3-1 4-1 5-1 300-1 70000-1} { r xadd t $id a 1 }
        set info [r xinfo stream t]
        assert_equal [list [dict get $info radix-tree-keys] [dict get $info radix-tree-nodes]] {4 12}
        r xdel t 3-1 4-1
        set info [r xinfo stream t]
        assert_equal [list [dict get $info length] [dict get $info radix-tree-keys] [dict get $info radix-tree-nodes] [dict get $info max-deleted-entry-id]] {5 3 10 4-1}
        r config set stream-node-max-entries 100
    }

    test {XINFO STREAM FULL: entries, groups with PELs, consumers with theirs, COUNT} {
        r del s
        for {set i 1} {$i <= 12} {incr i} { r xadd s $i-1 a $i }
        r xgroup create s g 0
        r xreadgroup group g c count 2 streams s >
        set full [r xinfo stream s full]
        assert_equal [dict keys $full] {length radix-tree-keys radix-tree-nodes last-generated-id max-deleted-entry-id entries-added recorded-first-entry-id entries groups}
        assert_equal [llength [dict get $full entries]] 10
        set g [lindex [dict get $full groups] 0]
        assert_equal [dict keys $g] {name last-delivered-id entries-read lag pel-count pending consumers}
        assert_equal [lrange $g 0 9] {name g last-delivered-id 2-1 entries-read 2 lag 10 pel-count 2}
        assert_match {{1-1 c * 1} {2-1 c * 1}} [dict get $g pending]
        set cons [lindex [dict get $g consumers] 0]
        assert_equal [dict keys $cons] {name seen-time pel-count pending}
        assert_equal [dict get $cons pel-count] 2
        assert_match {{1-1 * 1} {2-1 * 1}} [dict get $cons pending]
        set one [r xinfo stream s full count 1]
        assert_equal [llength [dict get $one entries]] 1
        assert_equal [llength [dict get [lindex [dict get $one groups] 0] pending]] 1
        assert_equal [llength [dict get [lindex [dict get [lindex [dict get $one groups] 0] consumers] 0] pending]] 1
        assert_equal [llength [dict get [r xinfo stream s full count 0] entries]] 12
        assert_equal [llength [dict get [r xinfo stream s full count -1] entries]] 10
    }

    test {XINFO GROUPS: entries-read and lag through reads, deletions, trims and SETID} {
        r del s
        foreach i {1 2 3 4 5} { r xadd s $i-0 a $i }
        r xgroup create s g1 0
        r xgroup create s g2 0
        r xgroup create s g3 $
        r xgroup create s g4 2-0
        assert_equal [xi_groups s] {g1 0-0 {} 5 g2 0-0 {} 5 g3 5-0 {} 0 g4 2-0 {} {}}
        r xreadgroup group g1 c count 2 streams s >
        assert_equal [xi_groups s] {g1 2-0 2 3 g2 0-0 {} 5 g3 5-0 {} 0 g4 2-0 {} {}}
        r xdel s 4-0
        assert_equal [xi_groups s] {g1 2-0 2 {} g2 0-0 {} {} g3 5-0 {} 0 g4 2-0 {} {}}
        r xreadgroup group g1 c streams s >
        assert_equal [xi_groups s] {g1 5-0 5 0 g2 0-0 {} {} g3 5-0 {} 0 g4 2-0 {} {}}
        r xdel s 1-0
        r xreadgroup group g2 c count 1 streams s >
        assert_equal [xi_groups s] {g1 5-0 5 0 g2 2-0 {} {} g3 5-0 {} 0 g4 2-0 {} {}}
        r xtrim s maxlen 1
        assert_equal [xi_groups s] {g1 5-0 5 0 g2 2-0 {} 1 g3 5-0 {} 0 g4 2-0 {} 1}
        r xadd s 6-0 a 6
        r xreadgroup group g4 c streams s >
        assert_equal [xi_groups s] {g1 5-0 5 1 g2 2-0 {} 2 g3 5-0 {} 1 g4 6-0 6 0}
        r xgroup setid s g2 0
        assert_equal [xi_groups s] {g1 5-0 5 1 g2 0-0 {} 2 g3 5-0 {} 1 g4 6-0 6 0}
        r xgroup setid s g2 $ entriesread 3
        assert_equal [lrange [xi_groups s] 4 7] {g2 6-0 3 3}
    }

    test {XINFO GROUPS and CONSUMERS fields, and their RESP3 maps} {
        r del s
        r xadd s 1-1 a 1
        r xgroup create s g 0
        r xreadgroup group g c streams s >
        set g [lindex [r xinfo groups s] 0]
        assert_equal $g {name g consumers 1 pending 1 last-delivered-id 1-1 entries-read 1 lag 0}
        set c [lindex [r xinfo consumers s g] 0]
        assert_equal [dict keys $c] {name pending idle}
        assert_equal [lrange $c 0 3] {name c pending 1}
        assert {[dict get $c idle] >= 0}
        r hello 3
        assert_equal [lindex [r xinfo groups s] 0] $g
        assert_equal [dict get [r xinfo stream s] first-entry] {1-1 {a 1}}
        r hello 2
    }

    test {XINFO errors and HELP} {
        r del s
        r xadd s 1-1 a 1
        assert_error {ERR no such key} {r xinfo stream nokey}
        assert_error {ERR no such key} {r xinfo groups nokey}
        assert_error {ERR no such key} {r xinfo consumers nokey g}
        assert_error {NOGROUP No such consumer group 'nog' for key name 's'} {r xinfo consumers s nog}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.} {r xinfo STREAM s FOO}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.} {r xinfo stream s full count 1 foo}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.} {r xinfo stream s full foo}
        assert_error {ERR value is not an integer or out of range} {r xinfo stream s full count abc}
        assert_error {ERR unknown subcommand 'FOO'. Try XINFO HELP.} {r xinfo FOO}
        r set str x
        assert_error {WRONGTYPE*} {r xinfo stream str}
        assert_error {WRONGTYPE*} {r xinfo groups str}
        set help [r xinfo help]
        assert_equal [lindex $help 0] {XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help 5] {STREAM <key> [FULL [COUNT <count>]}
        assert_equal [llength $help] 9
    }

    test {MEMORY USAGE of a stream grows with its nodes and its groups} {
        r del s
        r config set stream-node-max-entries 10
        for {set i 1} {$i <= 100} {incr i} { r xadd s $i-1 field [string repeat x 50] }
        set plain [r memory usage s]
        assert {$plain > 100 * 50}
        assert_equal [r memory usage s samples 0] [r memory usage s samples 0]
        r xgroup create s g 0
        r xreadgroup group g c streams s >
        assert {[r memory usage s] > $plain}
        r config set stream-node-max-entries 100
    }
}
