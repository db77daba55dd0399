# CONFIG REWRITE quoting: a string value is written as one double-quoted
# word, with the bytes that need it escaped (\" \\ \n \r \t, \xHH for any
# other byte that is not printable ASCII), so that loading the file back
# gives the same bytes. The lines expected are those Redis 7.0 writes.

# The lines of the server's config file whose directive is name.
proc config_file_lines {name} {
    set f [open [srv config_file] r]
    fconfigure $f -translation binary
    set text [read $f]
    close $f
    set lines {}
    foreach line [split $text "\n"] {
        if {[lindex [split $line " "] 0] eq $name} { lappend lines $line }
    }
    return $lines
}

# Directives of plain string values that CONFIG SET can change.
set ::rewrite_strings {masterauth masteruser replica-announce-ip ignore-warnings}

# Each value, as set, and as the rewrite writes it.
set ::rewrite_cases [list \
    [list "a b" {"a b"}] \
    [list "a\"b" {"a\"b"}] \
    [list "a'b" {"a'b"}] \
    [list "a\\b" {"a\\b"}] \
    [list "a\nb" {"a\nb"}] \
    [list "a\tb\rc" {"a\tb\rc"}] \
    [list "\xc3\xa9t\xc3\xa9" {"\xc3\xa9t\xc3\xa9"}] \
    [list "\xff\x80" {"\xff\x80"}] \
    [list " lead" {" lead"}] \
    [list "trail " {"trail "}] \
    [list "#hash" {"#hash"}] \
    [list "\\x41" {"\\x41"}] \
    [list "plain" {"plain"}]]

start_server {tags {config external:skip}} {
    foreach case $::rewrite_cases {
        lassign $case value quoted
        test "CONFIG REWRITE quotes [list $quoted] so that it loads back the same" {
            foreach name $::rewrite_strings {
                r config set $name $value
            }
            assert_equal [r config rewrite] OK
            foreach name $::rewrite_strings {
                assert_equal [config_file_lines $name] [list "$name $quoted"]
            }
            restart_server
            set got {}
            foreach name $::rewrite_strings {
                lappend got [r config get $name]
            }
            set want {}
            foreach name $::rewrite_strings {
                lappend want [list $name $value]
            }
            assert_equal $got $want
        }
    }

    test {CONFIG REWRITE of a binary masterauth: a NUL byte is written as \x00} {
        r config set masterauth "a\x00b"
        r config rewrite
        assert_equal [config_file_lines masterauth] [list {masterauth "a\x00b"}]
        restart_server
        r config get masterauth
    } [list masterauth "a\x00b"]

    test {CONFIG REWRITE of empty strings: unset ones lose their line, ignore-warnings keeps ""} {
        foreach name $::rewrite_strings {
            r config set $name ""
        }
        r config rewrite
        assert_equal [config_file_lines masterauth] {}
        assert_equal [config_file_lines masteruser] {}
        assert_equal [config_file_lines replica-announce-ip] {}
        # A directive at its default keeps the line already in the file.
        assert_equal [config_file_lines ignore-warnings] [list {ignore-warnings ""}]
        restart_server
        set got {}
        foreach name $::rewrite_strings {
            lappend got [r config get $name]
        }
        set got
    } {{masterauth {}} {masteruser {}} {replica-announce-ip {}} {ignore-warnings {}}}
}

start_server {tags {config external:skip} overrides {
        enable-protected-configs yes
        syslog-ident {"em ber\x01\"q"}
        dbfilename {'d b.rdb'}}} {
    test {Quoted values read from the config file are written back quoted} {
        assert_equal [r config get syslog-ident] [list syslog-ident "em ber\x01\"q"]
        assert_equal [r config get dbfilename] {dbfilename {d b.rdb}}
        r config rewrite
        assert_equal [config_file_lines syslog-ident] [list {syslog-ident "em ber\x01\"q"}]
        assert_equal [config_file_lines dbfilename] [list {dbfilename "d b.rdb"}]
        restart_server
        list [r config get syslog-ident] [r config get dbfilename]
    } [list [list syslog-ident "em ber\x01\"q"] {dbfilename {d b.rdb}}]

    test {CONFIG REWRITE of a dir with a space and quotes in its name} {
        set dir [file join [srv dir] "we ird\"d'ir"]
        file mkdir $dir
        r config set dir $dir
        r config rewrite
        assert_equal [config_file_lines dir] [list "dir \"[string map {\" \\\"} $dir]\""]
        restart_server
        r config get dir
    } [list dir [file join [srv dir] "we ird\"d'ir"]]
}
