# ACL selectors (Redis 7.0's "v2" rules): a user allows a command when its
# root rules or any "(...)" selector allow it whole. Expected replies are
# those of Redis 7.0.15 (the file also passes with --server-binary
# /usr/bin/redis-server).

start_server {tags {acl}} {
    test {GETUSER lists each selector's commands, keys and channels} {
        r acl setuser s4 (~x +get) {(%R~x*} %W~y* &ch* {+@read)}
        assert_equal [r acl getuser s4] \
            {flags off passwords {} commands -@all keys {} channels {} selectors {{commands {-@all +get} keys ~x channels {}} {commands {-@all +@read} keys {%R~x* %W~y*} channels &ch*}}}
        assert_equal [lindex [r acl list] 1] \
            {user s4 off resetchannels -@all (~x resetchannels -@all +get) (%R~x* %W~y* resetchannels &ch* -@all +@read)}
    }

    test {A bad rule inside a selector fails the whole SETUSER} {
        set e [catch {r acl setuser s4 (~x {+nosuch)}} err]
        assert_equal $err {ERR Error in ACL SETUSER modifier '(~x +nosuch)': Unknown command or category name in ACL}
        assert_equal [llength [dict get [r acl getuser s4] selectors]] 2
    }

    test {Any selector may allow a command; the reported denial is the most specific} {
        r acl setuser s3 on nopass ~a +get (+set ~b*) (%R~c* +@string)
        assert_equal [r acl list] {{user default on nopass ~* &* +@all} {user s3 on nopass ~a resetchannels -@all +get (~b* resetchannels -@all +set) (%R~c* resetchannels -@all +@string)} {user s4 off resetchannels -@all (~x resetchannels -@all +get) (%R~x* %W~y* resetchannels &ch* -@all +@read)}}
        set cases {
            {get c1} OK
            {set c1 v} {This user has no permissions to access the 'c1' key}
            {mget a zz} {This user has no permissions to access the 'a' key}
            {mget zz a} {This user has no permissions to access the 'zz' key}
            {set b9 v} OK
            {set zz v} {This user has no permissions to access the 'zz' key}
            {hset b1 f v} {This user has no permissions to run the 'hset' command}
            {get b1} {This user has no permissions to access the 'b1' key}
            {append c2 x} {This user has no permissions to access the 'c2' key}
        }
        foreach {cmd want} $cases {
            assert_equal [r acl dryrun s3 {*}$cmd] $want "command: $cmd"
        }
    }

    test {Selectors apply to real commands} {
        set c [redis_client]
        $c auth s3 any
        assert_equal [$c set b1 v] OK
        assert_equal [$c get a] {}
        assert_equal [$c get c1] {}
        catch {$c set c1 v} e
        assert_equal $e {NOPERM this user has no permissions to access one of the keys used as arguments}
        catch {$c hset b1 f v} e
        assert_equal $e {NOPERM this user has no permissions to run the 'hset' command}
        $c close
    }

    test {clearselectors keeps only the root rules} {
        r acl setuser s3 clearselectors
        assert_equal [lindex [r acl list] 1] {user s3 on nopass ~a resetchannels -@all +get}
        assert_equal [r acl dryrun s3 set b1 v] {This user has no permissions to run the 'set' command}
    }

    test {Channels of a selector} {
        r acl setuser pub on nopass +publish &news (+publish &sport*)
        assert_equal [r acl dryrun pub publish news x] OK
        assert_equal [r acl dryrun pub publish sport1 x] OK
        assert_equal [r acl dryrun pub publish other x] {This user has no permissions to access the 'other' channel}
    }
}

# The randomized comparison (utils/acl-fuzz.py) with a small count: random
# users and commands, the permission decisions of this server against
# redis-server 7.0.15 given the same rules.
source tests/support/oracle.tcl
if {[oracle_available] && [auto_execok python3] ne ""} {
    start_server {tags {acl external:skip}} {
        test {Random ACL rules decide like Redis 7.0.15} {
            set dir [file normalize [file join $::opt(tmpdir) acl-fuzz.[pid]]]
            file mkdir $dir
            set o [oracle_start $dir]
            try {
                set out [exec python3 utils/acl-fuzz.py --decisions 600 --users 12 --seed [pid] \
                    --ember-port [srv port] --redis-port [lindex $o 1]]
            } finally {
                oracle_stop $o
                file delete -force $dir
            }
            assert_match {*, 0 differences} $out
        }
    }
}
