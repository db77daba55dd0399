# INFO sections and fields, command and error statistics.

proc info_sections {text} {
    set sections {}
    foreach line [split $text "\n"] {
        set line [string trimright $line "\r"]
        if {[string match "# *" $line]} { lappend sections [string range $line 2 end] }
    }
    return $sections
}

# The value of field in INFO section (or "" when absent).
proc info_field {section field} {
    return [getInfoProperty [r info $section] $field]
}

start_server {tags {info}} {
    test {INFO has the default sections in order} {
        assert_equal [info_sections [r info]] \
            {Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace}
        assert_equal [info_sections [r info default]] [info_sections [r info]]
    }

    test {INFO all and everything add commandstats and latencystats} {
        set all [info_sections [r info all]]
        foreach s {Server Clients Memory Persistence Stats Replication CPU Commandstats Errorstats Keyspace} {
            assert_contains $all $s
        }
        assert_contains [info_sections [r info everything]] Commandstats
    }

    test {INFO with one or several section names} {
        assert_equal [info_sections [r info server]] {Server}
        assert_equal [info_sections [r info SERVER]] {Server}
        assert_equal [info_sections [r info server clients]] {Server Clients}
        assert_equal [r info no-such-section] {}
    }

    test {INFO lines are CRLF terminated field:value pairs} {
        set text [r info server]
        assert_match "# Server\r\n*\r\n" $text
        foreach line [split [string trimright $text "\r\n"] "\n"] {
            set line [string trimright $line "\r"]
            if {$line eq "" || [string match "#*" $line]} continue
            assert_match {*:*} $line
        }
    }

    tags {external:skip} {
        test {INFO server fields} {
            set info [r info server]
            assert_match "*\r\nredis_version:7.0.15\r\n*" $info
            assert_equal [getInfoProperty $info redis_mode] standalone
            assert_equal [getInfoProperty $info tcp_port] [srv port]
            assert_equal [getInfoProperty $info process_id] [srv pid]
            assert_equal [getInfoProperty $info arch_bits] 64
            assert_equal [getInfoProperty $info config_file] [srv config_file]
            assert_match {[0-9a-f]*} [getInfoProperty $info run_id]
            assert_equal [string length [getInfoProperty $info run_id]] 40
            assert_equal [getInfoProperty $info hz] 10
            assert_range [getInfoProperty $info uptime_in_seconds] 0 100000
        }
    }

    test {INFO clients counts connections} {
        set before [info_field clients connected_clients]
        set c [redis_client]
        $c ping
        assert_equal [info_field clients connected_clients] [expr {$before + 1}]
        $c close
        wait_for_condition 50 20 {
            [info_field clients connected_clients] == $before
        } else {
            fail "connected_clients did not go down"
        }
        assert_equal [info_field clients maxclients] 10000
        assert_equal [info_field clients blocked_clients] 0
    }

    test {INFO memory fields} {
        set info [r info memory]
        foreach f {used_memory used_memory_human used_memory_rss used_memory_peak maxmemory maxmemory_policy mem_fragmentation_ratio} {
            assert_not_equal [getInfoProperty $info $f] "" "($f missing)"
        }
        assert_morethan [getInfoProperty $info used_memory] 0
        assert_equal [getInfoProperty $info maxmemory] 0
        assert_equal [getInfoProperty $info maxmemory_policy] noeviction
    }

    test {INFO persistence, replication and cpu fields} {
        assert_equal [info_field persistence loading] 0
        assert_equal [info_field persistence aof_enabled] 0
        assert_equal [info_field persistence rdb_bgsave_in_progress] 0
        assert_equal [info_field replication role] master
        assert_equal [info_field replication connected_slaves] 0
        assert_match {*.*} [info_field cpu used_cpu_sys]
        assert_match {*.*} [info_field cpu used_cpu_user]
    }

    test {INFO stats counts commands and connections} {
        set before [info_field stats total_commands_processed]
        r ping
        r ping
        # The INFO calls count too.
        assert_equal [info_field stats total_commands_processed] [expr {$before + 3}]
        assert_morethan [info_field stats total_connections_received] 0
    }

    test {INFO keyspace} {
        r flushall
        assert_equal [r info keyspace] "# Keyspace\r\n"
        r set a 1
        r set b 2
        r select 3
        r set c 3
        r set c 3 ex 1000
        r select 0
        set info [r info keyspace]
        assert_equal [getInfoProperty $info db0] {keys=2,expires=0,avg_ttl=0}
        assert_match {keys=1,expires=1,avg_ttl=*} [getInfoProperty $info db3]
        assert_equal [info_sections $info] {Keyspace}
        r flushall
    }

    test {INFO commandstats after some commands} {
        r config resetstat
        r set foo bar
        r get foo
        r get foo
        set info [r info commandstats]
        assert_match {calls=1,usec=*,usec_per_call=*,rejected_calls=0,failed_calls=0} \
            [getInfoProperty $info cmdstat_set]
        assert_match {calls=2,usec=*,usec_per_call=*,rejected_calls=0,failed_calls=0} \
            [getInfoProperty $info cmdstat_get]
        assert_match {calls=1,*} [getInfoProperty $info cmdstat_config|resetstat]
        assert_equal [getInfoProperty $info cmdstat_del] ""
    }

    test {INFO commandstats: rejected and failed calls} {
        needs_commands incr
        r config resetstat
        r set str notanumber
        catch {r get}
        catch {r incr str}
        set info [r info commandstats]
        assert_match {calls=0,*,rejected_calls=1,failed_calls=0} [getInfoProperty $info cmdstat_get]
        assert_match {calls=1,*,rejected_calls=0,failed_calls=1} [getInfoProperty $info cmdstat_incr]
    }

    test {INFO errorstats counts errors by prefix} {
        r config resetstat
        assert_equal [r info errorstats] "# Errorstats\r\n"
        catch {r nosuchcommand}
        assert_equal [getInfoProperty [r info errorstats] errorstat_ERR] {count=1}
        catch {r hello 4}
        catch {r get}
        set info [r info errorstats]
        assert_equal [getInfoProperty $info errorstat_ERR] {count=2}
        assert_equal [getInfoProperty $info errorstat_NOPROTO] {count=1}
        assert_equal [info_field stats total_error_replies] 3
        assert_equal [info_field stats unexpected_error_replies] 0
    }

    test {INFO errorstats counts WRONGTYPE} {
        needs_commands lpush
        r config resetstat
        r set str x
        catch {r lpush str y}
        assert_equal [getInfoProperty [r info errorstats] errorstat_WRONGTYPE] {count=1}
        assert_equal [info_field stats total_error_replies] 1
    }

    test {CONFIG RESETSTAT clears command and error statistics} {
        catch {r nosuchcommand}
        r set foo bar
        r config resetstat
        set info [r info commandstats]
        assert_equal [getInfoProperty $info cmdstat_set] ""
        assert_equal [r info errorstats] "# Errorstats\r\n"
        assert_equal [info_field stats total_error_replies] 0
    }

    test {INFO latencystats prints the percentiles of each command called} {
        r config resetstat
        r set a b
        r debug sleep 0.003
        set info [r info latencystats]
        assert_match {# Latencystats*} $info
        set line [getInfoProperty $info latency_percentiles_usec_set]
        assert_match {p50=*,p99=*,p99.9=*} $line
        assert_match {p50=*.*} $line
        regexp {p50=([0-9.]+)} [getInfoProperty $info latency_percentiles_usec_debug] -> p50
        assert_range $p50 3000 100000
        assert_match {p50=*} [getInfoProperty $info latency_percentiles_usec_config|resetstat]
        assert_equal [getInfoProperty $info latency_percentiles_usec_get] ""
    }

    test {INFO latencystats follows latency-tracking-info-percentiles} {
        r config set latency-tracking-info-percentiles "0 50.5 12.3456789 100"
        r config resetstat
        r set a b
        set line [getInfoProperty [r info latencystats] latency_percentiles_usec_set]
        assert_match {p0=*.*,p50.5=*.*,p12.345679=*.*,p100=*.*} $line
        r config set latency-tracking-info-percentiles ""
        assert_equal [getInfoProperty [r info latencystats] latency_percentiles_usec_set] ""
        assert_match "*latency_percentiles_usec_set:\r\n*" [r info latencystats]
        r config set latency-tracking-info-percentiles "50 99 99.9"
    }

    test {INFO latencystats is empty while latency-tracking is off} {
        r config set latency-tracking no
        assert_equal [r info latencystats] "# Latencystats\r\n"
        r config set latency-tracking yes
        r config resetstat
        assert_equal [r info latencystats] \
            "# Latencystats\r\nlatency_percentiles_usec_config|resetstat:[getInfoProperty [r info latencystats] latency_percentiles_usec_config|resetstat]\r\n"
    }
}
