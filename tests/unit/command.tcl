# COMMAND and its subcommands: COUNT, LIST, INFO, DOCS, GETKEYS,
# GETKEYSANDFLAGS, HELP; and the command table behind them, checked against
# the Redis 7.0 facts in tests/assets/commands-7.0.tcl (generated from the
# compatibility data by utils/gen-commands.py).

source [file join [file dirname [info script]] .. assets commands-7.0.tcl]

# The registered commands: every name COMMAND LIST gives.
proc registered_commands {} {
    return [r command list]
}

proc is_registered {name} {
    expr {[lsearch -exact [r command list] $name] >= 0}
}

# COMMAND GETKEYS of the command line `line` gives `keys`; {} means the
# command refuses the arguments (GETKEYSANDFLAGS too). A command not
# registered is unknown to both.
proc assert_getkeys {line keys} {
    if {![is_registered [lindex $line 0]]} {
        assert_error {ERR Invalid command specified} {r command getkeys {*}$line}
    } elseif {$keys eq {}} {
        assert_error {ERR Invalid arguments specified for command} {r command getkeys {*}$line}
        assert_error {ERR Invalid arguments specified for command} {r command getkeysandflags {*}$line}
    } else {
        assert_equal [r command getkeys {*}$line] $keys
    }
}

# A key spec as COMMAND INFO gives it, minus the notes, in the layout of the
# generated data.
proc normalize_keyspec {ks} {
    set ks [dict remove $ks notes]
    set bs [dict get $ks begin_search]
    set fk [dict get $ks find_keys]
    list flags [list {*}[dict get $ks flags]] \
        begin_search [list type [dict get $bs type] spec [list {*}[dict get $bs spec]]] \
        find_keys [list type [dict get $fk type] spec [list {*}[dict get $fk spec]]]
}

proc normalize_expected_keyspec {ks} {
    set bs [dict get $ks begin_search]
    set fk [dict get $ks find_keys]
    list flags [list {*}[dict get $ks flags]] \
        begin_search [list type [dict get $bs type] spec [list {*}[dict get $bs spec]]] \
        find_keys [list type [dict get $fk type] spec [list {*}[dict get $fk spec]]]
}

# The docs entry of one argument, by name, from a DOCS argument list.
proc doc_arg {args_list name} {
    foreach a $args_list {
        if {[dict get $a name] eq $name} { return $a }
    }
    fail "no argument named $name"
}

start_server {tags {command}} {
    test {COMMAND COUNT is the number of registered top-level commands} {
        set top 0
        foreach name [registered_commands] {
            if {[string first | $name] < 0} { incr top }
        }
        assert_equal [r command count] $top
        assert_morethan $top 0
        assert_equal [llength [r command]] $top
    }

    test {COMMAND COUNT equals the commands of the 7.0 table that COMMAND INFO knows} {
        set top {}
        foreach name [dict keys $::redis_commands_70] {
            if {[string first | $name] < 0} { lappend top $name }
        }
        set known 0
        foreach info [r command info {*}$top] {
            if {$info ne {}} { incr known }
        }
        assert_equal [r command count] $known
        # Subcommands too: COMMAND INFO knows exactly those COMMAND LIST lists.
        set listed [registered_commands]
        dict for {name facts} $::redis_commands_70 {
            set has [expr {[lindex [r command info $name] 0] ne {}}]
            assert_equal $has [expr {[lsearch -exact $listed $name] >= 0}] "$name: COMMAND INFO vs COMMAND LIST"
        }
    }

    # The groups that are built: each of their commands must be registered
    # (a handler that no file defines leaves its command out silently).
    # The exceptions are commands of these groups that Ember does not have.
    test {Every command of the implemented groups is registered} {
        set groups {string bitmap list hash set sorted-set stream generic connection transactions}
        set missing_by_design {
            dump restore migrate wait
            client|caching client|getredir client|tracking client|trackinginfo
        }
        set listed [registered_commands]
        set missing {}
        dict for {name facts} $::redis_commands_70 {
            if {[lsearch -exact $groups [dict get $facts group]] < 0} continue
            if {[lsearch -exact $missing_by_design $name] >= 0} continue
            if {[lsearch -exact $listed $name] < 0} { lappend missing $name }
        }
        assert_equal $missing {}
    }

    test {Every registered command is a Redis 7.0 command} {
        foreach name [registered_commands] {
            if {![dict exists $::redis_commands_70 $name]} { fail "unexpected command $name" }
        }
    }

    test {COMMAND INFO matches the Redis 7.0 table for every registered command} {
        foreach name [registered_commands] {
            set exp [dict get $::redis_commands_70 $name]
            set info [lindex [r command info $name] 0]
            assert_equal [llength $info] 10 "$name: reply length"
            lassign $info iname arity flags first last step acl tips keyspecs subcmds
            assert_equal $iname $name
            assert_equal $arity [dict get $exp arity] "$name: arity"
            assert_equal [lsort $flags] [lsort [dict get $exp flags]] "$name: flags"
            assert_equal [list $first $last $step] \
                [list [dict get $exp first] [dict get $exp last] [dict get $exp step]] "$name: first/last/step"
            assert_equal $acl [dict get $exp acl] "$name: ACL categories"
            set got {}
            foreach ks $keyspecs { lappend got [normalize_keyspec $ks] }
            set want {}
            foreach ks [dict get $exp keyspecs] { lappend want [normalize_expected_keyspec $ks] }
            assert_equal $got $want "$name: key specs"
        }
    }

    test {COMMAND INFO lists the registered subcommands of a container} {
        set info [lindex [r command info config] 0]
        set subs {}
        foreach s [lindex $info 9] { lappend subs [lindex $s 0] }
        set listed {}
        foreach name [registered_commands] {
            if {[string match config|* $name]} { lappend listed $name }
        }
        assert_equal [lsort $subs] [lsort $listed]
        assert_equal [lindex $info 8] {}
    }

    test {COMMAND INFO without names describes every command} {
        assert_equal [llength [r command info]] [r command count]
    }

    test {COMMAND INFO of unknown names gives nil entries} {
        set reply [r command info nosuch get config|nosuch]
        assert_equal [llength $reply] 3
        assert_equal [lindex $reply 0] {}
        assert_equal [lindex [lindex $reply 1] 0] get
        assert_equal [lindex $reply 2] {}
        assert_reply_raw [srv client] {command info nosuch} {*1 $-1}
    }

    test {COMMAND INFO names are case insensitive, subcommands by full name} {
        assert_equal [lindex [lindex [r command info GET] 0] 0] get
        assert_equal [lindex [lindex [r command info CONFIG|GET] 0] 0] config|get
    }

    test {COMMAND INFO GET, byte for byte (RESP2)} {
        assert_reply_raw [srv client] {command info get} {
            *1 *10 $3 get :2 *2 +readonly +fast :1 :1 :1 *3 +@read +@string +@fast *0
            *1 *6 $5 flags *2 +RO +access
            $12 begin_search *4 $4 type $5 index $4 spec *2 $5 index :1
            $9 find_keys *4 $4 type $5 range $4 spec *6 $7 lastkey :0 $7 keystep :1 $5 limit :0
            *0
        }
    }

    test {COMMAND INFO GET, byte for byte (RESP3)} {
        set c [redis_client]
        $c hello 3
        assert_reply_raw $c {command info get} {
            *1 *10 $3 get :2 ~2 +readonly +fast :1 :1 :1 ~3 +@read +@string +@fast ~0
            ~1 %3 $5 flags ~2 +RO +access
            $12 begin_search %2 $4 type $5 index $4 spec %1 $5 index :1
            $9 find_keys %2 $4 type $5 range $4 spec %3 $7 lastkey :0 $7 keystep :1 $5 limit :0
            ~0
        }
        $c close
    }

    test {COMMAND DOCS GET} {
        set docs [r command docs get]
        assert_equal [lindex $docs 0] get
        set d [lindex $docs 1]
        assert_equal [dict get $d since] 1.0.0
        assert_equal [dict get $d group] string
        assert {[dict get $d summary] ne ""}
        assert_equal [dict get $d complexity] O(1)
        assert_equal [dict get $d arguments] {{name key type key key_spec_index 0}}
    }

    test {COMMAND DOCS SET has the argument tree} {
        set d [lindex [r command docs set] 1]
        set a [dict get $d arguments]
        assert_equal [llength $a] 5
        assert_equal [lindex $a 0] {name key type key key_spec_index 0}
        assert_equal [lindex $a 1] {name value type string}
        set cond [doc_arg $a condition]
        assert_equal [dict get $cond type] oneof
        assert_equal [dict get $cond since] 2.6.12
        assert_equal [dict get $cond flags] optional
        assert_equal [dict get $cond arguments] \
            {{name nx type pure-token token NX} {name xx type pure-token token XX}}
        assert_equal [doc_arg $a get] {name get type pure-token token GET since 6.2.0 flags optional}
        set exp [doc_arg $a expiration]
        assert_equal [llength [dict get $exp arguments]] 5
        assert_equal [lindex [dict get $exp arguments] 0] \
            {name seconds type integer token EX since 2.6.12}
        assert_equal [lindex [dict get $exp arguments] 4] \
            {name keepttl type pure-token token KEEPTTL since 6.0.0}
    }

    test {COMMAND DOCS CONFIG lists its subcommands} {
        set d [lindex [r command docs config] 1]
        assert_equal [dict get $d group] server
        assert {![dict exists $d arguments]}
        set subs [dict get $d subcommands]
        assert {[dict exists $subs config|get]}
        set get [dict get $subs config|get]
        assert_equal [dict get $get since] 2.0.0
        assert_equal [dict get $get arguments] \
            {{name parameter type block flags multiple arguments {{name parameter type string}}}}
    }

    test {COMMAND DOCS of a subcommand by full name, unknown names skipped} {
        set docs [r command docs nosuch config|get]
        assert_equal [llength $docs] 2
        assert_equal [lindex $docs 0] config|get
        assert_equal [r command docs nosuch] {}
        assert_reply_raw [srv client] {command docs nosuch} {*0}
    }

    test {COMMAND DOCS is a map in RESP3} {
        set c [redis_client]
        $c hello 3
        assert_reply_raw $c {command docs nosuch} {%0}
        $c readraw 1
        assert_equal [$c command docs ping] {%1}
        $c close
    }

    test {COMMAND DOCS without names documents every command} {
        assert_equal [llength [r command docs]] [expr {2 * [r command count]}]
    }

    test {COMMAND LIST and its filters} {
        set all [r command list]
        assert_contains $all get
        assert_contains $all config|get
        assert_equal [lsort [r command list filterby pattern config*]] \
            [lsort [lsearch -all -inline $all config*]]
        foreach name [r command list filterby aclcat connection] {
            set acl [lindex [lindex [r command info $name] 0] 6]
            assert_contains $acl @connection
        }
        assert_contains [r command list filterby aclcat read] get
        assert_equal [r command list filterby aclcat nosuch] {}
        assert_equal [r command list filterby module nosuch] {}
    }

    test {COMMAND LIST syntax errors} {
        assert_error {ERR syntax error} {r command list x}
        assert_error {ERR syntax error} {r command list filterby nosuch x}
        assert_error {ERR syntax error} {r command list filterby aclcat}
    }

    test {COMMAND GETKEYS on SET and MSET} {
        assert_equal [r command getkeys set k v] k
        assert_equal [r command getkeys set k v ex 10 get] k
        assert_equal [r command getkeys get k] k
        if {[is_registered mset]} {
            assert_equal [r command getkeys mset a 1 b 2 c 3] {a b c}
        }
    }

    test {COMMAND GETKEYSANDFLAGS on SET follows the GET option} {
        assert_equal [r command getkeysandflags set k v] {{k {OW update}}}
        assert_equal [r command getkeysandflags set k v get] {{k {RW access update}}}
        assert_equal [r command getkeysandflags get k] {{k {RO access}}}
    }

    # Commands not implemented yet are unknown to GETKEYS; once they are,
    # the keys must come out as in Redis.
    foreach {line keys} {
        {zunionstore dst 2 a b weights 1 2} {dst a b}
        {zunionstore dst 3 a b} {}
        {eval script 2 k1 k2 arg} {k1 k2}
        {fcall fn 1 k} {k}
        {xread count 2 streams s1 s2 0 0} {s1 s2}
        {xreadgroup group g c streams s1 > } {s1}
        {sort k by w_* get o_* store dst} {k dst}
        {sort k store a store b} {k b}
        {sort_ro k by x} {k}
        {migrate host 6379 k 0 1000} {k}
        {migrate host 6379 "" 0 1000 auth pw keys a b} {a b}
        {georadius k 1 2 3 m store dst} {k dst}
        {lmpop 2 a b left} {a b}
        {blpop a b 0} {a b}
        {lcs a b} {a b}
    } {
        test "COMMAND GETKEYS $line" {
            assert_getkeys $line $keys
        }
    }

    # A key count is read as Redis reads it: a plain integer through the key
    # spec (keys in spec order, with flags); anything else through the
    # lenient fallback (leading digits as C's atoi reads them, the counted
    # keys before the destination, no flags).
    foreach {line keys} {
        {zunionstore dst 2 a b} {dst a b}
        {zunionstore dst 1 a b} {dst a}
        {zunionstore dst 0 a b} {}
        {zunionstore dst -1 a b} {}
        {zunionstore dst x a b} {}
        {zunionstore dst 3 a b} {}
        {zunionstore dst "" a} {}
        {zunionstore dst 1.5 a} {a dst}
        {zunionstore dst " 1" a} {a dst}
        {zunionstore dst +1 a} {a dst}
        {zunionstore dst 01 a} {a dst}
        {zunionstore dst 2x a b} {a b dst}
        {zunionstore dst 4294967297 a} {dst a}
        {zunionstore dst 4294967296 a} {}
        {zunionstore dst 2147483648 a} {}
        {zunionstore dst 9223372036854775808 a} {}
        {zdiffstore d 1 a} {d a}
        {zunion 5 a} {}
        {zinter " 2" a b} {a b}
        {sintercard 0 a} {}
        {sintercard 1.9 a} {a}
        {lmpop 0 a left} {}
        {lmpop 1x a left} {a}
        {blmpop 0 2 a b left} {a b}
        {blmpop 0 0 a left} {}
        {bzmpop 0 5 a min} {}
        {zmpop 1x a min} {a}
    } {
        test "COMMAND GETKEYS reads the key count of $line" {
            assert_getkeys $line $keys
        }
    }

    test {COMMAND GETKEYSANDFLAGS: spec keys have flags, fallback keys none} {
        assert_equal [r command getkeysandflags zunionstore dst 1 a] {{dst {OW update}} {a {RO access}}}
        assert_equal [r command getkeysandflags zunionstore dst 1.5 a] {{a {}} {dst {}}}
        assert_equal [r command getkeysandflags lmpop 2 a b left] {{a {RW access delete}} {b {RW access delete}}}
        assert_equal [r command getkeysandflags lmpop 1x a left] {{a {}}}
    }

    test {COMMAND GETKEYS on a subcommand} {
        assert_error {ERR The command has no key arguments} {r command getkeys config get maxmemory}
        if {[is_registered object|encoding]} {
            assert_equal [r command getkeys object encoding k] k
        }
    }

    test {COMMAND GETKEYS errors} {
        assert_error {ERR Invalid command specified} {r command getkeys nosuch a}
        assert_error {ERR Invalid command specified} {r command getkeys config nosuch}
        assert_error {ERR The command has no key arguments} {r command getkeys ping x}
        assert_error {ERR Invalid number of arguments specified for command} {r command getkeys get a b}
        assert_error {ERR wrong number of arguments for 'command|getkeys' command} {r command getkeys}
        assert_error {ERR wrong number of arguments for 'command|getkeys' command} {r command getkeys get}
        assert_error {ERR wrong number of arguments for 'command|getkeysandflags' command} {r command getkeysandflags}
    }

    test {COMMAND GETKEYS with many keys} {
        set keys {}
        for {set i 0} {$i < 600} {incr i} { lappend keys key:$i }
        assert_equal [r command getkeys del {*}$keys] $keys
    }

    test {COMMAND COUNT arity, unknown subcommand} {
        assert_error {ERR wrong number of arguments for 'command|count' command} {r command count x}
        assert_error {ERR unknown subcommand 'nosuch'. Try COMMAND HELP.} {r command nosuch}
    }

    test {COMMAND HELP} {
        set help [r command help]
        assert_match {COMMAND <subcommand> *} [lindex $help 0]
        foreach sub {COUNT LIST INFO DOCS GETKEYS GETKEYSANDFLAGS HELP} {
            if {[lsearch -glob $help "$sub*"] < 0} { fail "HELP lacks $sub" }
        }
    }
}

# A client's requests are looked up through a one-entry cache of its last
# command; the name still matches in any case, and only the same name.
start_server {tags {command}} {
    test {The same command in any case, and a different one after it} {
        set c [redis_deferring_client]
        $c write "*3\r\n\$3\r\nset\r\n\$1\r\nk\r\n\$1\r\nv\r\n"
        $c write "*2\r\n\$3\r\nGET\r\n\$1\r\nk\r\n*2\r\n\$3\r\ngEt\r\n\$1\r\nk\r\n"
        $c write "*2\r\n\$3\r\nGEU\r\n\$1\r\nk\r\n*2\r\n\$3\r\nG\[T\r\n\$1\r\nk\r\n*2\r\n\$6\r\nSTRLEN\r\n\$1\r\nk\r\n"
        $c flush
        assert_equal [$c read] OK
        assert_equal [$c read] v
        assert_equal [$c read] v
        assert_error {ERR unknown command 'GEU'*} {$c read}
        assert_error {ERR unknown command 'G\[T'*} {$c read}
        assert_equal [$c read] 1
        $c close
    }
}

start_server {tags {command external:skip} overrides {rename-command {get fetch}}} {
    test {A renamed command answers to its new name only} {
        r set k v
        assert_equal [r fetch k] v
        assert_equal [r FETCH k] v
        assert_error {ERR unknown command 'get'*} {r get k}
        assert_equal [r fetch k] v
    }
}
