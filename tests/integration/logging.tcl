# What the server writes to its log for operators and tools: the software
# watchdog's reports and the shape of the lines people grep. Expectations
# were taken from redis-server 7.0.15 doing the same thing.

start_server {tags {logging external:skip}} {
    test {Software watchdog: a command longer than watchdog-period logs a stack trace} {
        assert_equal [r config set watchdog-period 200] OK
        r debug sleep 1
        assert_equal [r config set watchdog-period 0] OK
        wait_for_log_lines {--- WATCHDOG TIMER EXPIRED ---}
        verify_log_message {------ STACK TRACE ------}
        # The frames name the functions, down to the command that ran.
        verify_log_message {*(debugCommand+0x*}
        assert_equal [r ping] PONG
    }

    test {watchdog-period 0 disarms the watchdog} {
        set before [count_log_lines {--- WATCHDOG TIMER EXPIRED ---}]
        r debug sleep 0.5
        assert_equal [r ping] PONG
        assert_equal [count_log_lines {--- WATCHDOG TIMER EXPIRED ---}] $before
    }

    test {A watchdog period under two cron periods is raised to that} {
        r config set watchdog-period 50
        assert_equal [r config get watchdog-period] {watchdog-period 200}
        r config set hz 100
        r config set watchdog-period 50
        assert_equal [r config get watchdog-period] {watchdog-period 50}
        r config set watchdog-period 0
        r config set hz 10
    }

    test {watchdog-period is hidden from CONFIG GET patterns} {
        assert_equal [r config get watchdog*] {}
    }
}

start_server {tags {logging external:skip} args {--watchdog-period 300}} {
    test {watchdog-period from the command line arms the watchdog at start-up} {
        r debug sleep 1
        wait_for_log_lines {--- WATCHDOG TIMER EXPIRED ---}
        assert_equal [r ping] PONG
    }
}
