# The EVAL family and SCRIPT: the Lua API, the conversions between Lua
# values and replies in RESP2 and RESP3, error texts, the sandbox, shebang
# flags, busy scripts and SCRIPT KILL, propagation of a script's effects
# and its MONITOR lines. Every expected reply was taken from Redis 7.0.15
# running the same script.

# The error text of a script with the "script: <sha>, on" part kept.
proc eval_error {script args} {
    catch {r eval $script {*}$args} e
    return $e
}

# The raw reply lines of one command on a fresh client in protocol proto.
proc raw_of {proto n args} {
    set c [redis_client]
    if {$proto == 3} { $c hello 3 }
    set lines [raw_reply $c $args $n]
    $c close
    return [join $lines " "]
}

proc eval_error_ro {script} {
    catch {r eval_ro $script 0} e
    return $e
}

start_server {tags {scripting}} {
    test {EVAL returns integers, strings, arrays, nil and booleans} {
        assert_equal [r eval {return 1} 0] 1
        assert_equal [r eval {return 'ciao'} 0] ciao
        assert_equal [r eval {return {1,2,3,'ciao',{1,2}}} 0] {1 2 3 ciao {1 2}}
        assert_equal [r eval {return 3.99} 0] 3
        assert_equal [r eval {return -3.7} 0] -3
        assert_equal [r eval {return {1,2,nil,4}} 0] {1 2}
        assert_equal [r eval {return true} 0] 1
        assert_equal [raw_of 2 1 eval {return false} 0] {$-1}
        assert_equal [raw_of 2 1 eval {return nil} 0] {$-1}
        assert_equal [raw_of 3 1 eval {return false} 0] {_}
    }

    test {KEYS and ARGV, and the number of keys checks} {
        assert_equal [r eval {return {KEYS[1],ARGV[1],ARGV[2],#KEYS,#ARGV}} 1 k a b] {k a b 1 2}
        assert_error {ERR Number of keys can't be negative} {r eval {return 1} -1}
        assert_error {ERR Number of keys can't be greater than number of args} {r eval {return 1} 2 a}
        assert_error {ERR value is not an integer or out of range} {r eval {return 1} abc}
    }

    test {status, error and special tables become replies} {
        assert_equal [raw_of 2 1 eval {return redis.status_reply('FINE')} 0] {+FINE}
        assert_equal [raw_of 2 1 eval {return {err='My Error'}} 0] {-My Error}
        assert_equal [raw_of 2 1 eval {return redis.error_reply('E2 two')} 0] {-E2 two}
        assert_equal [raw_of 2 1 eval {return redis.error_reply('-E3 three')} 0] {-E3 three}
        assert_equal [raw_of 2 1 eval {return redis.error_reply('nocode')} 0] {-ERR nocode}
        assert_equal [raw_of 2 1 eval {return redis.error_reply('bad\r\nline')} 0] {-ERR bad  line}
        assert_equal [raw_of 2 1 eval {return redis.status_reply('a\r\nb')} 0] {+a  b}
        assert_equal [raw_of 2 1 eval {return {err=5}} 0] {*0}
        assert_equal [raw_of 2 2 eval {return {double=3.5}} 0] {$3 3.5}
        assert_equal [raw_of 3 1 eval {return {double=3.5}} 0] {,3.5}
        assert_equal [raw_of 3 1 eval {return {big_number='123'}} 0] {(123}
        assert_equal [raw_of 3 4 eval {return {map={a=1}}} 0] {%1 $1 a :1}
        assert_equal [raw_of 2 4 eval {return {map={a=1}}} 0] {*2 $1 a :1}
        assert_equal [raw_of 3 3 eval {return {set={a=true}}} 0] {~1 $1 a}
        assert_equal [raw_of 3 1 eval {redis.setresp(3) return true} 0] {#t}
        assert_equal [raw_of 3 1 eval {redis.setresp(3) return false} 0] {#f}
    }

    test {redis.call replies become Lua values in RESP2 and RESP3} {
        r del h
        r hset h f v
        assert_equal [r eval {return redis.call('hgetall', KEYS[1])} 1 h] {f v}
        assert_equal [r eval {return type(redis.call('get', 'nokey'))} 0] boolean
        assert_equal [r eval {return redis.call('ping')} 0] PONG
        assert_equal [r eval {redis.setresp(3) return type(redis.call('hgetall', KEYS[1]).map)} 1 h] table
        assert_equal [r eval {redis.setresp(3) return redis.call('hgetall', KEYS[1]).map.f} 1 h] v
        assert_equal [r eval {redis.setresp(3) return type(redis.call('get', 'nokey'))} 0] nil
        assert_equal [r eval {return redis.pcall('incr', KEYS[1]).err} 1 h] \
            {WRONGTYPE Operation against a key holding the wrong kind of value}
    }

    test {Numbers given to redis.call are formatted with 17 digits} {
        r eval {redis.call('set','k',1e20) return 1} 0
        assert_equal [r get k] 1e+20
        r eval {redis.call('set','k',0.1) return 1} 0
        assert_equal [r get k] 0.10000000000000001
        r eval {redis.call('set','k',2^53) return 1} 0
        assert_equal [r get k] 9007199254740992
    }

    test {Errors carry the script name and the line} {
        set sha [r eval {return redis.sha1hex("error('x')")} 0]
        assert_equal [eval_error {error('x')} 0] "ERR user_script:1: x script: $sha, on @user_script:1."
        assert_match {ERR Unknown Redis command called from script script: *, on @user_script:1.} \
            [eval_error {return redis.call('nosuch')} 0]
        assert_match {ERR Wrong number of args calling Redis command from script script: *} \
            [eval_error {return redis.call('get')} 0]
        assert_match {ERR Please specify at least one argument for this redis lib call script: *} \
            [eval_error {return redis.call()} 0]
        assert_match {ERR Lua redis lib command arguments must be strings or integers script: *} \
            [eval_error {return redis.call('get', {})} 0]
        assert_match {ERR This Redis command is not allowed from script script: *} \
            [eval_error {return redis.call('eval', 'return 1', '0')} 0]
        assert_match {ERR This Redis command is not allowed from script script: *} \
            [eval_error {return redis.call('client', 'list')} 0]
        assert_match {X y script: *, on @user_script:1.} [eval_error {error({err='X y'})} 0]
        assert_match {ERR nil script: *} [eval_error {error(nil)} 0]
        assert_match {ERR true script: *} [eval_error {error(true)} 0]
        assert_match {ERR user_script:1: 5 script: *} [eval_error {error(5)} 0]
        assert_match {ERR * on @user_script:3.} [eval_error "local a = 1\nlocal b = 2\nerror('x')" 0]
        assert_equal [eval_error {syntax error here} 0] \
            {ERR Error compiling script (new function): user_script:1: '=' expected near 'error'}
        r set s str
        assert_match {ERR value is not an integer or out of range script: *} \
            [eval_error {return redis.call('incr', 's')} 0]
        r del l
        r rpush l a
        assert_match {WRONGTYPE Operation against a key holding the wrong kind of value script: *} \
            [eval_error {return redis.call('incr', 'l')} 0]
    }

    test {A table error without err does not crash the server} {
        assert_match {ERR unknown error*} [eval_error {error({})} 0]
        assert_equal [r ping] PONG
    }

    test {pcall hands a caught error table over as its err string} {
        assert_equal [r eval {local ok,e = pcall(redis.call, 'nosuch'); return e} 0] \
            {ERR Unknown Redis command called from script}
        assert_equal [r eval {local ok,e = pcall(function() error({err='boom'}) end); return e} 0] boom
        assert_equal [r eval {local ok,e = pcall(function() error({1}) end); return e} 0] 1
        assert_equal [raw_of 2 4 eval {return {pcall(error, {err='q'})}} 0] {*2 $-1 $1 q}
    }

    test {The sandbox: absent libraries and functions} {
        set names {os io loadfile dofile require print debug setfenv getfenv newproxy module package}
        foreach n $names {
            assert_equal [r eval "return type(rawget(_G, '$n'))" 0] nil
        }
        foreach n {load loadstring cjson bit math string table coroutine redis} {
            assert {[r eval "return type(rawget(_G, '$n'))" 0] ne "nil"}
        }
    }

    test {The sandbox: globals and library tables are read-only} {
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} [eval_error {x = 1} 0]
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} [eval_error {redis.call = nil} 0]
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} [eval_error {string.rep = nil} 0]
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} [eval_error {cjson.encode = nil} 0]
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} [eval_error {KEYS = {}} 0]
        assert_match {ERR Attempt to modify a readonly table script: *} [eval_error {rawset(_G, 'x', 1)} 0]
        assert_match {ERR Attempt to modify a readonly table script: *} [eval_error {setmetatable(_G, nil)} 0]
        assert_match {ERR Attempt to modify a readonly table script: *} [eval_error {table.insert(_G, 1)} 0]
        assert_match {ERR user_script:1: Attempt to modify a readonly table script: *} \
            [eval_error {getmetatable('').__index = nil} 0]
        assert_match {ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: *} \
            [eval_error {return y} 0]
        assert_equal [r eval {KEYS[1] = 'x' return KEYS[1]} 0] x
        assert_equal [r eval {return getmetatable('').__index == string} 0] 1
        assert_equal [r eval {local n = 0 for k in pairs(_G) do n = n + 1 end return n > 25} 0] 1
        assert_equal [r eval {return redis.call('ping')} 0] PONG
    }

    test {The sandbox: binary chunks are refused, text chunks load} {
        assert_equal [r eval {return {loadstring('return 7')()}} 0] 7
        assert_equal [raw_of 2 1 eval {return loadstring(string.dump(function() return 1 end))} 0] {$-1}
        assert_equal [r eval {local f = load(function() return nil end) return type(f)} 0] function
    }

    test {Hostile scripts: deep recursion, cycles, nesting, bit.tohex} {
        assert_match {ERR user_script:1: stack overflow*} [eval_error {local function f() return 1 + f() end return f()} 0]
        set lines [raw_of 2 3 eval {local t = {} t[1] = t return t} 0]
        assert_equal $lines {*1 *1 *1}
        assert_match {*Found too many nested data structures (1001)*} \
            [eval_error {return cjson.decode(string.rep('[',1100) .. string.rep(']',1100))} 0]
        assert_match {*Cannot serialise, excessive nesting (1001)*} \
            [eval_error {local t = {} t[1] = t return cjson.encode(t)} 0]
        assert_equal [r eval {return bit.tohex(65535, -2147483648)} 0] 0000FFFF
        assert_equal [r eval {return bit.tohex(65535, 2147483647)} 0] 0000ffff
        catch {r eval {return string.rep('x', 2^31) .. string.rep('y', 2^31)} 0}
        assert_equal [r ping] PONG
        assert_match {ERR user_script:1: too many results to unpack script: *} \
            [eval_error {return unpack({}, 1, 100000000)} 0]
        assert_equal [r eval {local t = {} for i = 1, 100000 do t[i] = i end return #t} 0] 100000
        assert_equal [r eval {collectgarbage('stop') return 1} 0] 1
        assert_equal [r eval {local t = {} for i = 1, 1000 do t[i] = {} end return 1} 0] 1
        assert_match {ERR wrong number or type of arguments} [eval_error {return redis.error_reply({})} 0]
    }

    test {redis.* API functions and constants} {
        assert_equal [r eval {return redis.REDIS_VERSION} 0] 7.0.15
        assert_equal [r eval {return redis.REDIS_VERSION_NUM} 0] 458767
        assert_equal [r eval {return redis.replicate_commands()} 0] 1
        assert_equal [r eval {return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}} 0] {0 1 2 2 3}
        assert_equal [r eval {return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}} 0] {0 1 2 3}
        assert_equal [r eval {return redis.sha1hex('')} 0] da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_match {ERR wrong number of arguments script: *} [eval_error {return redis.sha1hex()} 0]
        assert_match {ERR RESP version must be 2 or 3. script: *} [eval_error {redis.setresp(4)} 0]
        assert_match {ERR redis.setresp() requires one argument. script: *} [eval_error {redis.setresp()} 0]
        assert_match {ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: *} \
            [eval_error {redis.set_repl(99)} 0]
        assert_match {ERR Invalid debug level. script: *} [eval_error {redis.log(99, 'x')} 0]
        assert_match {ERR redis.log() requires two arguments or more. script: *} [eval_error {redis.log(1)} 0]
        assert_equal [raw_of 2 1 eval {return redis.breakpoint()} 0] {$-1}
        assert_equal [raw_of 2 1 eval {return redis.debug('x')} 0] {$-1}
        r eval {redis.log(redis.LOG_WARNING, 'hello', 'from', 'lua')} 0
        wait_for_log_lines {*hello from lua*}
    }

    test {cjson encodes and decodes as in Redis} {
        assert_equal [r eval {return {cjson.encode({}), cjson.encode({1,2,{a=1}}), cjson.encode(1/3)}} 0] \
            {{{}} {[1,2,{"a":1}]} 0.33333333333333}
        assert_equal [r eval {return cjson.decode('{"a":[1,2,3.5]}').a[2]} 0] 2
        assert_equal [r eval {return type(cjson.null)} 0] userdata
    }

    test {math.random is the deterministic 48-bit generator} {
        assert_equal [r eval {math.randomseed(1) return math.random(100)} 0] 5
        assert_equal [r eval {return math.random(5, 10) >= 5} 0] 1
    }

    test {EVALSHA, SCRIPT LOAD, EXISTS and FLUSH} {
        set sha [r script load {return 'loaded'}]
        assert_equal $sha [r eval {return redis.sha1hex("return 'loaded'")} 0]
        assert_equal [r evalsha $sha 0] loaded
        assert_equal [r evalsha [string toupper $sha] 0] loaded
        assert_equal [r script exists $sha ffffffffffffffffffffffffffffffffffffffff] {1 0}
        assert_error {NOSCRIPT No matching script. Please use EVAL.} {r evalsha abc 0}
        assert_error {ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'} \
            {r script load {return (}}
        assert_error {ERR SCRIPT FLUSH only support SYNC|ASYNC option} {r script flush bad}
        assert_equal [r script flush async] OK
        assert_equal [r script exists $sha] 0
        assert_error {NOSCRIPT*} {r evalsha $sha 0}
        r script load {return 'loaded'}
        assert_equal [r script flush sync] OK
        assert_equal [r script exists $sha] 0
        assert_error {ERR unknown subcommand 'bad'. Try SCRIPT HELP.} {r script bad}
        assert_equal [llength [r script help]] 17
    }

    test {SCRIPT DEBUG: YES and NO on the same client (the debugger: scripting-debugger.tcl)} {
        assert_equal [r script debug yes] OK
        assert_equal [r script debug no] OK
        assert_equal [r eval {return 1} 0] 1
        assert_error {ERR Use SCRIPT DEBUG YES/SYNC/NO} {r script debug maybe}
    }

    test {An error from redis.call is counted once in errorstats, EVAL fails} {
        r config resetstat
        r set s str
        catch {r eval {return redis.call('incr','s')} 0}
        catch {r eval {return redis.pcall('incr','s')} 0}
        catch {r eval {return redis.error_reply('MY err')} 0}
        assert_match {*errorstat_ERR:count=2*} [r info errorstats]
        assert_match {*errorstat_MY:count=1*} [r info errorstats]
        assert_equal [s total_error_replies] 3
        assert_match {*cmdstat_eval:calls=3,*failed_calls=3*} [r info commandstats]
        assert_match {*cmdstat_incr:calls=2,*failed_calls=2*} [r info commandstats]
    }

    test {INFO memory reports the interpreter and the cached scripts} {
        r script flush
        r eval {return 1} 0
        r script load {return 2}
        assert_equal [s number_of_cached_scripts] 2
        assert {[s used_memory_lua] > 10000}
        assert_equal [s used_memory_lua] [s used_memory_vm_eval]
        assert {[s used_memory_scripts_eval] > 0}
        r script flush
        assert_equal [s number_of_cached_scripts] 0
        assert_equal [s used_memory_scripts_eval] 0
    }

    test {Shebang flags} {
        assert_match {ERR Write commands are not allowed from read-only scripts. script: *, on @user_script:2.} \
            [eval_error "#!lua flags=no-writes\nreturn redis.call('set','a','b')" 0]
        assert_error {ERR Unexpected flag in script shebang: bogus} {r eval "#!lua flags=bogus\nreturn 1" 0}
        assert_error {ERR Unknown lua shebang option: name=x} {r eval "#!lua name=x\nreturn 1" 0}
        assert_error {ERR Unexpected engine in script shebang: #!luax} {r eval "#!luax\nreturn 1" 0}
        assert_equal [r eval "#!lua\nreturn 1" 0] 1
        assert_equal [r eval "#!lua flags=\nreturn 1" 0] 1
        assert_equal [r eval "#!lua flags=no-writes,allow-oom\nreturn 1" 0] 1
        assert_error {ERR Can not execute a script with write flag using \*_ro command.} {r eval_ro "#!lua\nreturn 1" 0}
        assert_equal [r eval_ro "#!lua flags=no-writes\nreturn redis.call('ping')" 0] PONG
    }

    test {EVAL_RO and EVALSHA_RO refuse writes} {
        assert_match {ERR Write commands are not allowed from read-only scripts. script: *} \
            [eval_error_ro {return redis.call('set','a','b')}]
        r set a 1
        assert_equal [r eval_ro {return redis.call('get','a')} 0] 1
        set sha [r script load {return redis.call('set','a','b')}]
        assert_error {ERR Write commands are not allowed from read-only scripts.*} {r evalsha_ro $sha 0}
    }

    test {A SELECT inside a script does not change the caller's database} {
        r select 9
        r eval {redis.call('select', 10) redis.call('set', 'insel', 1)} 0
        assert_equal [r exists insel] 0
        r select 10
        assert_equal [r get insel] 1
        r select 9
    }

    test {OOM: denyoom commands refused, allow-oom and no-writes scripts run} {
        r set big [string repeat x 100000]
        r config set maxmemory 1
        assert_match {OOM command not allowed when used memory > 'maxmemory'. script: *} \
            [eval_error {return redis.call('set','x','y')} 0]
        assert_equal [r eval {return redis.call('get','big') ~= nil} 0] 1
        assert_error {OOM *} {r eval "#!lua\nreturn 1" 0}
        assert_equal [r eval "#!lua flags=allow-oom\nreturn redis.call('set','x','y')" 0] OK
        assert_equal [r eval "#!lua flags=no-writes\nreturn 1" 0] 1
        r config set maxmemory 0
        r del big
    }

    test {Effects are propagated as the commands run, MULTI/EXEC around several} {
        r select 9
        r debug propagation off
        r debug propagation on
        r eval {redis.call('set','a','1') redis.call('incr','a')} 0
        r eval {redis.call('set','b','1')} 0
        r eval {redis.call('get','b')} 0
        r eval {redis.set_repl(redis.REPL_NONE) redis.call('set','c','1') redis.set_repl(redis.REPL_ALL) redis.call('set','d','1')} 0
        set stream [r debug propagation get]
        r debug propagation off
        assert_equal $stream {{SELECT 9} MULTI {set a 1} {incr a} EXEC {set b 1} {set d 1}}
    }

    test {MONITOR shows EVAL, then its commands as [db lua]} {
        r select 9
        set m [redis_deferring_client]
        $m monitor
        $m read
        r eval {redis.call('set','ma','b') return redis.call('get','ma')} 1 ma
        set l1 [$m read]
        set l2 [$m read]
        set l3 [$m read]
        $m close
        assert_match {*"eval" "redis.call(*" "1" "ma"} $l1
        assert_match {*\[9 lua\] "set" "ma" "b"} $l2
        assert_match {*\[9 lua\] "get" "ma"} $l3
    }
}

start_server {tags {scripting} overrides {busy-reply-threshold 100}} {
    test {SCRIPT KILL with no script running} {
        assert_error {NOTBUSY No scripts in execution right now.} {r script kill}
    }

    test {A busy script: other clients get BUSY, SCRIPT KILL stops it} {
        set rd [redis_deferring_client]
        $rd eval {local i = 0 while true do i = i + 1 end} 0
        $rd flush
        set r2 [redis_client]
        wait_for_condition 100 50 {
            [catch {$r2 ping} e] && [string match {BUSY*} $e]
        } else {
            fail "no BUSY reply"
        }
        assert_error {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.} {$r2 get a}
        assert_error {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.} {$r2 shutdown}
        assert_equal [$r2 script kill] OK
        assert_error {ERR Script killed by user with SCRIPT KILL... script: *, on @user_script:1.} {$rd read}
        assert_equal [$r2 ping] PONG
        $rd close
        $r2 close
        wait_for_log_lines {*Slow script detected*}
    }

    test {A pcall in the script cannot keep a killed script alive} {
        set rd [redis_deferring_client]
        $rd eval {while true do pcall(function() while true do end end) end} 0
        $rd flush
        set r2 [redis_client]
        wait_for_condition 100 50 {
            [catch {$r2 ping} e] && [string match {BUSY*} $e]
        } else {
            fail "no BUSY reply"
        }
        assert_equal [$r2 script kill] OK
        assert_error {ERR Script killed by user with SCRIPT KILL*} {$rd read}
        $rd close
        $r2 close
    }

    test {A script that wrote cannot be killed: UNKILLABLE, then SHUTDOWN NOSAVE} {
        set rd [redis_deferring_client]
        $rd eval {redis.call('set','x','y') while true do end} 0
        $rd flush
        set r2 [redis_client]
        wait_for_condition 100 50 {
            [catch {$r2 ping} e] && [string match {BUSY*} $e]
        } else {
            fail "no BUSY reply"
        }
        assert_error {UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.} {$r2 script kill}
        catch {$r2 shutdown nosave}
        wait_server_exit
        $rd close
    }
}

start_server {tags {scripting}} {
    test {redis.acl_check_cmd answers for the caller's user, logging nothing} {
        r acl setuser lim on nopass ~k* +eval +get
        set lim [redis_client]
        $lim auth lim x
        assert_equal [r eval {return redis.acl_check_cmd('set','x1','v')} 0] 1
        assert_equal [$lim eval {return redis.acl_check_cmd('get','k1')} 0] 1
        assert_equal [$lim eval {return redis.acl_check_cmd('get','x1')} 0] {}
        assert_equal [$lim eval {return redis.acl_check_cmd('set','k1','v')} 0] {}
        assert_equal [$lim eval {return redis.acl_check_cmd('get')} 0] 1
        assert_error {ERR Invalid command passed to redis.acl_check_cmd() script: *} \
            {r eval {return redis.acl_check_cmd('nosuch')} 0}
        assert_error {ERR Invalid command passed to redis.acl_check_cmd() script: *} \
            {r eval {return redis.acl_check_cmd('config','nosuch')} 0}
        assert_error {ERR Please specify at least one argument for this redis lib call script: *} \
            {r eval {return redis.acl_check_cmd()} 0}
        assert_error {ERR Lua redis lib command arguments must be strings or integers script: *} \
            {r eval {return redis.acl_check_cmd({})} 0}
        assert_equal [r acl log] {}
        $lim close
    }
}
