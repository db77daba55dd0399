# FUNCTION and FCALL: loading libraries (metadata, register_function in its
# two forms, the load-time sandbox and time limit), calling functions
# (FCALL, FCALL_RO and the flags), LIST / STATS in RESP2 and RESP3,
# DELETE / FLUSH, DUMP / RESTORE with their policies, busy functions and
# FUNCTION KILL, persistence (RDB, DEBUG RELOAD, AOF rewrite) and INFO.
# Every expected reply was taken from Redis 7.0.15 given the same commands;
# the file passes against it too (--server-binary /usr/bin/redis-server)
# except where a test needs Ember's DEBUG PROPAGATION.

source tests/support/aof.tcl
source tests/support/oracle.tcl

# A library named lib with one function fn returning ret.
proc lib_code {lib fn {ret 1}} {
    return "#!lua name=$lib\nredis.register_function('$fn', function(keys, args) return $ret end)"
}

# The error of FUNCTION LOAD of body under the library name lib.
proc load_error {body {lib t}} {
    catch {r function load "#!lua name=$lib\n$body"} e
    return $e
}

# The raw reply lines of one command on a fresh client in protocol proto.
proc fn_raw {proto n args} {
    set c [redis_client]
    if {$proto == 3} { $c hello 3 }
    set lines [raw_reply $c $args $n]
    $c close
    return [join $lines " "]
}

# Waits until a client of the server gets BUSY; returns that client.
proc wait_busy {} {
    set r2 [redis_client]
    wait_for_condition 100 50 {
        [catch {$r2 ping} e] && [string match {BUSY*} $e]
    } else {
        fail "no BUSY reply"
    }
    return $r2
}

set name_err {ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long}

start_server {tags {scripting}} {
    test {FUNCTION LOAD returns the library name, FCALL runs its functions} {
        r function flush
        assert_equal [r function load [lib_code mylib f1 "redis.call('ping')"]] mylib
        assert_equal [r fcall f1 0] PONG
        assert_equal [r function load "#!lua name=kv\nredis.register_function('kv', function(keys, args) return {keys\[1\], args\[1\], #keys, #args} end)"] kv
        assert_equal [r fcall kv 2 k1 k2 a1] {k1 a1 2 1}
    }

    test {FUNCTION LOAD refuses an existing library unless REPLACE} {
        assert_error {ERR Library 'mylib' already exists} {r function load [lib_code mylib f1]}
        assert_equal [r function load replace [lib_code mylib f1 42]] mylib
        assert_equal [r fcall f1 0] 42
        assert_equal [r function load REPLACE replace [lib_code mylib f1 43]] mylib
        assert_error {ERR Function f1 already exists} {r function load [lib_code other f1]}
        assert_error {ERR Unknown option given: FOO} {r function load FOO [lib_code mylib f1]}
        assert_error {ERR Missing library metadata} {r function load replace}
    }

    test {Library metadata: the shebang line and its errors} {
        set body "redis.register_function('a', function() end)"
        assert_error {ERR Missing library metadata} {r function load $body}
        assert_error {ERR Engine 'luax' not found} {r function load "#!luax name=x\n$body"}
        assert_error {ERR Library name was not given} {r function load "#!lua\n$body"}
        assert_error {ERR Invalid metadata value given: foo=bar} {r function load "#!lua name=x foo=bar\n$body"}
        assert_error {ERR Invalid metadata value, name argument was given multiple times} \
            {r function load "#!lua name=x name=y\n$body"}
        assert_error {ERR Invalid library metadata} {r function load "#!lua name=x"}
        assert_equal [catch {r function load "#!lua name=my-lib\n$body"} e] 1
        assert_equal $e $::name_err
        assert_equal [catch {r function load "#!lua name=\n$body"} e] 1
        assert_equal $e $::name_err
        assert_equal [r function load "#!LUA  NAME=up \r\n$body"] up
        r function delete up
        set long [string repeat L 300]
        assert_equal [r function load "#!lua name=$long\n$body"] $long
        r function delete $long
    }

    test {register_function: positional and table forms, and their errors} {
        r function flush
        assert_equal [r function load "#!lua name=t\nredis.register_function{function_name='tf', callback=function() return 'tab' end, flags={'no-writes'}, description='d'}"] t
        assert_equal [r fcall_ro tf 0] tab
        assert_equal [r function load "#!lua name=n\nredis.register_function(7, function() return 7 end)"] n
        assert_equal [r fcall 7 0] 7
        r function flush
        set prefix "ERR Error registering functions: ERR "
        assert_equal [load_error "redis.register_function{function_name='a', callback=1}"] \
            "${prefix}callback argument given to redis.register_function must be a function"
        assert_equal [load_error "redis.register_function{function_name='a', callback=function() end, flags='no-writes'}"] \
            "${prefix}flags argument to redis.register_function must be a table representing function flags"
        assert_equal [load_error "redis.register_function{function_name='a', callback=function() end, flags={'bad'}}"] \
            "${prefix}unknown flag given"
        assert_equal [load_error "redis.register_function{callback=function() end}"] \
            "${prefix}redis.register_function must get a function name argument"
        assert_equal [load_error "redis.register_function{function_name='a'}"] \
            "${prefix}redis.register_function must get a callback argument"
        assert_equal [load_error "redis.register_function{function_name='a', callback=function() end, foo=1}"] \
            "${prefix}unknown argument given to redis.register_function"
        assert_equal [load_error "redis.register_function('a')"] \
            "${prefix}calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."
        assert_equal [load_error "redis.register_function('a', 1)"] \
            "${prefix}second argument to redis.register_function must be a function"
        assert_equal [load_error "redis.register_function({}, function() end)"] \
            "${prefix}first argument to redis.register_function must be a string"
        assert_equal [load_error "redis.register_function()"] \
            "${prefix}wrong number of arguments to redis.register_function"
        assert_equal [load_error "redis.register_function('f-1', function() end)"] \
            "ERR Error registering functions: $::name_err"
        assert_equal [load_error "redis.register_function('f', function() end) redis.register_function('f', function() end)"] \
            "${prefix}Function already exists in the library"
        assert_equal [load_error "return 1"] {ERR No functions registered}
        assert_equal [r function list] {}
    }

    test {Compile and run errors at load time} {
        assert_equal [load_error "syntax error here"] \
            {ERR Error compiling function: user_function:2: '=' expected near 'error'}
        assert_equal [load_error "redis.register_function('a', function() end) local x = nil + 1"] \
            {ERR Error registering functions: ERR user_function:2: attempt to perform arithmetic on a nil value}
    }

    test {The load-time sandbox: only register_function, log and the version fields} {
        set prefix "ERR Error registering functions: ERR user_function:2: "
        foreach name {type pcall error string math table cjson bit tostring pairs _G KEYS} {
            assert_equal [load_error "local x = $name"] \
                "${prefix}Script attempted to access nonexistent global variable '$name'"
        }
        foreach field {call pcall setresp sha1hex error_reply status_reply set_repl REPL_ALL} {
            assert_equal [load_error "local x = redis.$field"] \
                "${prefix}Script attempted to access nonexistent global variable '$field'"
        }
        assert_equal [load_error "foo = 1"] "${prefix}Attempt to modify a readonly table"
        assert_equal [load_error "redis.register_function = nil"] "${prefix}Attempt to modify a readonly table"
        assert_equal [r function load "#!lua name=v\nlocal v = redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM\nredis.log(redis.LOG_NOTICE, 'loading', v)\nredis.register_function('v', function() return v end)"] v
        assert_equal [r fcall v 0] "7.0.15 [expr {7 * 65536 + 15}]"
        r function delete v
    }

    test {A library that runs too long at load time is stopped} {
        assert_equal [load_error "local i = 0 while true do i = i + 1 end"] \
            {ERR Error registering functions: ERR FUNCTION LOAD timeout}
        assert_equal [r ping] PONG
    }

    test {Functions see the full API at run time, in a state apart from EVAL} {
        r function flush
        r function load "#!lua name=rt
local function helper() return redis.call('get', 'fk') end
redis.register_function('h', function(keys, args) return helper() end)
redis.register_function('ty', function() return {type(redis.register_function), type(redis.call), type(cjson), type(bit)} end)
local reg = redis.register_function
redis.register_function('rf', function() return reg('zz', function() end) end)
redis.register_function('gl', function() return KEYS end)
redis.register_function('sg', function() newglobal = 1 end)"
        r set fk fv
        assert_equal [r fcall h 0] fv
        assert_equal [r fcall ty 0] {nil function table table}
        assert_error {ERR redis.register_function can only be called on FUNCTION LOAD command script: rf, on @user_function:6.} \
            {r fcall rf 0}
        assert_error {ERR user_function:7: Script attempted to access nonexistent global variable 'KEYS' script: gl, on @user_function:7.} \
            {r fcall gl 0}
        assert_error {ERR user_function:8: Attempt to modify a readonly table script: sg, on @user_function:8.} \
            {r fcall sg 0}
        r script flush
        assert_equal [r fcall h 0] fv
    }

    test {FCALL errors: unknown function, number of keys, errors of the function} {
        r function flush
        r function load "#!lua name=e
redis.register_function('e1', function() error('boom') end)
redis.register_function('e2', function() return redis.call('nosuch') end)
redis.register_function('e3', function() return redis.error_reply('MY oops') end)
redis.register_function('w', function(keys, args) return redis.call('set', keys\[1\], args\[1\]) end)"
        assert_error {ERR Function not found} {r fcall nope 0}
        assert_error {ERR Function not found} {r fcall nope x}
        assert_error {ERR Bad number of keys provided} {r fcall w x}
        assert_error {ERR Number of keys can't be greater than number of args} {r fcall w 5}
        assert_error {ERR Number of keys can't be negative} {r fcall w -1}
        assert_error {ERR user_function:2: boom script: e1, on @user_function:2.} {r fcall e1 0}
        assert_error {ERR Unknown Redis command called from script script: e2, on @user_function:3.} {r fcall e2 0}
        assert_error {MY oops} {r fcall e3 0}
        assert_equal [r fcall w 1 wk wv] OK
        assert_equal [r get wk] wv
    }

    test {FCALL_RO and the no-writes flag} {
        r function load "#!lua name=ro
redis.register_function{function_name='ro_w', callback=function() return redis.call('set','x','y') end, flags={'no-writes'}}
redis.register_function{function_name='ro_r', callback=function() return redis.call('get','wk') end, flags={'no-writes'}}"
        assert_error {ERR Can not execute a script with write flag using \*_ro command.} {r fcall_ro w 1 a b}
        assert_error {ERR Write commands are not allowed from read-only scripts. script: ro_w, on @user_function:2.} \
            {r fcall ro_w 0}
        assert_equal [r fcall_ro ro_r 0] wv
        assert_equal [r fcall ro_r 0] wv
    }

    test {allow-oom: a function that may write is refused over maxmemory unless flagged} {
        r function load "#!lua name=oom
redis.register_function('oom_w', function() return redis.call('set','ox','1') end)
redis.register_function{function_name='oom_ok', callback=function() return redis.call('set','ox','2') end, flags={'allow-oom'}}
redis.register_function{function_name='oom_ro', callback=function() return 'ro' end, flags={'no-writes'}}"
        r config set maxmemory 1
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r fcall oom_w 0}
        assert_equal [r fcall oom_ok 0] OK
        assert_equal [r fcall oom_ro 0] ro
        r config set maxmemory 0
    }

    test {FUNCTION LIST in RESP2 and RESP3, LIBRARYNAME and WITHCODE} {
        r function flush
        set code "#!lua name=Lib1\nredis.register_function{function_name='f', callback=function() return 1 end, flags={'allow-oom', 'no-writes'}, description='desc'}"
        r function load $code
        r function load [lib_code lib2 g]
        assert_equal [fn_raw 2 27 function list libraryname lib1] \
            [join [list *1 *6 {$12} library_name {$4} Lib1 {$6} engine {$3} LUA {$9} functions *1 \
                *6 {$4} name {$1} f {$11} description {$4} desc {$5} flags *2 +no-writes +allow-oom] " "]
        set l [lindex [r function list withcode libraryname lib1] 0]
        assert_equal [dict keys $l] {library_name engine functions library_code}
        assert_equal [dict get $l library_code] $code
        assert_equal [fn_raw 3 24 function list libraryname LIB2] \
            [join [list *1 %3 {$12} library_name {$4} lib2 {$6} engine {$3} LUA {$9} functions *1 \
                %3 {$4} name {$1} g {$11} description _ {$5} flags ~0] " "]
        assert_equal [lsort [lmap l [r function list] {dict get $l library_name}]] {Lib1 lib2}
        assert_equal [r function list libraryname nomatch*] {}
        assert_error {ERR library name argument was not given} {r function list libraryname}
        assert_error {ERR Unknown argument foo} {r function list foo}
        assert_error {ERR Unknown argument WITHCODE} {r function list WITHCODE WITHCODE}
        assert_error {ERR Unknown argument LIBRARYNAME} {r function list LIBRARYNAME a LIBRARYNAME b}
    }

    test {FUNCTION STATS in RESP2 and RESP3} {
        assert_equal [r function stats] {running_script {} engines {LUA {libraries_count 2 functions_count 2}}}
        assert_equal [fn_raw 3 16 function stats] \
            [join [list %2 {$14} running_script _ {$7} engines %1 {$3} LUA %2 {$15} libraries_count :2 \
                {$15} functions_count :2] " "]
        assert_error {ERR wrong number of arguments for 'function|stats' command} {r function stats x}
    }

    test {FUNCTION DELETE and FLUSH} {
        assert_equal [r function delete lib2] OK
        assert_error {ERR Library not found} {r function delete lib2}
        assert_error {ERR Function not found} {r fcall g 0}
        assert_equal [r fcall f 0] 1
        assert_error {ERR FUNCTION FLUSH only supports SYNC|ASYNC option} {r function flush foo}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.} \
            {r function flush async x}
        assert_equal [r function flush async] OK
        assert_equal [r function list] {}
        r function load [lib_code lib3 h]
        assert_equal [r function flush sync] OK
        assert_equal [r function stats] {running_script {} engines {LUA {libraries_count 0 functions_count 0}}}
        assert_error {ERR unknown subcommand 'foo'. Try FUNCTION HELP.} {r function foo}
    }

    test {SCRIPT FLUSH ASYNC and FUNCTION FLUSH ASYNC start new interpreters at once} {
        set sha [r script load {return 'cached'}]
        assert_equal [r eval {local t = {} for i = 1, 50000 do t[i] = tostring(i) end return #t} 0] 50000
        r function load [lib_code flushlib flushfn 5]
        assert_equal [r script flush async] OK
        assert_equal [r function flush async] OK
        assert_error {NOSCRIPT*} {r evalsha $sha 0}
        assert_error {ERR Function not found} {r fcall flushfn 0}
        assert_equal [r eval {return 'fresh'} 0] fresh
        r function load [lib_code flushlib flushfn 6]
        assert_equal [r fcall flushfn 0] 6
        r config set lazyfree-lazy-user-flush yes
        assert_equal [r script flush] OK
        assert_equal [r function flush] OK
        r config set lazyfree-lazy-user-flush no
        assert_equal [r eval {return 1} 0] 1
        assert_error {ERR Function not found} {r fcall flushfn 0}
    }

    test {FUNCTION HELP} {
        set help [r function help]
        assert_equal [llength $help] 40
        assert_equal [lindex $help 0] {FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lindex $help 1] {LOAD [REPLACE] <FUNCTION CODE>}
        assert_equal [lindex $help 30] {RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]}
        assert_equal [lindex $help end] {    Prints this help.}
    }

    test {FUNCTION DUMP: the FUNCTION2 records, version and CRC64} {
        r function flush
        assert_equal [r function dump] "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xda"
        set code [lib_code ab fab]
        r function load $code
        set dump [r function dump]
        assert_equal [string length $code] 79
        assert_equal [string range $dump 0 81] "\xf5\x40\x4f$code"
        assert_equal [string range $dump 82 83] "\x0a\x00"
        assert_equal [string length $dump] 92
    }

    test {FUNCTION RESTORE with APPEND, REPLACE and FLUSH} {
        r function flush
        r function load [lib_code ab fab 1]
        set payload [r function dump]
        assert_error {ERR Library ab already exists} {r function restore $payload}
        assert_error {ERR Library ab already exists} {r function restore $payload append}
        assert_equal [r function restore $payload replace] OK
        assert_error {ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.} \
            {r function restore $payload foo}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.} \
            {r function restore $payload flush x}
        r function flush
        r function load [lib_code cd fab 3]
        assert_error {ERR Function fab already exists} {r function restore $payload}
        assert_error {ERR Function fab already exists} {r function restore $payload replace}
        assert_equal [r fcall fab 0] 3
        assert_equal [r function restore $payload flush] OK
        assert_equal [r fcall fab 0] 1
        assert_equal [lmap l [r function list] {dict get $l library_name}] ab
        r function flush
        r function load [lib_code ab fab2 2]
        assert_equal [r function restore $payload replace] OK
        assert_error {ERR Function not found} {r fcall fab2 0}
        r function load [lib_code other other 5]
        assert_error {ERR Library ab already exists} {r function restore $payload}
        assert_equal [r fcall other 0] 5
    }

    test {FUNCTION RESTORE refuses bad payloads} {
        r function flush
        r function load [lib_code ab fab 1]
        set payload [r function dump]
        set bad [string range $payload 0 end-1][format %c [expr {[scan [string index $payload end] %c] ^ 1}]]
        assert_error {ERR DUMP payload version or checksum are wrong} {r function restore $bad}
        assert_error {ERR DUMP payload version or checksum are wrong} {r function restore ""}
        r set k v
        assert_error {ERR given type is not a function} {r function restore [r dump k]}
        r function flush
        assert_equal [r function restore $payload] OK
        assert_equal [r fcall fab 0] 1
    }
}

start_server {tags {scripting} overrides {busy-reply-threshold 100}} {
    test {FUNCTION KILL with nothing running} {
        assert_error {NOTBUSY No scripts in execution right now.} {r function kill}
    }

    test {A busy function: BUSY names FUNCTION KILL, STATS shows it, FUNCTION KILL stops it} {
        r function load "#!lua name=busy
redis.register_function{function_name='spin', callback=function() local i = 0 while true do i = i + 1 end end, flags={'no-writes'}}
redis.register_function('spinw', function() redis.call('set','bw','1') while true do end end)"
        set rd [redis_deferring_client]
        $rd fcall spin 0 extra
        $rd flush
        set r2 [wait_busy]
        assert_error {BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.} {$r2 get a}
        set stats [$r2 function stats]
        set running [dict get $stats running_script]
        assert_equal [dict get $running name] spin
        assert_equal [dict get $running command] {fcall spin 0 extra}
        assert {[dict get $running duration_ms] >= 100}
        assert_equal [dict get $stats engines] {LUA {libraries_count 1 functions_count 2}}
        assert_error {BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.} {$r2 script kill}
        assert_equal [$r2 function kill] OK
        assert_error {ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.} {$rd read}
        assert_equal [$r2 ping] PONG
        $rd close
        $r2 close
    }

    test {FUNCTION KILL while an EVAL script runs, and STATS then} {
        set rd [redis_deferring_client]
        $rd eval {local i = 0 while true do i = i + 1 end} 0
        $rd flush
        set r2 [wait_busy]
        assert_error {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.} {$r2 function kill}
        assert_error {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.} {$r2 function stats}
        assert_equal [$r2 script kill] OK
        catch {$rd read}
        $rd close
        $r2 close
    }

    test {A function that wrote cannot be killed} {
        set rd [redis_deferring_client]
        $rd fcall spinw 0
        $rd flush
        set r2 [wait_busy]
        assert_error {UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.} {$r2 function kill}
        catch {$r2 shutdown nosave}
        wait_server_exit
        $rd close
    }
}

start_server {tags {scripting external:skip}} {
    test {INFO memory counts libraries, functions and the engine's memory} {
        r function flush
        set info [r info memory]
        assert_match "*\r\nnumber_of_functions:0\r\nnumber_of_libraries:0\r\n*" $info
        r function load "#!lua name=i1\nredis.register_function('i1a', function() return 1 end)\nredis.register_function('i1b', function() return 1 end)"
        r function load [lib_code i2 i2a]
        set info [r info memory]
        assert_match "*\r\nnumber_of_functions:3\r\nnumber_of_libraries:2\r\n*" $info
        assert {[getInfoProperty $info used_memory_vm_functions] > 10000}
        assert {[getInfoProperty $info used_memory_functions] > 200}
        assert_equal [getInfoProperty $info used_memory_vm_total] \
            [expr {[getInfoProperty $info used_memory_vm_eval] + [getInfoProperty $info used_memory_vm_functions]}]
    }

    test {DEBUG RELOAD keeps the libraries, and drops those the file does not have} {
        r debug reload
        assert_equal [r fcall i2a 0] 1
        assert_equal [lsort [lmap l [r function list] {dict get $l library_name}]] {i1 i2}
        r save
        r function load [lib_code i3 i3a]
        r debug reload nosave
        assert_error {ERR Function not found} {r fcall i3a 0}
        assert_equal [r fcall i1b 0] 1
    }

    test {Libraries survive a restart through the RDB} {
        r save
        restart_server
        assert_equal [r fcall i1a 0] 1
        assert_equal [lsort [lmap l [r function list] {dict get $l library_name}]] {i1 i2}
    }

    test {FUNCTION LOAD, DELETE, FLUSH and RESTORE propagate as themselves, FCALL as its effects} {
        r function flush
        r select 9
        r debug propagation off
        r debug propagation on
        set code "#!lua name=p\nredis.register_function('pw', function(keys, args) redis.call('set', keys\[1\], '1') redis.call('incr', keys\[1\]) end)"
        r function load $code
        r fcall pw 1 pk
        set dump [r function dump]
        r function delete p
        r function restore $dump
        r function flush async
        assert_error {*already exists*} {r function restore $dump; r function restore $dump}
        set stream [r debug propagation get]
        r debug propagation off
        assert_equal $stream [list {SELECT 9} [list function load $code] MULTI {set pk 1} {incr pk} EXEC \
            {function delete p} [list function restore $dump] {function flush async} [list function restore $dump]]
    }
}

tags {scripting external:skip} {
    start_server {overrides {appendonly yes aof-use-rdb-preamble no}} {
        test {The AOF rewrite writes one FUNCTION LOAD per library, and they load back} {
            set code [lib_code aofl aoff 9]
            r function load $code
            r set k v
            r bgrewriteaof
            wait_for_condition 100 50 {
                [string match "*\r\naof_rewrite_in_progress:0\r\n*" [r info persistence]] &&
                [string match "*\r\naof_rewrite_scheduled:0\r\n*" [r info persistence]]
            } else {
                fail "the rewrite did not end"
            }
            set base [lindex [glob -directory [aof_dir] *.base.aof] 0]
            set cmds [aof_commands [aof_read $base]]
            assert_equal [lindex $cmds 0] [list FUNCTION LOAD $code]
            restart_server
            assert_equal [r fcall aoff 0] 9
        }
    }
}

# Interop with the real Redis 7.0.15 (skipped when it is absent): the DUMP
# payload and the RDB record go both ways, byte for byte.
if {[oracle_available]} {
    start_server {tags {scripting interop external:skip}} {
        set dir [file normalize [file join $::opt(tmpdir) "fn-oracle.[pid].[incr ::oracle_dirs]"]]
        file mkdir $dir
        set ox [oracle_start $dir --appendonly no --enable-debug-command yes]
        set o [oracle_client $ox]
        set code1 [lib_code ember_lib ember_fn "'from ember'"]
        set code2 [lib_code redis_lib redis_fn "'from redis'"]

        test {A FUNCTION DUMP of Ember restores in Redis 7.0, and the reverse} {
            r function flush
            $o function flush
            r function load $code1
            $o function load $code1
            assert_equal [r function dump] [$o function dump]
            $o function flush
            assert_equal [$o function restore [r function dump]] OK
            assert_equal [$o fcall ember_fn 0] {from ember}
            $o function flush
            $o function load $code2
            r function flush
            assert_equal [r function restore [$o function dump]] OK
            assert_equal [r fcall redis_fn 0] {from redis}
        }

        test {Redis 7.0 loads Ember's RDB with a library, Ember loads Redis's} {
            r function flush
            r function load $code1
            r set k v
            r save
            $o function flush
            file copy -force [file join [srv dir] dump.rdb] [file join $dir dump.rdb]
            $o debug reload nosave
            assert_equal [$o fcall ember_fn 0] {from ember}
            assert_equal [$o get k] v
            $o function flush
            $o function load $code2
            $o save
            file copy -force [file join $dir dump.rdb] [file join [srv dir] dump.rdb]
            r debug reload nosave
            assert_equal [r fcall redis_fn 0] {from redis}
            assert_equal [r get k] v
            assert_error {ERR Function not found} {r fcall ember_fn 0}
        }

        oracle_stop $ox
    }
}

start_server {tags {scripting external:skip}} {
    test {An RDB with the 7.0-rc function opcode (246) is refused, naming it} {
        set f [open [file join [srv dir] dump.rdb] wb]
        puts -nonewline $f "REDIS0010\xf6\x01\x61\xff\x00\x00\x00\x00\x00\x00\x00\x00"
        close $f
        assert_error {*Error trying to load the RDB dump*} {r debug reload nosave}
        wait_for_log_lines {*pre-release function format (Redis 7.0 release candidates) is not supported*}
    }
}
