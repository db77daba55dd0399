# oom-score-adj and oom-score-adj-values write the server's
# /proc/<pid>/oom_score_adj as redis-server 7.0.15 does: "absolute" sets the
# master value, "relative" (or "yes") adds it to the value the process had
# before, "no" puts that value back. Raising the score needs no privilege;
# going below the starting value needs CAP_SYS_RESOURCE, so those steps run
# only where the test process is allowed to do it.

proc oom_score {pid} {
    set f [open /proc/$pid/oom_score_adj r]
    set v [string trim [read $f]]
    close $f
    return $v
}

# 1 when a child of this process may take the lowest score, -1000.
proc can_lower_oom_score {} {
    return [expr {![catch {exec sh -c {echo -1000 > /proc/self/oom_score_adj}}]}]
}

if {[file exists /proc/self/oom_score_adj]} {
    start_server {tags {oom-score-adj external:skip}} {
        set pid [srv pid]
        # A starting value above 0 tells "relative" from "absolute".
        set f [open /proc/$pid/oom_score_adj w]
        puts $f 50
        close $f

        test {oom-score-adj no leaves the score alone} {
            assert_equal [r config get oom-score-adj] {oom-score-adj no}
            r config set oom-score-adj-values "10 200 800"
            assert_equal [oom_score $pid] 50
        }

        test {oom-score-adj relative adds the master value to the starting score} {
            assert_equal [r config set oom-score-adj relative] OK
            assert_equal [oom_score $pid] 60
            assert_equal [r config set oom-score-adj-values "30 200 800"] OK
            assert_equal [oom_score $pid] 80
            # "yes" is "relative", and CONFIG GET shows it as yes.
            assert_equal [r config get oom-score-adj] {oom-score-adj yes}
        }

        test {oom-score-adj absolute sets the master value} {
            assert_equal [r config set oom-score-adj absolute] OK
            assert_equal [oom_score $pid] 30
            assert_equal [r config set oom-score-adj-values "100 200 800"] OK
            assert_equal [oom_score $pid] 100
        }

        test {oom-score-adj no puts the starting score back} {
            assert_equal [r config set oom-score-adj no] OK
            assert_equal [oom_score $pid] 50
            r config set oom-score-adj-values "40 200 800"
            assert_equal [oom_score $pid] 50
        }

        test {The score is clamped to 1000} {
            r config set oom-score-adj yes
            assert_equal [r config set oom-score-adj-values "2000 2000 2000"] OK
            assert_equal [oom_score $pid] 1000
        }

        test {A score the kernel refuses fails CONFIG SET and changes nothing} {
            if {[can_lower_oom_score]} {
                assert_equal [r config set oom-score-adj-values "-2000 200 800"] OK
                assert_equal [oom_score $pid] -1000
                r config set oom-score-adj-values "2000 2000 2000"
            } else {
                assert_error {ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Failed to set current oom_score_adj. Check server logs.} \
                    {r config set oom-score-adj-values "-2000 200 800"}
                assert_equal [r config get oom-score-adj-values] {oom-score-adj-values {2000 2000 2000}}
                assert_equal [oom_score $pid] 1000
                verify_log_message {*Unable to write oom_score_adj: Permission denied*}
            }
            r config set oom-score-adj no
            assert_equal [oom_score $pid] 50
        }
    }

    start_server {tags {oom-score-adj external:skip} overrides {oom-score-adj absolute
            oom-score-adj-values {"300 400 500"}}} {
        test {oom-score-adj in the config file applies at start-up} {
            assert_equal [oom_score [srv pid]] 300
        }
    }
}
