# BGSAVE: the forked child, its INFO fields, save points, and the -MISCONF
# refusal after a failed background save. Replies and log lines are Redis
# 7.0.15's.

proc wait_bgsave_done {} {
    wait_for_condition 200 50 {[s rdb_bgsave_in_progress] == 0} else {
        fail "the background save did not finish"
    }
}

start_server {tags {rdb bgsave external:skip} overrides {enable-protected-configs yes}} {
    test {BGSAVE writes the snapshot in a child, and a restart loads it} {
        r set a 1
        r rpush l x y
        set before [s rdb_saves]
        assert_equal [r bgsave] {Background saving started}
        wait_bgsave_done
        wait_for_log_lines {*Background saving terminated with success*}
        assert_equal [s rdb_last_bgsave_status] ok
        assert_equal [s rdb_saves] [expr {$before + 1}]
        assert_equal [s rdb_changes_since_last_save] 0
        assert {[s rdb_last_bgsave_time_sec] >= 0}
        assert_equal [glob -nocomplain -directory [srv dir] temp-*.rdb] {}
        restart_server
        assert_equal [r get a] 1
        assert_equal [r lrange l 0 -1] {x y}
    }

    test {A second BGSAVE or SAVE while one runs is refused} {
        for {set i 0} {$i < 20} {incr i} { r set k$i $i }
        r config set rdb-key-save-delay 100000
        assert_equal [r bgsave] {Background saving started}
        assert_equal [s rdb_bgsave_in_progress] 1
        assert {[s rdb_current_bgsave_time_sec] >= 0}
        assert_error {ERR Background save already in progress} {r bgsave}
        assert_error {ERR Background save already in progress} {r save}
        assert_error {ERR syntax error} {r bgsave bogus}
        r config set rdb-key-save-delay 0
        wait_bgsave_done
    }

    # The key table grows when 3/4 full: the 6145th key moves it from 8192
    # slots to 16384, and the rest of the rehash is left to the cron, which
    # must wait for the child (moving every entry would copy its pages).
    test {The cron does not rehash the keyspace while a child shares its pages} {
        regexp {db=(\d+)} [r client info] -> db
        r select 3
        r config set rdb-key-save-delay 200
        r multi
        r debug populate 6145 rh
        r bgsave
        r exec
        after 300
        assert_match {*rehashing target*} [r debug htstats 3]
        r config set rdb-key-save-delay 0
        wait_bgsave_done
        wait_for_condition 100 20 {![string match {*rehashing target*} [r debug htstats 3]]} else {
            fail "the rehash did not finish after the save"
        }
        r flushdb
        r select $db
    }

    test {A save point starts a background save} {
        r config set save "1 1"
        r set trigger 1
        wait_for_log_lines {*1 changes in 1 seconds. Saving...*}
        wait_bgsave_done
        wait_for_condition 100 50 {[s rdb_changes_since_last_save] == 0} else { fail "no save" }
        r config set save ""
    }

    test {A failed BGSAVE with save points refuses writes with -MISCONF} {
        set dir [r config get dir]
        set gone [file normalize [file join $::opt(tmpdir) "bgsave-gone.[pid]"]]
        file mkdir $gone
        r config set dir $gone
        file delete -force $gone
        r config set save "3600 1"
        r bgsave
        wait_bgsave_done
        wait_for_log_lines {*Background saving error*}
        assert_equal [s rdb_last_bgsave_status] err
        assert_error {MISCONF Redis is configured to save RDB snapshots*} {r set x 1}
        assert_error {MISCONF *} {r ping}
        assert_equal [r get a] 1
        r config set stop-writes-on-bgsave-error no
        assert_equal [r set x 1] OK
        r config set stop-writes-on-bgsave-error yes
        r config set dir [lindex $dir 1]
        r bgsave
        wait_bgsave_done
        assert_equal [s rdb_last_bgsave_status] ok
        assert_equal [r set x 2] OK
        r config set save ""
    }

    test {-MISCONF inside MULTI: a queued write is refused, and EXEC of writes queued before is refused} {
        set dir [r config get dir]
        set early [redis_client]
        $early multi
        $early set queued 1
        set gone [file normalize [file join $::opt(tmpdir) "bgsave-gone2.[pid]"]]
        file mkdir $gone
        r config set dir $gone
        file delete -force $gone
        r config set save "3600 1"
        r bgsave
        wait_bgsave_done
        wait_for_condition 50 100 {[s rdb_last_bgsave_status] eq "err"} else { fail "the save did not fail" }
        set late [redis_client]
        $late multi
        set queue_err [catch {$late set y 1} e1]
        set late_exec [catch {$late exec} e2]
        set early_exec [catch {$early exec} e3]
        set after_exec [catch {$early exec} e4]
        $early close
        $late close
        r config set dir [lindex $dir 1]
        r bgsave
        wait_bgsave_done
        r config set save ""
        list $queue_err [string match {MISCONF *} $e1] $late_exec $e2 $early_exec \
            [string match {EXECABORT Transaction discarded because of: MISCONF Redis is configured to save*} $e3] \
            $after_exec $e4 [r exists queued]
    } {1 1 1 {EXECABORT Transaction discarded because of previous errors.} 1 1 1 {ERR EXEC without MULTI} 0}

    test {SHUTDOWN kills a running background save and saves in the foreground} {
        r config set save "3600 1"
        r config set rdb-key-save-delay 100000
        r bgsave
        catch {r shutdown}
        wait_server_exit
        set log [::srv::read_file [srv stdout]]
        assert_match {*There is a child saving an .rdb. Killing it!*} $log
        assert_match {*DB saved on disk*} $log
        assert_equal [glob -nocomplain -directory [srv dir] temp-*.rdb] {}
    }
}

start_server {tags {rdb bgsave external:skip}} {
    test {FLUSHALL stops a background save and, with save points, saves the empty dataset} {
        r set a 1
        r config set save "3600 1"
        r config set rdb-key-save-delay 100000
        r bgsave
        wait_for_condition 50 100 {[s rdb_bgsave_in_progress] == 1} else { fail "no background save" }
        r flushall
        r config set rdb-key-save-delay 0
        wait_for_condition 50 100 {[s rdb_bgsave_in_progress] == 0} else { fail "the background save goes on" }
        set in_progress [s rdb_bgsave_in_progress]
        set changes [s rdb_changes_since_last_save]
        r config set save ""
        r set b 2
        r debug reload nosave
        list $in_progress $changes [r dbsize]
    } {0 0 0}

    test {Without save points FLUSHALL counts the keys it removed as changes} {
        r config set save ""
        r save
        r set a 1
        r set b 2
        r flushall
        s rdb_changes_since_last_save
    } {4}
}
