# Server start-up and shutdown: SHUTDOWN, SIGTERM, daemonize with pidfile,
# and systemd readiness notification.

proc read_text {path} {
    set f [open $path r]
    set text [read $f]
    close $f
    return $text
}

# A scratch directory of this test file, for paths needed before the server
# (and its own directory) exists.
set ::lifecycle_tmp [file normalize [file join $::opt(tmpdir) lifecycle.[pid]]]
file mkdir $::lifecycle_tmp

start_server {tags {lifecycle external:skip}} {
    test {SHUTDOWN NOSAVE stops the server with exit status 0} {
        set pid [srv pid]
        # The server closes the connection instead of replying.
        catch {r shutdown nosave}
        assert_equal [wait_server_exit] 0
        assert_equal [process_is_alive $pid] 0
        verify_log_message {*User requested shutdown...*}
        verify_log_message {*is now ready to exit, bye bye...*}
    }
}

start_server {tags {lifecycle external:skip}} {
    test {SHUTDOWN with a bad argument is an error and the server goes on} {
        assert_error {ERR syntax error} {r shutdown foo}
        assert_equal [r ping] PONG
    }

    test {SIGTERM makes a graceful exit with status 0} {
        r set k v
        exec kill -TERM [srv pid]
        assert_equal [wait_server_exit] 0
        verify_log_message {*Received SIGTERM scheduling shutdown...*}
        verify_log_message {*is now ready to exit, bye bye...*}
    }
}

start_server [list tags {lifecycle external:skip} overrides [list daemonize yes \
        pidfile $::lifecycle_tmp/daemon.pid logfile $::lifecycle_tmp/daemon.log]] {
    test {daemonize yes: the server runs in the background and writes its pidfile} {
        set pidfile $::lifecycle_tmp/daemon.pid
        assert_equal [file exists $pidfile] 1
        set pid [string trim [read_text $pidfile]]
        assert_equal $pid [srv pid]
        assert_equal [process_is_alive $pid] 1
        assert_equal [r ping] PONG
        assert_equal [getInfoProperty [r info server] process_id] $pid
        assert_equal [srv stdout] $::lifecycle_tmp/daemon.log
        verify_log_message {*Ready to accept connections*}
    }

    test {daemonize yes: the pidfile is removed at shutdown} {
        set pidfile $::lifecycle_tmp/daemon.pid
        set pid [srv pid]
        catch {r shutdown nosave}
        assert_equal [wait_for_process_exit $pid 10000] 1
        assert_equal [file exists $pidfile] 0
        verify_log_message {*Removing the pid file.*}
    }
}

set ::dgram_seen {}
set ::notify_path $::lifecycle_tmp/notify.sock
file delete $::notify_path
set ::notify_chan ""
if {[catch {set ::notify_chan [start_dgram_listener $::notify_path]} err]} {
    puts "lifecycle: no notify listener ($err)"
}

if {$::notify_chan ne ""} {
    start_server [list tags {lifecycle external:skip} overrides {supervised systemd} \
            env [list NOTIFY_SOCKET $::notify_path]] {
        test {supervised systemd: READY=1 is sent when ready} {
            assert_equal [wait_dgram $::notify_chan READY=1] 1 "(got: $::dgram_seen)"
            verify_log_message {*Running under systemd supervision*}
            assert_equal [getInfoProperty [r info server] process_supervised] systemd
        }

        test {supervised systemd: STOPPING=1 is sent at shutdown} {
            catch {r shutdown nosave}
            assert_equal [wait_server_exit] 0
            assert_equal [wait_dgram $::notify_chan STOPPING=1] 1 "(got: $::dgram_seen)"
        }
    }
    start_server [list tags {lifecycle loading external:skip} \
            overrides {supervised systemd key-load-delay 100 loading-process-events-interval-bytes 1024} \
            env [list NOTIFY_SOCKET $::notify_path WATCHDOG_USEC 200000]] {
        test {supervised systemd: WATCHDOG=1 is sent when systemd sets WATCHDOG_USEC} {
            assert_equal [wait_dgram $::notify_chan WATCHDOG=1] 1 "(got: $::dgram_seen)"
        }

        test {supervised systemd: a long load reports progress and extends the start timeout} {
            r debug populate 20000 key 10
            r save
            restart_server 0 listening
            set ::dgram_seen {}
            assert_equal [wait_dgram_match $::notify_chan {STATUS=Loading the data set: *% (* keys)}] 1 \
                "(got: $::dgram_seen)"
            assert_equal [wait_dgram $::notify_chan EXTEND_TIMEOUT_USEC=30000000] 1 "(got: $::dgram_seen)"
            assert_equal [wait_dgram_match $::notify_chan WATCHDOG=1] 1 "(got: $::dgram_seen)"
            assert {[lsearch $::dgram_seen READY=1] < 0}
            r config set key-load-delay 0
            assert_equal [wait_dgram $::notify_chan READY=1] 1 "(got: $::dgram_seen)"
            assert_equal [r dbsize] 20000
        }
    }
    catch {exec kill [pid $::notify_chan]}
    catch {close $::notify_chan}
}

if {!$::opt(dont_clean)} {
    file delete -force $::lifecycle_tmp
}
