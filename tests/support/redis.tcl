# RESP client for the Ember test suite.
#
# A connection is a handle (a Tcl command) made by `redis host port ?defer?`.
# Calling the handle with a command name and arguments sends that command as a
# RESP multibulk request; unless the handle is deferred, it then reads and
# returns one decoded reply:
#
#     set c [redis 127.0.0.1 6379]
#     $c set foo bar          ;# -> OK
#     $c get foo              ;# -> bar
#     $c get nosuchkey        ;# -> {} (null)
#
# Error replies raise a Tcl error whose message is the error text without the
# leading '-' (for example "ERR unknown command ...").
#
# Methods of a handle that are not Redis commands:
#     read            read and return one reply (used with deferred handles)
#     write BYTES     queue raw bytes for the socket (no framing added)
#     flush           flush queued bytes to the socket
#     readraw 0|1     in raw mode every read returns one protocol line as sent
#                     by the server, without the trailing CRLF ("+OK", "$3", ...)
#     deferred 0|1    switch deferred mode (send without reading)
#     channel         the underlying Tcl channel
#     close           close the connection and destroy the handle
#     reconnect       drop the connection and open a new one to the same address
#     proto           the protocol version last agreed with HELLO (2 or 3)
#
# Reply decoding (both RESP2 and RESP3 types are understood whatever the
# protocol in use):
#     simple string, integer, big number, double   -> their text
#     bulk string, verbatim string                 -> the bytes (verbatim: the
#                                                     3-letter format prefix is removed)
#     null bulk / null array / RESP3 null          -> {}
#     boolean                                      -> 1 or 0
#     array, set, push                             -> Tcl list
#     map                                          -> flat list key value ...
#     attribute                                    -> skipped; the reply it
#                                                     annotates is returned
#     error (simple or blob)                       -> Tcl error at top level;
#                                                     inside an aggregate the
#                                                     error text is the element

namespace eval ::redis {
    variable next_id 0
    variable fd
    variable host
    variable port
    variable defer
    variable raw
    variable proto
    # A read that gets no data for this long fails (0: wait forever), so that
    # a server that never replies fails the test instead of hanging the file.
    variable timeout_ms 60000
}

# Opens a connection and returns its handle.
proc redis {{host 127.0.0.1} {port 6379} {defer 0}} {
    set id [incr ::redis::next_id]
    set fd [socket $host $port]
    fconfigure $fd -translation binary -buffering full -blocking 1
    set ::redis::fd($id) $fd
    set ::redis::host($id) $host
    set ::redis::port($id) $port
    set ::redis::defer($id) $defer
    set ::redis::raw($id) 0
    set ::redis::proto($id) 2
    set handle ::redis::conn$id
    interp alias {} $handle {} ::redis::dispatch $id
    return $handle
}

proc ::redis::dispatch {id method args} {
    variable fd
    if {![info exists fd($id)]} {
        error "redis handle $id is closed"
    }
    set chan $fd($id)
    switch -exact -- $method {
        read {
            return [read_reply $id]
        }
        write {
            puts -nonewline $chan [lindex $args 0]
            return
        }
        flush {
            flush $chan
            return
        }
        readraw {
            set ::redis::raw($id) [lindex $args 0]
            return
        }
        deferred {
            set ::redis::defer($id) [lindex $args 0]
            return
        }
        channel {
            return $chan
        }
        proto {
            return $::redis::proto($id)
        }
        close {
            destroy $id
            return
        }
        reconnect {
            catch {close $chan}
            set chan [socket $::redis::host($id) $::redis::port($id)]
            fconfigure $chan -translation binary -buffering full -blocking 1
            set fd($id) $chan
            set ::redis::proto($id) 2
            return
        }
        default {
            puts -nonewline $chan [encode_command [linsert $args 0 $method]]
            flush $chan
            if {[string tolower $method] eq "hello" && [llength $args] > 0} {
                # Remember the protocol asked for; decoding does not depend on it.
                set v [lindex $args 0]
                if {$v eq "2" || $v eq "3"} { set ::redis::proto($id) $v }
            }
            if {$::redis::defer($id)} {
                return
            }
            return [read_reply $id]
        }
    }
}

# Returns the RESP multibulk encoding of a list of arguments.
proc ::redis::encode_command {argv} {
    set out "*[llength $argv]\r\n"
    foreach a $argv {
        append out "\$[string length $a]\r\n$a\r\n"
    }
    return $out
}

proc ::redis::destroy {id} {
    variable fd
    catch {close $fd($id)}
    foreach v {fd host port defer raw proto} {
        unset -nocomplain ::redis::${v}($id)
    }
    catch {interp alias {} ::redis::conn$id {}}
}

# Waits until chan has input (or EOF), at most timeout_ms.
proc ::redis::wait_readable {chan} {
    variable timeout_ms
    if {$timeout_ms <= 0 || [chan pending input $chan] > 0 || [eof $chan]} {
        return
    }
    set ::redis::ready($chan) 0
    set timer [after $timeout_ms [list set ::redis::ready($chan) timeout]]
    fileevent $chan readable [list set ::redis::ready($chan) 1]
    vwait ::redis::ready($chan)
    fileevent $chan readable {}
    after cancel $timer
    set state $::redis::ready($chan)
    unset ::redis::ready($chan)
    if {$state eq "timeout"} {
        error "timeout: no reply from the server within [expr {$timeout_ms / 1000.0}] s"
    }
}

# Reads one CRLF-terminated line, returned without its terminator.
proc ::redis::read_line {chan} {
    wait_readable $chan
    if {[gets $chan line] < 0} {
        if {[eof $chan]} {
            error "connection closed by server"
        }
        error "error reading from server"
    }
    if {[string index $line end] eq "\r"} {
        set line [string range $line 0 end-1]
    }
    return $line
}

proc ::redis::read_bulk {chan len} {
    set data ""
    if {$len > 0} {
        set data [read $chan $len]
    }
    set crlf [read $chan 2]
    if {[string length $data] != $len || $crlf ne "\r\n"} {
        if {[eof $chan]} {
            error "connection closed by server"
        }
        error "protocol error: bad bulk string terminator"
    }
    return $data
}

proc ::redis::read_reply {id} {
    set chan $::redis::fd($id)
    if {$::redis::raw($id)} {
        return [read_line $chan]
    }
    return [decode $chan 0]
}

# Decodes one reply from chan. At top level (nested == 0) error replies raise
# Tcl errors; nested errors are returned as their text so that the rest of the
# aggregate is still consumed.
proc ::redis::decode {chan nested} {
    while 1 {
        set line [read_line $chan]
        set type [string index $line 0]
        set rest [string range $line 1 end]
        switch -exact -- $type {
            + - : - ( - , {
                return $rest
            }
            - {
                if {$nested} { return $rest }
                return -code error $rest
            }
            _ {
                return {}
            }
            # {
                return [expr {$rest eq "t" ? 1 : 0}]
            }
            $ {
                if {$rest < 0} { return {} }
                return [read_bulk $chan $rest]
            }
            = {
                # Verbatim string: "txt:" / "mkd:" prefix then the text.
                return [string range [read_bulk $chan $rest] 4 end]
            }
            ! {
                set text [read_bulk $chan $rest]
                if {$nested} { return $text }
                return -code error $text
            }
            * - ~ - > {
                if {$rest < 0} { return {} }
                set items {}
                for {set i 0} {$i < $rest} {incr i} {
                    lappend items [decode $chan 1]
                }
                return $items
            }
            % {
                set items {}
                for {set i 0} {$i < 2 * $rest} {incr i} {
                    lappend items [decode $chan 1]
                }
                return $items
            }
            | {
                # Attribute: read and drop it, then the real reply follows.
                for {set i 0} {$i < 2 * $rest} {incr i} {
                    decode $chan 1
                }
                continue
            }
            default {
                error "protocol error: unexpected reply line '$line'"
            }
        }
    }
}
