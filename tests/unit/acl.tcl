# ACL users: rules, AUTH, permission checks on commands, keys and channels,
# ACL LOG, DRYRUN, the ACL file. Every expected reply was taken from Redis
# 7.0.15 (the file also passes with --server-binary /usr/bin/redis-server).

# The error text of body (fails when body succeeds).
proc acl_err {body} {
    if {[catch {uplevel 1 $body} e]} { return $e }
    fail "expected an error from: $body"
}

# The rule line of a user in ACL LIST, each run of single-command rules
# sorted: Redis emits those in hash-table order, so only their set is a fact.
proc acl_line {name} {
    foreach line [r acl list] {
        if {[lindex $line 1] ne $name} continue
        set out {}
        set run {}
        foreach w $line {
            if {[regexp {^[+-][^@]} $w] && ![string match {*)} $w]} {
                lappend run $w
                continue
            }
            set out [concat $out [lsort $run] [list $w]]
            set run {}
        }
        return [concat $out [lsort $run]]
    }
    return {}
}

# A client authenticated as user with password pass.
proc acl_client {user pass} {
    set c [redis_client]
    $c auth $user $pass
    return $c
}

start_server {tags {acl}} {
    test {The default user allows everything without a password} {
        assert_equal [r acl list] {{user default on nopass ~* &* +@all}}
        assert_equal [r acl users] {default}
        assert_equal [r acl whoami] default
        assert_equal [r acl getuser default] \
            {flags {on nopass} passwords {} commands +@all keys ~* channels &* selectors {}}
    }

    test {A new user is off, with no commands, keys or channels} {
        assert_equal [r acl setuser alice] OK
        assert_equal [r acl getuser alice] \
            {flags off passwords {} commands -@all keys {} channels {} selectors {}}
        assert_equal [acl_line alice] {user alice off resetchannels -@all}
        assert_equal [r acl users] {alice default}
    }

    test {Passwords are stored as SHA-256 and can be removed} {
        r acl setuser alice >p1 >p2 #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
        assert_equal [dict get [r acl getuser alice] passwords] \
            {f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a 3946ca64ff78d93ca61090a437cbb6b3d2ca0d488f5f9ccf3059608368b27693 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8}
        r acl setuser alice <p2 !5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
        assert_equal [dict get [r acl getuser alice] passwords] \
            {f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a}
        r acl setuser alice nopass
        assert_equal [r acl getuser alice] \
            {flags {off nopass} passwords {} commands -@all keys {} channels {} selectors {}}
        r acl setuser alice >p1
        assert_equal [dict get [r acl getuser alice] flags] off
        r acl setuser alice resetpass
        assert_equal [dict get [r acl getuser alice] passwords] {}
    }

    test {SETUSER errors name the rule and change nothing} {
        r acl setuser bob on >pw ~k*
        set before [r acl list]
        assert_equal [acl_err {r acl setuser bob -get +nosuch}] \
            {ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL}
        assert_equal [r acl list] $before
        assert_equal [acl_err {r acl setuser bob bogus}] {ERR Error in ACL SETUSER modifier 'bogus': Syntax error}
        assert_equal [acl_err {r acl setuser bob +@nosuch}] \
            {ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in ACL}
        assert_equal [acl_err {r acl setuser bob #abc}] \
            {ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters}
        assert_equal [acl_err {r acl setuser bob <nopw}] \
            {ERR Error in ACL SETUSER modifier '<nopw': The password you are trying to remove from the user does not exist}
        assert_equal [acl_err {r acl setuser bob -select|0}] \
            {ERR Error in ACL SETUSER modifier '-select|0': Unknown command or category name in ACL}
        assert_equal [acl_err {r acl setuser bob +config|get|x}] \
            {ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported}
        assert_equal [acl_err {r acl setuser bob +get|}] {ERR Error in ACL SETUSER modifier '+get|': Syntax error}
        assert_equal [acl_err {r acl setuser bob +config|nosuch}] \
            {ERR Error in ACL SETUSER modifier '+config|nosuch': Unknown command or category name in ACL}
        assert_equal [acl_err {r acl setuser bob %X~a}] {ERR Error in ACL SETUSER modifier '%X~a': Syntax error}
        assert_equal [acl_err {r acl setuser bob %RR~a}] {ERR Error in ACL SETUSER modifier '%RR~a': Syntax error}
        assert_equal [acl_err {r acl setuser bob {~a b}}] {ERR Error in ACL SETUSER modifier '~a b': Syntax error}
        assert_equal [acl_err {r acl setuser bob allkeys ~x}] \
            {ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns}
        assert_equal [acl_err {r acl setuser bob &* &x}] \
            {ERR Error in ACL SETUSER modifier '&x': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels}
        assert_equal [acl_err {r acl setuser {a b}}] {ERR Usernames can't contain spaces or null characters}
        assert_equal [r acl list] $before
    }

    test {A failed SETUSER does not create the user} {
        catch {r acl setuser ghost on +nosuch}
        assert_equal [r acl getuser ghost] {}
        assert_equal [lsearch [r acl users] ghost] -1
    }

    test {Key patterns merge their permissions} {
        r acl setuser keys1 %R~a %W~a %RW~* ~b %R~c ~c %W~w %R
        assert_equal [acl_line keys1] {user keys1 off ~a ~* ~b ~c %W~w %R~ resetchannels -@all}
        assert_equal [dict get [r acl getuser keys1] keys] {~a ~* ~b ~c %W~w %R~}
    }

    test {Command rules are shown as Redis 7.0 renders the bitmap} {
        set cases {
            {+@all -get} {+@all -get}
            {+@all -@dangerous} {+@all -@dangerous}
            {+@read +@write} {-@all +@write +@read}
            {+@read -get} {-@all +@read -get}
            {+@all -@read +get} {+@all -@read +get}
            {+@hash +@string -hset} {-@all +@string +@hash -hset}
            {-@all +@all -@slow} {+@all -@slow}
            {+get +set +config|get} {-@all +config|get +get +set}
            {+@all -@admin -@dangerous} {+@all -@dangerous}
            {+client +@keyspace -del} {-@all +@keyspace +client -del}
            {+@all -client|kill} {+@all -client|kill}
            {+acl -acl|setuser} {-@all +acl -acl|setuser}
            {+@pubsub +@connection +@transaction} {-@all +@connection +@pubsub +@transaction}
            {+@slow +@blocking} {-@all +@slow +bzpopmax +bzpopmin}
            {+@all -get +get} {+@all}
            {+select|0 +select|1 -config|get} {-@all +select|0 +select|1}
            {+SELECT|AbC +select|abc} {-@all +select|AbC}
            {+select|0 -select} {-@all}
        }
        set n 0
        foreach {rules want} $cases {
            incr n
            r acl setuser render$n {*}$rules
            assert_equal [lrange [acl_line render$n] 4 end] $want "rules: $rules"
        }
    }

    test {Selectors from several arguments and an unbalanced one} {
        r acl setuser sel1 {( +get  ~a )} ( +set )
        assert_equal [acl_line sel1] {user sel1 off resetchannels -@all (~a resetchannels -@all +get) (resetchannels -@all +set)}
        assert_equal [acl_err {r acl setuser sel2 (+get}] {ERR Unmatched parenthesis in acl selector starting at '(+get'.}
        assert_equal [acl_err {r acl setuser sel2 (on)}] {ERR Error in ACL SETUSER modifier '(on)': Syntax error}
    }

    test {acl-pubsub-default decides the channels of new users, selectors and reset} {
        r config set acl-pubsub-default allchannels
        r acl setuser pd1 (~a)
        assert_equal [acl_line pd1] {user pd1 off &* -@all (~a &* -@all)}
        r acl setuser pd1 resetchannels reset
        assert_equal [dict get [r acl getuser pd1] channels] {&*}
        r config set acl-pubsub-default resetchannels
        r acl setuser pd2
        assert_equal [acl_line pd2] {user pd2 off resetchannels -@all}
    }

    test {reset} {
        r acl setuser full on nopass ~* &* +@all (+get)
        r acl setuser full reset
        assert_equal [r acl getuser full] \
            {flags {off sanitize-payload} passwords {} commands -@all keys {} channels {} selectors {}}
    }

    test {The slow log hides the arguments of ACL SETUSER} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r acl setuser sx >secret
        set entry [lindex [r slowlog get 1] 0]
        r config set slowlog-log-slower-than 10000
        assert_equal [lindex $entry 3] {acl setuser (redacted) (redacted)}
    }

    test {DELUSER} {
        r acl setuser d1
        r acl setuser d2
        assert_equal [acl_err {r acl deluser d1 default}] {ERR The 'default' user cannot be removed}
        assert_equal [r acl deluser nosuch d1 d2] 2
        assert_equal [r acl getuser d1] {}
    }

    test {CAT, GENPASS, HELP and argument errors} {
        assert_equal [lrange [r acl cat] 0 4] {keyspace read write set sortedset}
        assert_equal [llength [r acl cat]] 21
        assert {[lsearch [r acl cat string] get] >= 0}
        assert {[lsearch [r acl cat admin] config|set] >= 0}
        assert_equal [acl_err {r acl cat nosuch}] {ERR Unknown category 'nosuch'}
        assert_equal [acl_err {r acl cat a b}] {ERR unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP.}
        assert_match {[0-9a-f]*} [r acl genpass]
        assert_equal [string length [r acl genpass]] 64
        assert_equal [string length [r acl genpass 5]] 2
        assert_equal [acl_err {r acl genpass 0}] \
            {ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096}
        assert_equal [acl_err {r acl genpass 5000}] \
            {ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096}
        assert_equal [acl_err {r acl genpass 1 2}] {ERR unknown subcommand or wrong number of arguments for 'genpass'. Try ACL HELP.}
        assert_equal [lindex [r acl help] 0] {ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
    }
}

start_server {tags {acl}} {
    r acl setuser lim on >pw ~k* &c1 +get +set +publish +subscribe +psubscribe +eval +multi +exec +acl +client +hget

    test {AUTH user password, WRONGPASS, disabled users} {
        set c [redis_client]
        assert_equal [$c auth lim pw] OK
        assert_equal [$c acl whoami] lim
        assert_equal [acl_err {$c auth lim bad}] {WRONGPASS invalid username-password pair or user is disabled.}
        assert_equal [$c acl whoami] lim
        assert_equal [acl_err {$c auth nouser bad}] {WRONGPASS invalid username-password pair or user is disabled.}
        r acl setuser lim off
        assert_equal [acl_err {$c auth lim pw}] {WRONGPASS invalid username-password pair or user is disabled.}
        r acl setuser lim on
        $c close
    }

    test {HELLO AUTH} {
        set c [redis_client]
        assert_equal [dict get [$c hello 2 auth lim pw] proto] 2
        assert_equal [$c acl whoami] lim
        assert_equal [acl_err {$c hello 2 auth lim nope}] {WRONGPASS invalid username-password pair or user is disabled.}
        $c close
    }

    test {NOPERM for commands, keys and channels} {
        set c [acl_client lim pw]
        assert_equal [acl_err {$c lpush k1 a}] {NOPERM this user has no permissions to run the 'lpush' command}
        assert_equal [acl_err {$c get zz}] {NOPERM this user has no permissions to access one of the keys used as arguments}
        assert_equal [$c set k1 v] OK
        assert_equal [$c get k1] v
        assert_equal [acl_err {$c publish c2 x}] {NOPERM this user has no permissions to access one of the channels used as arguments}
        assert_equal [$c publish c1 x] 0
        assert_equal [acl_err {$c config get maxmemory}] {NOPERM this user has no permissions to run the 'config|get' command}
        assert_equal [acl_err {$c psubscribe c*}] {NOPERM this user has no permissions to access one of the channels used as arguments}
        $c close
    }

    test {Read and write key permissions follow the key specs} {
        r acl setuser rw on >pw %R~r* %W~w* ~a* +@all
        set c [acl_client rw pw]
        r set r1 x
        assert_equal [$c get r1] x
        assert_equal [acl_err {$c set r1 y}] {NOPERM this user has no permissions to access one of the keys used as arguments}
        assert_equal [$c set w1 y] OK
        assert_equal [acl_err {$c get w1}] {NOPERM this user has no permissions to access one of the keys used as arguments}
        # COPY reads its source and writes its destination.
        assert_equal [$c copy r1 w2] 1
        assert_equal [acl_err {$c copy w1 r2}] {NOPERM this user has no permissions to access one of the keys used as arguments}
        # SET without GET only writes; with GET it also reads.
        assert_equal [acl_err {$c set w1 z get}] {NOPERM this user has no permissions to access one of the keys used as arguments}
        assert_equal [$c set a1 z get] {}
        # DEL deletes (a write); EXISTS reads nothing of the value (no access).
        assert_equal [$c del w2] 1
        assert_equal [$c exists w1 r1] 2
        $c close
    }

    test {First arguments of a command without subcommands} {
        r acl setuser fa on >pw +select|0 ~*
        set c [acl_client fa pw]
        assert_equal [$c select 0] OK
        assert_equal [acl_err {$c select 1}] {NOPERM this user has no permissions to run the 'select' command}
        $c close
    }

    test {MULTI: a denied command aborts EXEC; rules changed after queueing give NOPERM in EXEC} {
        set c [acl_client lim pw]
        $c multi
        assert_equal [acl_err {$c lpush k1 a}] {NOPERM this user has no permissions to run the 'lpush' command}
        assert_equal [acl_err {$c exec}] {EXECABORT Transaction discarded because of previous errors.}
        $c multi
        $c set k1 v
        $c get k2
        r acl setuser lim -set
        set res [$c exec]
        assert_equal [lindex $res 0] {NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand}
        r acl setuser lim +set
        $c close
    }

    test {redis.call runs with the caller's permissions} {
        set c [acl_client lim pw]
        assert_match {ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script:*} \
            [acl_err {$c eval "return redis.call('get','zz')" 0}]
        assert_match {ERR The user executing the script can't run this command or subcommand script:*} \
            [acl_err {$c eval "return redis.call('lpush','k1','a')" 0}]
        assert_match {ERR The user executing the script can't publish to the channel mentioned in the command script:*} \
            [acl_err {$c eval "return redis.call('publish','zz','x')" 0}]
        assert_equal [$c eval "return redis.call('get','k1')" 0] v
        $c close
    }

    test {DRYRUN} {
        assert_equal [r acl dryrun lim get k1] OK
        assert_equal [r acl dryrun lim get zz] {This user has no permissions to access the 'zz' key}
        assert_equal [r acl dryrun lim lpush k a] {This user has no permissions to run the 'lpush' command}
        assert_equal [r acl dryrun lim publish c2 x] {This user has no permissions to access the 'c2' channel}
        assert_equal [acl_err {r acl dryrun nou get a}] {ERR User 'nou' not found}
        assert_equal [acl_err {r acl dryrun lim nocmd}] {ERR Command 'nocmd' not found}
        assert_equal [acl_err {r acl dryrun lim get}] {ERR wrong number of arguments for 'get' command}
    }

    test {ACL LOG records denials and groups repeated ones} {
        r acl log reset
        set c [acl_client lim pw]
        catch {$c get zz}
        catch {$c get zz}
        catch {$c lpush k a}
        catch {$c publish c9 x}
        catch {$c auth lim wrong}
        set log [r acl log]
        assert_equal [llength $log] 4
        set auth [lindex $log 0]
        assert_equal [dict get $auth reason] auth
        assert_equal [dict get $auth object] auth
        assert_equal [dict get $auth username] lim
        assert_equal [dict get $auth context] toplevel
        assert_equal [dict get [lindex $log 1] reason] channel
        assert_equal [dict get [lindex $log 1] object] c9
        assert_equal [dict get [lindex $log 2] object] lpush
        set key [lindex $log 3]
        assert_equal [dict get $key count] 2
        assert_equal [dict get $key reason] key
        assert_equal [dict get $key object] zz
        assert_match {*cmd=get user=lim*} [dict get $key client-info]
        assert_equal [dict keys $key] {count reason context object username age-seconds client-info}
        assert_equal [llength [r acl log 2]] 2
        assert_equal [llength [r acl log -1]] 0
        $c multi
        catch {$c lpush k a}
        catch {$c exec}
        assert_equal [dict get [lindex [r acl log] 0] context] multi
        catch {$c eval "return redis.call('lpush','k1','a')" 0}
        assert_equal [dict get [lindex [r acl log] 0] context] lua
        # A shorter limit applies at the next denial.
        r config set acllog-max-len 2
        catch {$c hset h f v}
        assert_equal [llength [r acl log]] 2
        r config set acllog-max-len 128
        assert_equal [r acl log reset] OK
        assert_equal [r acl log] {}
        $c close
    }

    test {CLIENT LIST shows the user; CLIENT KILL USER} {
        r acl setuser killme on >pw +@all
        set c [acl_client killme pw]
        assert_match {*user=killme*} [$c client info]
        assert_equal [acl_err {r client kill user nosuch}] {ERR No such user 'nosuch'}
        assert_equal [r client kill user killme] 1
        assert_error {*} {$c ping}
        $c close
    }

    test {Deleting a user disconnects its clients} {
        r acl setuser gone on >pw +@all
        set c [acl_client gone pw]
        assert_equal [$c ping] PONG
        r acl deluser gone
        assert_error {*} {$c ping}
        $c close
    }

    test {Rules that change apply at once; a client deleting its own user gets the reply, then is closed} {
        r acl setuser chg on >pw +@all ~*
        set c [acl_client chg pw]
        r acl setuser chg off resetpass
        assert_equal [$c ping] PONG
        r acl setuser chg -@all
        assert_equal [acl_err {$c ping}] {NOPERM this user has no permissions to run the 'ping' command}
        r acl setuser self on nopass +@all
        $c auth self x
        assert_equal [$c acl deluser self] 1
        assert_error {*} {$c ping}
        $c close
    }

    test {Taking a channel away disconnects the subscribers that used it} {
        r acl setuser sub on >pw +@all &news &sports
        set c [acl_client sub pw]
        $c subscribe news
        set c2 [acl_client sub pw]
        $c2 subscribe sports
        r acl setuser sub resetchannels &sports
        assert_equal [r publish sports hi] 1
        assert_equal [r publish news hi] 0
        $c close
        $c2 close
    }
}

start_server {tags {acl} overrides {requirepass secret}} {
    test {requirepass is the default user's password} {
        set c [redis_client]
        assert_equal [acl_err {$c ping}] {NOAUTH Authentication required.}
        assert_equal [$c auth default secret] OK
        assert_equal [dict get [$c acl getuser default] passwords] \
            {2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b}
        $c config set requirepass other
        assert_equal [lindex [$c config get requirepass] 1] other
        assert_equal [dict get [$c acl getuser default] passwords] \
            {d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa}
        set c2 [redis_client]
        assert_equal [acl_err {$c2 auth secret}] {WRONGPASS invalid username-password pair or user is disabled.}
        assert_equal [$c2 auth other] OK
        $c config set requirepass ""
        assert_equal [dict get [$c acl getuser default] flags] {on nopass}
        $c close
        $c2 close
    }
}

start_server {tags {acl}} {
    test {ACL LOAD and SAVE need an aclfile} {
        assert_match {ERR This Redis instance is not configured to use an ACL file.*} [acl_err {r acl load}]
        assert_match {ERR This Redis instance is not configured to use an ACL file.*} [acl_err {r acl save}]
    }
}

set aclfile [file normalize [file join tests tmp acl-users-[pid].acl]]
file mkdir [file dirname $aclfile]
close [open $aclfile w]
start_server [list tags {acl} overrides [list aclfile $aclfile]] {

    test {An empty aclfile keeps the default user} {
        assert_equal [r acl list] {{user default on nopass ~* &* +@all}}
    }

    test {ACL LOAD then SAVE round trip} {
        set fd [open $aclfile w]
        puts $fd "user alice on >a1 ~a* +@read"
        puts $fd ""
        puts $fd "user bob off nopass ~* +@all -@dangerous"
        close $fd
        assert_equal [r acl load] OK
        assert_equal [r acl users] {alice bob default}
        set c [acl_client alice a1]
        assert_equal [$c get a1] {}
        assert_equal [r acl setuser carol on nopass +ping] OK
        assert_equal [r acl save] OK
        set fd [open $aclfile r]
        set lines [split [string trim [read $fd]] "\n"]
        close $fd
        assert_equal [llength $lines] 4
        assert_equal [lindex $lines 3] {user default on nopass ~* &* +@all}
        assert_equal [lindex $lines 2] {user carol on nopass resetchannels -@all +ping}
        # Loading again replaces the users and disconnects their clients.
        r acl deluser carol
        assert_equal [r acl load] OK
        assert_equal [r acl users] {alice bob carol default}
        assert_error {*} {$c ping}
        $c close
    }

    test {ACL LOAD refuses a file with an error and keeps the current users} {
        set fd [open $aclfile w]
        puts $fd "user alice on >a1 ~a* +@read"
        puts $fd "user bob on +nosuch"
        puts $fd "nouser x"
        close $fd
        set e [acl_err {r acl load}]
        assert_equal $e "ERR $aclfile:2: Error in applying operation '+nosuch': Unknown command or category name in ACL. $aclfile:3 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
        assert_equal [r acl users] {alice bob carol default}
    }
}

file delete $aclfile

start_server {tags {acl} overrides {user {alice on >pw ~* +@all} user {bob on nopass -@all +get ~b*}}} {
    test {Users from redis.conf} {
        set c [acl_client alice pw]
        assert_equal [$c acl whoami] alice
        assert_equal [acl_line bob] {user bob on nopass ~b* resetchannels -@all +get}
        $c close
    }

    test {CONFIG REWRITE writes every user as a user line} {
        r acl setuser carol on nopass +ping
        r config rewrite
        set users {}
        foreach line [split [::srv::read_file [srv config_file]] "\n"] {
            if {[string match {user *} $line]} { lappend users $line }
        }
        assert_equal $users [list \
            {user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all} \
            {user bob on nopass ~b* resetchannels -@all +get} \
            {user carol on nopass resetchannels -@all +ping} \
            {user default on nopass ~* &* +@all}]
    }
}

tags {acl external:skip} {
    test {An aclfile with user lines in the configuration, or a bad aclfile, stops the start-up} {
        set f [file normalize [file join $::opt(tmpdir) acl-bad-[pid].acl]]
        set fd [open $f w]
        puts $fd "user a on"
        close $fd
        set res [run_server_to_exit --port [::srv::find_port] --aclfile $f --user "b on"]
        assert_equal [dict get $res status] 1
        assert_match {*Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid.*} [dict get $res stdout]
        set fd [open $f w]
        puts $fd "bad line"
        close $fd
        set res [run_server_to_exit --port [::srv::find_port] --aclfile $f]
        assert_equal [dict get $res status] 1
        assert_match "*Aborting Redis startup because of ACL errors: $f:1 should start with user keyword followed by the username.*" [dict get $res stdout]
        file delete $f
    }
}
