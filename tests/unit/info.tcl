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

# The field names Redis 7.0.15 prints in each fixed section of
# `INFO everything`, in its order, copied from the oracle. Ember adds two
# fields of its own: ember_version right after redis_version, and
# bigkey_commands (bigkey-log-threshold) at the end of Stats.
set ::info_fields_7_0 {
    Server {redis_version redis_git_sha1 redis_git_dirty redis_build_id redis_mode os arch_bits
        monotonic_clock multiplexing_api atomicvar_api gcc_version process_id process_supervised run_id
        tcp_port server_time_usec uptime_in_seconds uptime_in_days hz configured_hz lru_clock executable
        config_file io_threads_active}
    Clients {connected_clients cluster_connections maxclients client_recent_max_input_buffer
        client_recent_max_output_buffer blocked_clients tracking_clients clients_in_timeout_table}
    Memory {used_memory used_memory_human used_memory_rss used_memory_rss_human used_memory_peak
        used_memory_peak_human used_memory_peak_perc used_memory_overhead used_memory_startup
        used_memory_dataset used_memory_dataset_perc allocator_allocated allocator_active
        allocator_resident total_system_memory total_system_memory_human used_memory_lua
        used_memory_vm_eval used_memory_lua_human used_memory_scripts_eval number_of_cached_scripts
        number_of_functions number_of_libraries used_memory_vm_functions used_memory_vm_total
        used_memory_vm_total_human used_memory_functions used_memory_scripts used_memory_scripts_human
        maxmemory maxmemory_human maxmemory_policy allocator_frag_ratio allocator_frag_bytes
        allocator_rss_ratio allocator_rss_bytes rss_overhead_ratio rss_overhead_bytes
        mem_fragmentation_ratio mem_fragmentation_bytes mem_not_counted_for_evict mem_replication_backlog
        mem_total_replication_buffers mem_clients_slaves mem_clients_normal mem_cluster_links
        mem_aof_buffer mem_allocator active_defrag_running lazyfree_pending_objects lazyfreed_objects}
    Persistence {loading async_loading current_cow_peak current_cow_size current_cow_size_age
        current_fork_perc current_save_keys_processed current_save_keys_total rdb_changes_since_last_save
        rdb_bgsave_in_progress rdb_last_save_time rdb_last_bgsave_status rdb_last_bgsave_time_sec
        rdb_current_bgsave_time_sec rdb_saves rdb_last_cow_size rdb_last_load_keys_expired
        rdb_last_load_keys_loaded aof_enabled aof_rewrite_in_progress aof_rewrite_scheduled
        aof_last_rewrite_time_sec aof_current_rewrite_time_sec aof_last_bgrewrite_status aof_rewrites
        aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size module_fork_in_progress
        module_fork_last_cow_size}
    Stats {total_connections_received total_commands_processed instantaneous_ops_per_sec
        total_net_input_bytes total_net_output_bytes total_net_repl_input_bytes total_net_repl_output_bytes
        instantaneous_input_kbps instantaneous_output_kbps instantaneous_input_repl_kbps
        instantaneous_output_repl_kbps rejected_connections sync_full sync_partial_ok sync_partial_err
        expired_keys expired_stale_perc expired_time_cap_reached_count expire_cycle_cpu_milliseconds
        evicted_keys evicted_clients total_eviction_exceeded_time current_eviction_exceeded_time
        keyspace_hits keyspace_misses pubsub_channels pubsub_patterns pubsubshard_channels latest_fork_usec
        total_forks migrate_cached_sockets slave_expires_tracked_keys active_defrag_hits
        active_defrag_misses active_defrag_key_hits active_defrag_key_misses total_active_defrag_time
        current_active_defrag_time tracking_total_keys tracking_total_items tracking_total_prefixes
        unexpected_error_replies total_error_replies dump_payload_sanitizations total_reads_processed
        total_writes_processed io_threaded_reads_processed io_threaded_writes_processed
        reply_buffer_shrinks reply_buffer_expands}
    Replication {role connected_slaves master_failover_state master_replid master_replid2
        master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size
        repl_backlog_first_byte_offset repl_backlog_histlen}
    CPU {used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children
        used_cpu_sys_main_thread used_cpu_user_main_thread}
    Modules {}
    Cluster {cluster_enabled}
}

# Section title -> list of field names, in printed order, of an INFO text.
proc info_field_names {text} {
    set names [dict create]
    set sec ""
    foreach line [split $text "\n"] {
        set line [string trimright $line "\r"]
        if {[string match "# *" $line]} {
            set sec [string range $line 2 end]
            dict set names $sec {}
        } elseif {$line ne "" && $sec ne ""} {
            dict lappend names $sec [lindex [split $line :] 0]
        }
    }
    return $names
}

start_server {tags {info}} {
    test {INFO everything prints the sections of Redis 7.0 in its order} {
        assert_equal [info_sections [r info everything]] \
            {Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace}
        assert_equal [info_sections [r info all]] [info_sections [r info everything]]
        assert_equal [info_sections [r info default commandstats]] \
            {Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Cluster Keyspace}
        assert_equal [info_sections [r info everything server]] [info_sections [r info everything]]
        assert_equal [info_sections [r info keyspace server]] {Server Keyspace}
        assert_equal [info_sections [r info server server]] {Server}
    }

    test {INFO everything prints the field names of Redis 7.0.15 in its order} {
        set got [info_field_names [r info everything]]
        dict for {sec fields} $::info_fields_7_0 {
            set have [dict get $got $sec]
            if {$sec eq "Server"} { set have [lsearch -all -inline -not -exact $have ember_version] }
            if {$sec eq "Stats"} { set have [lsearch -all -inline -not -exact $have bigkey_commands] }
            assert_equal $have [list {*}$fields] "(section $sec)"
        }
        assert_equal [lindex [dict get $got Server] 1] ember_version
        assert_equal [lindex [dict get $got Stats] end] bigkey_commands
    }

    test {INFO modules is an empty section without modules} {
        assert_equal [r info modules] "# Modules\r\n"
    }

    test {INFO of an unknown section is empty} {
        assert_equal [r info nosuchsection] {}
        assert_equal [r info nosuchsection cluster] "# Cluster\r\ncluster_enabled:0\r\n"
    }
}
