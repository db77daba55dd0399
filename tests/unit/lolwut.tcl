# LOLWUT: Ember's own pieces, each ending with Redis's version line. The
# replies are bytes; the maze is UTF-8 text.

start_server {tags {lolwut}} {
    test {LOLWUT without a piece is the version line alone, as Redis 7.0} {
        assert_equal [r lolwut] "Redis ver. 7.0.15\n"
        assert_equal [r lolwut version 7] "Redis ver. 7.0.15\n"
        assert_equal [r lolwut version -1] "Redis ver. 7.0.15\n"
        assert_equal [r lolwut foo bar] "Redis ver. 7.0.15\n"
        assert_equal [r lolwut version] "Redis ver. 7.0.15\n"
    }

    test {LOLWUT is verbatim text in RESP3} {
        set c [redis_client -protocol 3]
        $c readraw 1
        assert_equal [$c lolwut] {=22}
        assert_equal [$c read] {txt:Redis ver. 7.0.15}
        $c close
    }

    test {LOLWUT VERSION 5 draws a maze of the asked size} {
        set out [encoding convertfrom utf-8 [r lolwut version 5 40 8]]
        set lines [split [string trimright $out "\n"] "\n"]
        assert_equal [llength $lines] 10
        foreach line [lrange $lines 0 7] {
            assert_equal [string length $line] 40
            assert_match {*[╱╲]*} $line
            assert_equal [string map {╱ {} ╲ {}} $line] {}
        }
        assert_equal [lindex $lines 8] {}
        assert_match {*. Redis ver. 7.0.15} [lindex $lines end]
    }

    test {LOLWUT pieces are deterministic and follow their arguments} {
        assert_equal [r lolwut version 5 30 5 7] [r lolwut version 5 30 5 7]
        assert_not_equal [r lolwut version 5 30 5 7] [r lolwut version 5 30 5 8]
        assert_equal [r lolwut version 6 50 10] [r lolwut version 6 50 10]
        assert_not_equal [r lolwut version 6 50 10] [r lolwut version 6 51 10]
    }

    test {LOLWUT VERSION 6 draws embers of the asked size} {
        set lines [split [string trimright [r lolwut version 6 50 12] "\n"] "\n"]
        assert_equal [llength $lines] 14
        foreach line [lrange $lines 0 11] { assert_equal [string length $line] 50 }
        assert_match {*@*} [join $lines]
        assert_equal [lindex $lines end] {Embers in the dark. Redis ver. 7.0.15}
    }

    test {LOLWUT clamps sizes} {
        set lines [split [string trimright [encoding convertfrom utf-8 [r lolwut version 5 0 0]] "\n"] "\n"]
        assert_equal [llength $lines] 3
        assert_equal [string length [lindex $lines 0]] 1
        set lines [split [string trimright [r lolwut version 6 5000 5000] "\n"] "\n"]
        assert_equal [llength $lines] 202
        assert_equal [string length [lindex $lines 0]] 1000
    }

    test {LOLWUT argument errors} {
        assert_error {ERR value is not an integer or out of range} {r lolwut version x}
        assert_error {ERR value is not an integer or out of range} {r lolwut version 5 x}
        assert_error {ERR value is not an integer or out of range} {r lolwut version 6 10 x}
    }
}
