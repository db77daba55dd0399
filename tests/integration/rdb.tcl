# RDB snapshots: SAVE, loading at start-up, DEBUG RELOAD, the log lines and
# INFO fields around them, SHUTDOWN saving, and corrupt files refused. The
# log texts and replies are Redis 7.0.15's.

source tests/support/rdbfill.tcl

start_server {tags {rdb external:skip}} {
    test {Every type and encoding survives DEBUG RELOAD, same digest and encodings} {
        rdb_fill_all_types [srv client]
        r select 3
        r set db3key in-db-3
        r select 0
        set before [rdb_dump_db [srv client]]
        set enc [rdb_encodings [srv client]]
        set digest [r debug digest]
        assert_equal [r debug reload] OK
        assert_equal [r debug digest] $digest
        assert_equal [rdb_dump_db [srv client]] $before
        assert_equal [rdb_encodings [srv client]] $enc
        r select 3
        assert_equal [r get db3key] in-db-3
        r select 0
    }

    test {Encodings after a reload follow the thresholds in force} {
        r config set hash-max-listpack-entries 2
        r config set zset-max-listpack-entries 2
        r config set set-max-intset-entries 2
        r debug reload
        assert_equal [r object encoding hash:small] hashtable
        assert_equal [r object encoding zset:small] skiplist
        assert_equal [r object encoding set:int] hashtable
        assert_equal [r hget hash:small c] [string repeat y 30]
        assert_equal [r zscore zset:small a] 1.5
        r config set hash-max-listpack-entries 512
        r config set zset-max-listpack-entries 128
        r config set set-max-intset-entries 512
    }

    test {DEBUG DIGEST-VALUE does not depend on the encoding} {
        r del h1 h2
        r hset h1 a 1 b 2
        r hset h2 b 2 a 1
        r config set hash-max-listpack-entries 0
        r hset h3 a 1 b 2
        r config set hash-max-listpack-entries 512
        assert_equal [r object encoding h3] hashtable
        set d [r debug digest-value h1 h2 h3 nosuchkey]
        assert_equal [lindex $d 0] [lindex $d 1]
        assert_equal [lindex $d 0] [lindex $d 2]
        assert_equal [lindex $d 3] [string repeat 0 40]
        r del h1 h2 h3
    }

    test {DEBUG DIGEST of an empty dataset is forty zeros} {
        r flushall
        assert_equal [r debug digest] [string repeat 0 40]
    }

    test {SAVE resets rdb_changes_since_last_save and moves LASTSAVE} {
        r set a b
        r incr n
        assert {[s rdb_changes_since_last_save] >= 2}
        set before [s rdb_saves]
        after 1100
        set t0 [r lastsave]
        assert_equal [r save] OK
        assert_equal [s rdb_changes_since_last_save] 0
        assert {[r lastsave] > $t0}
        assert_equal [s rdb_last_save_time] [r lastsave]
        assert_equal [s rdb_saves] [expr {$before + 1}]
        assert_equal [s rdb_last_bgsave_status] ok
        assert_equal [s loading] 0
        # As in Redis 7.0, the loading_* progress lines appear only while loading.
        assert_equal [s loading_loaded_perc] {}
    }

    test {The file holds the header, aux fields and checksum Redis 7.0 writes} {
        set f [open [file join [srv dir] dump.rdb] rb]
        set data [read $f]
        close $f
        assert_equal [string range $data 0 8] REDIS0010
        assert_match "*redis-ver\x067.0.15*" $data
        assert_match "*redis-bits*ctime*used-mem*aof-base*" $data
        assert_equal [string index $data end-8] "\xff"
    }

    test {DEBUG RELOAD MERGE keeps keys only in memory, NOSAVE reloads the file as it is} {
        r flushall
        r set k1 v1
        r save
        r set k2 v2
        r set k1 changed
        assert_equal [r debug reload nosave noflush merge] OK
        assert_equal [r get k1] v1
        assert_equal [r get k2] v2
        assert_error {*Error trying to load the RDB dump*} {r debug reload nosave noflush}
        assert_equal [r debug reload nosave] OK
        assert_equal [r get k2] {}
        assert_error {*only supports the MERGE, NOFLUSH and NOSAVE*} {r debug reload bogus}
    }

    test {A restart loads dump.rdb and says what it loaded, from where, in how long} {
        r flushall
        rdb_fill_all_types [srv client]
        r set gone soon px 300
        set before [rdb_dump_db [srv client]]
        r save
        after 400
        restart_server
        wait_for_log_lines {*Loading RDB produced by version 7.0.15*}
        wait_for_log_lines {*DB loaded from disk: * seconds*}
        wait_for_log_lines {*Done loading RDB, keys loaded: 19, keys expired: 1.*}
        assert_equal [rdb_dump_db [srv client]] [lsearch -all -inline -not -index 0 $before gone]
        assert_equal [s rdb_last_load_keys_loaded] 19
        assert_equal [s rdb_last_load_keys_expired] 1
    }

    test {rdbcompression no writes strings as they are, and they load the same} {
        r flushall
        r set s [string repeat abc 100]
        r config set rdbcompression no
        r save
        set plain [file size [file join [srv dir] dump.rdb]]
        r config set rdbcompression yes
        r save
        set packed [file size [file join [srv dir] dump.rdb]]
        assert {$plain > $packed + 250}
        r debug reload
        assert_equal [r get s] [string repeat abc 100]
    }
}

start_server {tags {rdb external:skip} overrides {rdbchecksum no}} {
    test {rdbchecksum no writes a zero trailer, which loads} {
        r set a 1
        r save
        set f [open [file join [srv dir] dump.rdb] rb]
        set data [read $f]
        close $f
        assert_equal [string range $data end-7 end] [string repeat "\x00" 8]
        r debug reload
        assert_equal [r get a] 1
    }
}

# A server directory holding a dump.rdb with the given bytes; returns it.
proc rdb_dir_with {name bytes} {
    set dir [file join $::opt(tmpdir) "$name.[pid].[incr ::rdb_dirs]"]
    file mkdir $dir
    set f [open [file join $dir dump.rdb] wb]
    puts -nonewline $f $bytes
    close $f
    return $dir
}

tags {rdb external:skip} {
    start_server {} {
        r set a 1
        r rpush l x y z
        r save
        set f [open [file join [srv dir] dump.rdb] rb]
        set ::good_rdb [read $f]
        close $f
    }

    test {A corrupt checksum stops the start-up with exit status 1} {
        set bad [string replace $::good_rdb end end [format %c [expr {([scan [string index $::good_rdb end] %c] + 1) % 256}]]]
        set dir [rdb_dir_with badcrc $bad]
        set res [run_server_to_exit --port [::srv::find_port] --dir $dir]
        assert_equal [dict get $res status] 1
        assert_match {*Wrong RDB checksum expected*} [dict get $res stdout]
        assert_match {*Fatal error loading the DB from dump.rdb*Exiting.*} [dict get $res stdout]
    }

    test {A truncated file is refused with the offset reached} {
        set dir [rdb_dir_with short [string range $::good_rdb 0 end-20]]
        set res [run_server_to_exit --port [::srv::find_port] --dir $dir]
        assert_equal [dict get $res status] 1
        assert_match {*Bad RDB data at offset *} [dict get $res stdout]
    }

    test {A file that is not an RDB file is refused} {
        set dir [rdb_dir_with notrdb "hello world, not a snapshot"]
        set res [run_server_to_exit --port [::srv::find_port] --dir $dir]
        assert_equal [dict get $res status] 1
        assert_match {*Wrong signature trying to load DB from file*} [dict get $res stdout]
    }

    test {A version newer than 12 is refused} {
        set dir [rdb_dir_with v99 "REDIS0099\xff"]
        set res [run_server_to_exit --port [::srv::find_port] --dir $dir]
        assert_equal [dict get $res status] 1
        assert_match {*Can't handle RDB format version 99*} [dict get $res stdout]
    }

    test {A corrupt listpack inside a value names the key} {
        # A hash listpack record whose listpack bytes are damaged.
        set body "REDIS0010\xfe\x00\x10\x03key\x0d\x0d\x00\x00\x00\x02\x00\x81a\x02\x81b\x02\x00"
        set dir [rdb_dir_with badlp "$body\xff[string repeat \x00 8]"]
        set res [run_server_to_exit --port [::srv::find_port] --dir $dir]
        assert_equal [dict get $res status] 1
        assert_match {*key 'key': invalid listpack*} [dict get $res stdout]
    }
}

start_server {tags {rdb external:skip} overrides {save {900 1} enable-protected-configs yes}} {
    test {SHUTDOWN with save points saves the dataset first} {
        r set persisted yes
        catch {r shutdown}
        wait_server_exit
        assert_match {*Saving the final RDB snapshot before exiting.*} [::srv::read_file [srv stdout]]
        assert {[file exists [file join [srv dir] dump.rdb]]}
        restart_server
        assert_equal [r get persisted] yes
    }

    test {SHUTDOWN NOSAVE skips the save} {
        r set later no
        catch {r shutdown nosave}
        wait_server_exit
        restart_server
        assert_equal [r get later] {}
    }

    test {A failed final save aborts SHUTDOWN unless FORCE} {
        set gone [file normalize [file join $::opt(tmpdir) "vanished.[pid]"]]
        file mkdir $gone
        r config set dir $gone
        file delete -force $gone
        assert_error {*Errors trying to SHUTDOWN. Check logs.*} {r shutdown}
        wait_for_log_lines {*Error trying to save the DB, can't exit.*}
        assert_equal [r ping] PONG
        catch {r shutdown force}
        wait_server_exit
        assert_match {*Error trying to save the DB. Exit anyway.*} [::srv::read_file [srv stdout]]
    }
}

start_server {tags {rdb external:skip} overrides {save {900 1}}} {
    test {SIGTERM with save points saves before exiting} {
        r set viasigterm 1
        exec kill -TERM [srv pid]
        wait_server_exit
        restart_server
        assert_equal [r get viasigterm] 1
    }
}

start_server {tags {rdb external:skip}} {
    set tool [file join [file dirname $::opt(server_binary)] redis-check-rdb]
    test {redis-check-rdb (the server binary under that name) accepts a sound file, refuses a cut one} {
        if {![file exists $tool]} { return }
        rdb_fill_all_types [srv client]
        r save
        set path [file join [srv dir] dump.rdb]
        set out [exec $tool $path]
        assert_match {*19 keys read*RDB looks OK!*} $out
        set f [open $path rb]
        set data [read $f]
        close $f
        set cut [file join [srv dir] cut.rdb]
        set f [open $cut wb]
        puts -nonewline $f [string range $data 0 end-100]
        close $f
        assert_equal [catch {exec $tool $cut} msg] 1
        assert_match {*not valid*} $msg
    }
}
