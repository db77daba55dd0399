# The Lua debugger: SCRIPT DEBUG YES|SYNC|NO and the session protocol that
# redis-cli --ldb speaks. The tests drive it as redis-cli does: SCRIPT
# DEBUG, then EVAL, then one debugger command at a time as a multibulk
# request, each answered by an array of status replies. Every expected
# reply was taken from Redis 7.0.15 running the same session.

# A client in debugging mode (yes or sync) stopped on the first line of
# script; the first stop's lines are in ::ldb_first.
proc ldb_start {mode script args} {
    set c [redis_deferring_client]
    $c script debug $mode
    assert_equal [$c read] OK
    $c eval $script {*}$args
    set ::ldb_first [$c read]
    return $c
}

# One debugger command; returns the logged lines.
proc ldb {c args} {
    $c {*}$args
    return [$c read]
}

# Ends the session with continue: returns the EVAL reply (or its error)
# after checking the end mark and the server closing the connection.
proc ldb_finish {c {cmd c}} {
    set log [ldb $c $cmd]
    assert_equal [lindex $log end] <endsession>
    if {[catch {$c read} reply]} { set reply "ERROR: $reply" }
    assert_equal [connection_closed $c] 1 "(connection not closed after the session)"
    $c close
    return $reply
}

start_server {tags {scripting scripting-debugger}} {
    test {SCRIPT DEBUG: arguments, modes and the pipeline check} {
        assert_error {ERR wrong number of arguments for 'script|debug' command} {r script debug}
        assert_error {ERR Use SCRIPT DEBUG YES/SYNC/NO} {r script debug maybe}
        assert_equal [r script debug no] OK
        r multi
        r script debug yes
        assert_match {*SCRIPT DEBUG must be called outside a pipeline*} [r exec]
        # A pipelined reply still waiting counts as a pipeline.
        set c [redis_deferring_client]
        $c write "*1\r\n\$4\r\nPING\r\n*3\r\n\$6\r\nSCRIPT\r\n\$5\r\nDEBUG\r\n\$3\r\nYES\r\n"
        $c flush
        assert_equal [$c read] PONG
        assert_error {ERR SCRIPT DEBUG must be called outside a pipeline} {$c read}
        $c close
    }

    test {SCRIPT DEBUG: EVALSHA is refused, NO goes back to plain EVAL} {
        set c [redis_client]
        assert_equal [$c script debug yes] OK
        assert_equal [$c get nokey] {}
        assert_error {ERR Please use EVAL instead of EVALSHA for debugging} \
            {$c evalsha e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0}
        assert_error {ERR Please use EVAL instead of EVALSHA for debugging} \
            {$c evalsha_ro e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0}
        assert_equal [$c script debug no] OK
        assert_equal [$c eval {return 1} 0] 1
        $c close
        # Outside the debugger redis.breakpoint() is false and redis.debug() nothing.
        assert_equal [r eval {return redis.breakpoint()} 0] {}
        assert_equal [r eval {redis.debug('x') return 2} 0] 2
    }

    test {LDB: first stop, step logs calls and replies, print, end of session} {
        r del k1
        set c [ldb_start yes "redis.call('set',KEYS\[1\],ARGV\[1\])\nlocal x = redis.call('get',KEYS\[1\])\nreturn x" 1 k1 v1]
        assert_equal $::ldb_first {{* Stopped at 1, stop reason = step over} {-> 1   redis.call('set',KEYS[1],ARGV[1])}}
        assert_equal [ldb $c s] {{<redis> set k1 v1} {<reply> "+OK"} {* Stopped at 2, stop reason = step over} {-> 2   local x = redis.call('get',KEYS[1])}}
        assert_equal [ldb $c p] {{No local variables in the current context.}}
        assert_equal [ldb $c n] {{<redis> get k1} {<reply> "v1"} {* Stopped at 3, stop reason = step over} {-> 3   return x}}
        assert_equal [ldb $c print] {{<value> x = "v1"}}
        assert_equal [ldb $c p KEYS] {{<value> {"k1"}}}
        assert_equal [ldb $c p ARGV] {{<value> {"v1"}}}
        assert_equal [ldb $c p nosuch] {{No such variable.}}
        assert_equal [ldb_finish $c] v1
        # A forked session's changes die with the child.
        assert_equal [r exists k1] 0
    }

    test {LDB: the raw protocol of a stop and of the end, byte for byte} {
        set c [redis_deferring_client]
        $c script debug yes
        assert_equal [$c read] OK
        $c readraw 1
        $c eval {return 5} 0
        assert_equal [list [$c read] [$c read] [$c read]] \
            {*2 {+* Stopped at 1, stop reason = step over} {+-> 1   return 5}}
        $c c
        assert_equal [list [$c read] [$c read] [$c read]] {*1 +<endsession> :5}
        $c close
    }

    test {LDB: SYNC runs in the server and keeps the changes} {
        r del synckey
        set c [ldb_start sync "redis.call('set','synckey','1')\nreturn 1" 0]
        assert_equal [ldb $c m 70] {{<value> replies are truncated at 70 bytes.}}
        assert_equal [ldb $c b 2] {{-> 1   redis.call('set','synckey','1')} {  #2   return 1}}
        assert_equal [ldb $c s] {{<redis> set synckey 1} {<reply> "+OK"} {* Stopped at 2, stop reason = break point} {->#2   return 1}}
        assert_equal [ldb_finish $c s] 1
        assert_equal [r get synckey] 1
        # The next session starts with the default maxlen and no breakpoints.
        set c [ldb_start sync {return 1} 0]
        assert_equal [ldb $c m] {{<value> replies are truncated at 256 bytes.}}
        assert_equal [ldb $c b] {{No breakpoints set. Use 'b <line>' to add one.}}
        assert_equal [ldb_finish $c] 1
        verify_log_message {*Redis synchronous debugging eval session started*}
        verify_log_message {*Redis synchronous debugging eval session ended*}
    }

    set nine "local a = 1\nlocal b = 2\nlocal c = 3\nlocal d = 4\nlocal e = 5\nlocal f = 6\nlocal g = 7\nlocal h = 8\nreturn a"

    test {LDB: list and whole} {
        set c [ldb_start yes $nine 0]
        assert_equal [ldb $c l] {{-> 1   local a = 1} {   2   local b = 2} {   3   local c = 3} {   4   local d = 4} {   5   local e = 5} {   6   local f = 6}}
        assert_equal [ldb $c l 4 1] {{   3   local c = 3} {   4   local d = 4} {   5   local e = 5}}
        assert_equal [ldb $c l 0 2] {{-> 1   local a = 1} {   2   local b = 2} {   3   local c = 3}}
        assert_equal [llength [ldb $c list 4]] 9
        assert_equal [ldb $c l 20] {}
        assert_equal [ldb $c l 4 0] {{   4   local d = 4}}
        assert_equal [ldb $c l 4 -1] {}
        assert_equal [llength [ldb $c l -3]] 6
        set whole [ldb $c w]
        assert_equal [llength $whole] 9
        assert_equal [lindex $whole end] {   9   return a}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: break adds, lists and removes breakpoints} {
        set c [ldb_start yes "local a = 1\nlocal b = 2\nlocal c = 3\nlocal d = 4\nreturn a" 0]
        assert_equal [ldb $c b] {{No breakpoints set. Use 'b <line>' to add one.}}
        assert_equal [ldb $c b 3] {{   2   local b = 2} {  #3   local c = 3} {   4   local d = 4}}
        assert_equal [ldb $c b 3] {{Wrong line number.}}
        assert_equal [ldb $c b] {{1 breakpoints set:} {  #3   local c = 3}}
        assert_equal [ldb $c b 0 2 x 99 -7 -2] {{All breakpoints removed.} {-> 1   local a = 1} {  #2   local b = 2} {   3   local c = 3} {Invalid argument:'x'} {Wrong line number.} {No breakpoint in the specified line.} {Breakpoint removed.}}
        assert_equal [ldb $c b 4] {{   3   local c = 3} {  #4   local d = 4} {   5   return a}}
        assert_equal [ldb $c c] {{* Stopped at 4, stop reason = break point} {->#4   local d = 4}}
        assert_equal [ldb $c b -4] {{Breakpoint removed.}}
        assert_equal [ldb $c b -4] {{No breakpoint in the specified line.}}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: print shows values as 7.0 does} {
        set script "local s = 'hi\\n\"q'\nlocal t = {1,2,'x'}\nlocal m = {a=1}\nlocal n = nil\nlocal b = true\nlocal e = {}\nlocal nest = {{1},{a={2}}}\nlocal fl = 3.5\nlocal mix = {1, 2, x=3}\nreturn 1"
        set c [ldb_start yes $script 0]
        ldb $c b 10
        ldb $c c
        assert_equal [ldb $c p] {{<value> s = "hi\n\"q"} {<value> t = {1; 2; "x"}} {<value> m = {["a"]=1}} {<value> n = nil} {<value> b = true} {<value> e = {}} {<value> nest = {{1}; {["a"]={2}}}} {<value> fl = 3.5} {<value> mix = {[1]=1; [2]=2; ["x"]=3}}}
        assert_equal [ldb $c p s] {{<value> "hi\n\"q"}}
        # "print a b": more than one name prints every local.
        assert_equal [llength [ldb $c print a b]] 9
        assert_match {<retval> "thread@0x*"} [lindex [ldb $c e {coroutine.create(function() end)}] 0]
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: nested tables stop at ten levels, numbers in %g} {
        set c [ldb_start yes "local t = {}\nlocal c = t\nfor i=1,25 do c\[1\] = {} c = c\[1\] end\nreturn 1" 0]
        ldb $c b 4
        ldb $c c
        assert_equal [ldb $c p t] {{<value> {{{{{{{{{{<max recursion level reached! Nested table?>}}}}}}}}}}}}
        assert_equal [ldb $c e -0.0] {{<retval> -0}}
        assert_equal [ldb $c e 1e100] {{<retval> 1e+100}}
        assert_equal [ldb $c e 1/0] {{<retval> inf}}
        assert_equal [ldb $c e 2^53] {{<retval> 9.0072e+15}}
        assert_equal [ldb $c e {'x'..string.char(0,1,255)}] {{<retval> "x\x00\x01\xff"}}
        assert_equal [ldb $c e {{[1.5]='a', [true]='b'}}] {{<retval> {[1.5]="a"; [true]="b"}}}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: eval runs expressions and statements in a frame of its own} {
        set c [ldb_start yes "local x = 7\nreturn x" 0]
        assert_equal [ldb $c e] {{<retval> nil}}
        assert_equal [ldb $c e 1+1] {{<retval> 2}}
        assert_equal [ldb $c eval x] {{<error> ldb_eval:1: Script attempted to access nonexistent global variable 'x'}}
        assert_equal [ldb $c e local y = 3] {{<retval> nil}}
        assert_equal [ldb $c e return 5] {{<retval> 5}}
        assert_equal [ldb $c e error('boom')] {{<error> ldb_eval:1: boom}}
        assert_equal [ldb $c e redis.call('set','a','b')] {{<retval> {["ok"]="OK"}}}
        assert_equal [ldb $c e ((] {{<error> ldb_eval:1: unexpected symbol near '<eof>'}}
        assert_equal [ldb $c e return 1, 2] {{<retval> 1}}
        assert_equal [ldb $c e redis.debug('x')] {{<debug> line 1: "x"} {<retval> nil}}
        assert_equal [ldb_finish $c] 7
    }

    test {LDB: redis runs commands with their replies logged} {
        set c [ldb_start yes "local x = 7\nreturn x" 0]
        assert_equal [ldb $c r] {{<error> Unknown Redis Lua debugger command or wrong number of arguments.}}
        assert_equal [ldb $c r ping] {{<redis> ping} {<reply> "+PONG"}}
        assert_equal [ldb $c redis set k v] {{<redis> set k v} {<reply> "+OK"}}
        assert_equal [ldb $c r get k] {{<redis> get k} {<reply> "v"}}
        assert_equal [ldb $c r get nokey] {{<redis> get nokey} {<reply> NULL}}
        assert_equal [ldb $c r incr k] {{<redis> incr k} {<error> -ERR value is not an integer or out of range} {<reply> "-ERR value is not an integer or out of range"}}
        assert_equal [ldb $c r nosuch] {{<redis> nosuch} {<error> Unknown Redis command called from script}}
        assert_equal [ldb $c r hset h a 1 b 2] {{<redis> hset h a 1 b 2} {<reply> 2}}
        assert_equal [ldb $c r hgetall h] {{<redis> hgetall h} {<reply> ["a","1","b","2"]}}
        assert_equal [ldb $c r lrange nolist 0 -1] {{<redis> lrange nolist 0 -1} {<reply> []}}
        assert_equal [ldb $c r set a b c d e f g h i j k l m n] {{<redis> set a b c d e f g h i ... (4 more)} {<error> -ERR syntax error} {<reply> "-ERR syntax error"}}
        assert_equal [ldb $c r eval {return 1} 0] {{<redis> eval return 1 0} {<error> This Redis command is not allowed from script}}
        assert_equal [ldb $c r incr nokey x] {{<redis> incr nokey x} {<error> Wrong number of args calling Redis command from script}}
        assert_equal [ldb_finish $c] 7
    }

    test {LDB: RESP3 replies in the log} {
        set script "redis.setresp(3)\nredis.call('hset','h3','f','v')\nredis.call('hgetall','h3')\nredis.call('zadd','z3','1.5','m')\nredis.call('zrange','z3',0,-1,'withscores')\nredis.call('get','nokey')\nreturn 1"
        set c [ldb_start yes $script 0]
        ldb $c s
        ldb $c s
        assert_equal [lrange [ldb $c s] 0 1] {{<redis> hgetall h3} {<reply> {"f" => "v"}}}
        ldb $c s
        assert_equal [lrange [ldb $c s] 0 1] {{<redis> zrange z3 0 -1 withscores} {<reply> [["m",(double) 1.5]]}}
        assert_equal [lrange [ldb $c s] 0 1] {{<redis> get nokey} {<reply> (null)}}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: maxlen trims replies and values, with a hint once} {
        set c [ldb_start yes "local x = string.rep('a',300)\nreturn x" 0]
        assert_equal [ldb $c s] {{* Stopped at 2, stop reason = step over} {-> 2   return x}}
        set log [ldb $c p x]
        assert_equal [llength $log] 2
        assert_equal [string length [lindex $log 0]] 260
        assert_match {<value> "aaa* ...} [lindex $log 0]
        assert_equal [lindex $log 1] {<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.}
        assert_equal [llength [ldb $c p x]] 1
        assert_equal [ldb $c m 10] {{<value> replies are truncated at 60 bytes.}}
        assert_equal [string length [lindex [ldb $c r get nokey] 1]] 12
        assert_equal [ldb $c m 0] {{<value> replies are unlimited.}}
        assert_equal [string length [lindex [ldb $c p x] 0]] 310
        assert_equal [ldb $c maxlen x] {{<value> replies are unlimited.}}
        assert_equal [string length [ldb_finish $c]] 300
    }

    test {LDB: trace shows the stack of user code} {
        set script "local function f(a)\n  local z = a * 2\n  return z\nend\nlocal function g()\n  local r = f(3)\n  return r\nend\nlocal v = g()\nreturn v"
        set c [ldb_start yes $script 0]
        assert_equal $::ldb_first {{* Stopped at 4, stop reason = step over} {-> 4   end}}
        assert_equal [ldb $c t] {{In top level:} {-> 4   end}}
        ldb $c b 2
        assert_equal [ldb $c c] {{* Stopped at 2, stop reason = break point} {->#2     local z = a * 2}}
        assert_equal [ldb $c t] {{In f:} {->#2     local z = a * 2} {From g:} {   6     local r = f(3)} {From top level:} {   9   local v = g()}}
        assert_equal [ldb $c p] {{<value> a = 3}}
        assert_equal [ldb $c p z] {{No such variable.}}
        assert_equal [ldb_finish $c] 6
    }

    test {LDB: redis.debug and redis.breakpoint} {
        set c [ldb_start yes "redis.debug('a', 1, {1,2}, nil, true)\nredis.debug()\nlocal x = redis.breakpoint()\nredis.debug(x)\nreturn 1" 0]
        assert_equal [ldb $c c] {{<debug> line 1: "a", 1, {1; 2}, nil, true} {<debug> line 2: } {* Stopped at 4, stop reason = redis.breakpoint() called} {-> 4   redis.debug(x)}}
        set log [ldb $c c]
        assert_equal $log {{<debug> line 4: true} <endsession>}
        assert_equal [$c read] 1
        $c close
    }

    test {LDB: errors of the API are logged while stepping} {
        r set s x
        set c [ldb_start yes "local r = redis.pcall('incr','s')\nlocal q = redis.pcall('nosuch')\nlocal z = redis.pcall()\nlocal ok = pcall(redis.call, {})\nredis.error_reply('oops')\npcall(redis.setresp, 5)\nreturn 1" 0]
        assert_equal [lrange [ldb $c s] 0 2] {{<redis> incr s} {<error> -ERR value is not an integer or out of range} {<reply> "-ERR value is not an integer or out of range"}}
        assert_equal [lrange [ldb $c s] 0 1] {{<redis> nosuch} {<error> Unknown Redis command called from script}}
        assert_equal [lindex [ldb $c s] 0] {<error> Please specify at least one argument for this redis lib call}
        assert_equal [lindex [ldb $c s] 0] {<error> Lua redis lib command arguments must be strings or integers}
        assert_equal [lindex [ldb $c s] 0] {<error> -oops}
        assert_equal [lindex [ldb $c s] 0] {<error> RESP version must be 2 or 3.}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: a read-only script and the OOM refusal} {
        set c [ldb_start yes "#!lua flags=no-writes\nredis.call('set','a','b')\nreturn 1" 0]
        assert_equal $::ldb_first {{* Stopped at 2, stop reason = step over} {-> 2   redis.call('set','a','b')}}
        assert_equal [ldb $c s] {{<redis> set a b} {<error> Write commands are not allowed from read-only scripts.} <endsession>}
        assert_error {ERR Write commands are not allowed from read-only scripts. script: *, on @user_script:2.} {$c read}
        $c close
        r config set maxmemory 1
        set c [ldb_start yes "redis.call('set','a','b')\nreturn 1" 0]
        set log [ldb $c s]
        r config set maxmemory 0
        assert_equal $log {{<redis> set a b} {<error> -OOM command not allowed when used memory > 'maxmemory'.  } <endsession>}
        assert_error {OOM command not allowed when used memory > 'maxmemory'. script: *} {$c read}
        $c close
    }

    test {LDB: abort, script errors, unknown commands and help} {
        set c [ldb_start yes "redis.call('set','x','1')\nreturn 1" 0]
        assert_equal [ldb $c foo] {{<error> Unknown Redis Lua debugger command or wrong number of arguments.}}
        set help [ldb $c HELP]
        assert_equal [llength $help] 30
        assert_equal [lindex $help 0] {Redis Lua debugger help:}
        assert_equal [lindex $help end] {                     next line of code.}
        assert_equal [ldb_finish $c abort] {ERROR: ERR script aborted for user request script: 8d1a0bd1279b937460e27bcbb6905d569d207b23, on @user_script:1.}
        set c [ldb_start yes "local a = 1\nerror('oops')" 0]
        assert_equal [ldb_finish $c] {ERROR: ERR user_script:2: oops script: 421a3aff9a6e9bce8ecabcb853d8ed3c939af655, on @user_script:2.}
        # Errors found before the script runs come after the end mark.
        set c [redis_deferring_client]
        $c script debug yes
        $c read
        $c eval {return 1} 5
        assert_equal [$c read] <endsession>
        assert_error {ERR Number of keys can't be greater than number of args} {$c read}
        $c close
    }

    test {LDB: protocol errors end the script} {
        foreach raw [list "PING\r\n" "*0\r\n" "*1\r\n\$0\r\n\r\n" "*1\r\n:1\r\n" "*2\r\n\$1\r\ne\r\n\$1025\r\n"] {
            set c [ldb_start yes {return 1} 0]
            $c write $raw
            $c flush
            assert_equal [$c read] <endsession>
            assert_error {ERR protocol error script: e0e1f9fabfc9d4800c877a703b823ac0578ff8db, on @user_script:1.} {$c read}
            $c close
        }
        # Bytes before the first '*' are skipped.
        set c [ldb_start yes {return 1} 0]
        $c write "xx*1\r\n\$1\r\nl\r\n"
        $c flush
        assert_equal [$c read] {{-> 1   return 1}}
        assert_equal [ldb_finish $c] 1
    }

    test {LDB: an infinite loop stops after busy-reply-threshold} {
        r config set busy-reply-threshold 200
        set c [ldb_start yes "local i = 0\nwhile true do\n  i = i + 1\nend" 0]
        assert_equal [ldb $c c] {{* Stopped at 3, stop reason = timeout reached, infinite loop?} {-> 3     i = i + 1}}
        assert_match {ERROR: ERR script aborted for user request*} [ldb_finish $c a]
        # With the client gone, the looping child ends itself at the next timeout.
        set c [ldb_start yes "local i = 0\nwhile true do\n  i = i + 1\nend" 0]
        ldb $c c
        set before [count_log_lines {*Lua debugging session child exiting*}]
        $c close
        wait_for_condition 100 50 {
            [count_log_lines {*Lua debugging session child exiting*}] > $before
        } else {
            fail "the forked session did not end"
        }
        r config set busy-reply-threshold 5000
    }

    test {LDB: the server goes on serving while a forked session waits} {
        set c [ldb_start yes "redis.call('set','forked','1')\nreturn 1" 0]
        ldb $c s
        assert_equal [r ping] PONG
        assert_equal [r exists forked] 0
        assert_equal [ldb_finish $c] 1
        assert_equal [r exists forked] 0
        verify_log_message {*Redis forked for debugging eval*}
    }

    test {LDB: a forked session's FLUSHALL leaves the parent's BGSAVE alone} {
        r set k v
        r config set rdb-key-save-delay 200000
        r bgsave
        wait_for_condition 50 20 {[s rdb_bgsave_in_progress] == 1} else { fail "no BGSAVE" }
        set c [ldb_start yes "redis.call('flushall')\nreturn 1" 0]
        assert_equal [ldb_finish $c] 1
        assert_equal [s rdb_bgsave_in_progress] 1
        r config set rdb-key-save-delay 0
        wait_for_condition 100 50 {[s rdb_bgsave_in_progress] == 0} else { fail "BGSAVE did not end" }
        assert_equal [s rdb_last_bgsave_status] ok
        assert_equal [r get k] v
        assert_equal [count_log_lines {*Killing the background save*}] 0
        verify_log_message {*Background saving terminated with success*}
    }

    test {LDB: a SYNC session whose client leaves runs to its end} {
        r del gone
        set c [ldb_start sync "redis.call('set','gone','1')\nredis.breakpoint()\nreturn 1" 0]
        $c close
        assert_equal [r get gone] 1
        assert_equal [r ping] PONG
    }

    test {LDB: EVAL inside MULTI is debugged, the transaction reply follows} {
        set c [redis_deferring_client]
        $c script debug yes
        $c read
        $c multi
        $c read
        $c eval {return 1} 0
        $c read
        $c exec
        assert_equal [$c read] {{* Stopped at 1, stop reason = step over} {-> 1   return 1}}
        $c c
        assert_equal [$c read] <endsession>
        assert_equal [$c read] 1
        $c close
    }

    test {LDB: redis-cli --ldb and --ldb-sync-mode, non-interactive} {
        set file [file join [srv dir] s.lua]
        set f [open $file w]
        puts $f "redis.call('set',KEYS\[1\],ARGV\[1\])\nlocal x = redis.call('get',KEYS\[1\])\nreturn x"
        close $f
        set host [srv 0 host]
        set port [srv 0 port]
        set out [exec redis-cli -h $host -p $port --ldb --eval $file cli1 , v1 << "s\np\nc\n"]
        assert_match "*<redis> set cli1 v1*<reply> \"+OK\"*No local variables in the current context.*\"v1\"*(Lua debugging session ended -- dataset changes rolled back)*" $out
        assert_equal [r exists cli1] 0
        set out [exec redis-cli -h $host -p $port --ldb-sync-mode --eval $file cli2 , v2 << "c\n"]
        assert_match "*\"v2\"*(Lua debugging session ended)*" $out
        assert_equal [r get cli2] v2
    }
}

start_server {tags {scripting scripting-debugger}} {
    test {LDB: SHUTDOWN kills the forked sessions} {
        set c [ldb_start yes {return 1} 0]
        catch {r shutdown nosave}
        wait_for_log_lines {*Killing debugging session*}
        assert_equal [connection_closed $c 5000] 1
        $c close
    }
}
