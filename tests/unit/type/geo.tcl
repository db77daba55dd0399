# GEO: GEOADD GEODIST GEOHASH GEOPOS GEORADIUS GEORADIUSBYMEMBER (and the
# _RO forms) GEOSEARCH GEOSEARCHSTORE.
#
# Every expected reply below was taken from redis-server 7.0.15 given the
# same commands (this file passes against it with --server-binary, but for
# the propagation test: DEBUG PROPAGATION is ours; its stream is Redis's
# AOF). The randomized tests check searches against a model in Tcl: the
# haversine distance between the decoded positions GEOPOS reports.

# Palermo and Catania, as in the Redis documentation, and two points
# placed near the edge of a 400 km box around (15, 37).
proc geo_sicily {} {
    r del Sicily
    r geoadd Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania \
        12.758489 38.788135 edge1 17.241510 38.788135 edge2
}

proc geo_deg_rad {d} { expr {$d * acos(-1) / 180.0} }
proc geo_rad_deg {r} { expr {$r * 180.0 / acos(-1)} }

# Great-circle distance in metres on Redis's sphere.
proc geo_distance {lon1 lat1 lon2 lat2} {
    set la1 [geo_deg_rad $lat1]
    set la2 [geo_deg_rad $lat2]
    set u [expr {sin(($la2 - $la1) / 2)}]
    set v [expr {sin(([geo_deg_rad $lon2] - [geo_deg_rad $lon1]) / 2)}]
    expr {2.0 * 6372797.560856 * asin(sqrt($u * $u + cos($la1) * cos($la2) * $v * $v))}
}

# A random point within spread degrees of (lon, lat), inside the limits.
proc geo_random_point {lon lat spread} {
    set x [expr {$lon + (rand() * 2 - 1) * $spread}]
    set y [expr {$lat + (rand() * 2 - 1) * $spread}]
    if {$x > 180} { set x [expr {$x - 360}] }
    if {$x < -180} { set x [expr {$x + 360}] }
    if {$y > 85.05} { set y 85.05 }
    if {$y < -85.05} { set y -85.05 }
    list [format %.6f $x] [format %.6f $y]
}

# Compares a search result (a sorted list of members) with the model's
# matches and near-misses: every sure match must be found, nothing outside
# the matches and the boundary cases.
proc geo_check_model {got sure maybe what} {
    foreach m $sure {
        if {[lsearch -exact $got $m] < 0} { fail "$what: $m missing (got [llength $got])" }
    }
    foreach m $got {
        if {[lsearch -exact $sure $m] < 0 && [lsearch -exact $maybe $m] < 0} {
            fail "$what: $m returned but out of the shape"
        }
    }
}

start_server {tags {geo}} {
    test {GEOADD adds members with their geohash as the score} {
        r del Sicily
        assert_equal [r geoadd Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania] 2
        assert_equal [r type Sicily] zset
        assert_equal [r zrange Sicily 0 -1 withscores] {Palermo 3479099956230698 Catania 3479447370796909}
        assert_equal [r geoadd Sicily 13.361389 38.115556 Palermo] 0
    }

    test {GEOADD NX, XX and CH} {
        geo_sicily
        assert_equal [r geoadd Sicily xx ch 13.361389 38.115556 Palermo 1 1 new] 0
        assert_equal [r zscore Sicily new] {}
        assert_equal [r geoadd Sicily nx ch 13 38 Palermo 1 1 new] 1
        assert_equal [r zscore Sicily Palermo] 3479099956230698
        assert_equal [r geoadd Sicily ch 13 38 Palermo] 1
        assert_equal [r zscore Sicily Palermo] 3479065152021743
        assert_equal [r geoadd Sicily 13 38 Palermo 2 2 other] 1
        assert_equal [r geoadd nokey xx 1 1 a] 0
        assert_equal [r exists nokey] 0
    }

    test {GEOADD errors} {
        geo_sicily
        r set str x
        assert_error {ERR wrong number of arguments for 'geoadd' command} {r geoadd Sicily 1 2}
        assert_error {ERR wrong number of arguments for 'geoadd' command} {r geoadd Sicily nx ch}
        assert_error {ERR syntax error} {r geoadd Sicily nx xx 1 2 a}
        assert_error {ERR syntax error} {r geoadd Sicily gt 1 2 a}
        assert_error {ERR syntax error} {r geoadd Sicily 1 2 a 3}
        assert_error {ERR invalid longitude,latitude pair 200.000000,2.000000} {r geoadd Sicily 200 2 a}
        assert_error {ERR invalid longitude,latitude pair 1.000000,85.051129} {r geoadd Sicily 1 85.05112879 a}
        assert_error {ERR invalid longitude,latitude pair 1.000000,-90.000000} {r geoadd Sicily 1 -90 a}
        assert_error {ERR value is not a valid float} {r geoadd Sicily x 2 a}
        assert_error {ERR value is not a valid float} {r geoadd Sicily 1 nan a}
        assert_error {WRONGTYPE*} {r geoadd str 1 2 a}
        # The coordinates are checked before the key.
        assert_error {ERR invalid longitude,latitude pair 1.000000,2000.000000} {r geoadd str 1 2000 a}
        # One bad pair adds nothing.
        assert_error {ERR invalid*} {r geoadd Sicily 1 1 ok 181 1 bad}
        assert_equal [r zscore Sicily ok] {}
    }

    test {GEOADD at the limits} {
        r del poles
        r geoadd poles 180 85.05112878 a -180 -85.05112878 b 0 0 c 179.9999 0 d -179.9999 0 e
        assert_equal [r zrange poles 0 -1 withscores] \
            {b 0 e 1125899906843144 c 3377699720527872 d 4128299658422434 a 13510798882111488}
        assert_equal [r geopos poles a b] {{180 85.0511287799999991} {-179.99999731779098511 -85.05112751263942528}}
        assert_equal [r geohash poles a b c] {bp05b5048p0 00bh0hbj200 s0000000000}
    }

    test {GEOPOS gives the centre of each member's cell, nil when absent} {
        geo_sicily
        assert_equal [r geopos Sicily Palermo nope Catania] \
            {{13.36138933897018433 38.11555639549629859} {} {15.08726745843887329 37.50266842333162032}}
        assert_equal [r geopos nokey a b] {{} {}}
        r set str x
        assert_error {WRONGTYPE*} {r geopos str a}
        assert_error {ERR wrong number of arguments for 'geopos' command} {r geopos}
    }

    test {GEOPOS on the wire, RESP2 and RESP3} {
        geo_sicily
        set c [redis_client]
        assert_equal [raw_reply $c {geopos Sicily Palermo nope} 6] \
            {*2 *2 {$20} 13.36138933897018433 {$20} 38.11555639549629859}
        $c read
        $c hello 3
        assert_equal [raw_reply $c {geopos Sicily Palermo nope} 5] \
            {*2 *2 ,13.36138933897018433 ,38.11555639549629859 _}
        assert_equal [raw_reply $c {geopos nokey a} 2] {*1 _}
        $c close
    }

    test {GEOHASH gives 11-character standard geohashes} {
        geo_sicily
        assert_equal [r geohash Sicily Palermo Catania nope edge1 edge2] \
            {sqc8b49rny0 sqdtr74hyu0 {} sqchdm4mq20 squk8m4vk20}
        assert_equal [r geohash Sicily] {}
        assert_equal [r geohash nokey a b] {{} {}}
        r set str x
        assert_error {WRONGTYPE*} {r geohash str a}
    }

    test {GEODIST in every unit} {
        geo_sicily
        assert_equal [r geodist Sicily Palermo Catania] 166274.1516
        assert_equal [r geodist Sicily Palermo Catania m] 166274.1516
        assert_equal [r geodist Sicily Palermo Catania km] 166.2742
        assert_equal [r geodist Sicily Palermo Catania KM] 166.2742
        assert_equal [r geodist Sicily Palermo Catania mi] 103.3182
        assert_equal [r geodist Sicily Palermo Catania ft] 545518.8700
        assert_equal [r geodist Sicily Palermo Palermo] 0.0000
        assert_equal [r geodist Sicily Palermo nope] {}
        assert_equal [r geodist nokey Palermo Catania] {}
    }

    test {GEODIST errors} {
        geo_sicily
        r set str x
        assert_error {ERR unsupported unit provided. please use M, KM, FT, MI} {r geodist Sicily Palermo Catania yd}
        assert_error {ERR unsupported unit provided*} {r geodist nokey a b yd}
        assert_error {ERR syntax error} {r geodist Sicily Palermo Catania km extra}
        assert_error {WRONGTYPE*} {r geodist str a b}
        assert_error {ERR unsupported unit provided*} {r geodist str a b yd}
    }

    test {GEODIST and WITHDIST on the wire are bulk strings, also in RESP3} {
        geo_sicily
        set c [redis_client]
        $c hello 3
        assert_equal [raw_reply $c {geodist Sicily Palermo Catania km} 2] {{$8} 166.2742}
        assert_equal [raw_reply $c {geodist Sicily Palermo nope} 1] {_}
        assert_equal [raw_reply $c {georadius Sicily 15 37 100 km withdist withhash withcoord} 9] \
            [list *1 *4 {$7} Catania {$7} 56.4413 :3479447370796909 *2 ,15.08726745843887329]
        $c read
        $c close
    }

    test {GEORADIUS with every WITH option} {
        geo_sicily
        assert_equal [r georadius Sicily 15 37 200 km withdist withcoord withhash] \
            {{Palermo 190.4424 3479099956230698 {13.36138933897018433 38.11555639549629859}} {Catania 56.4413 3479447370796909 {15.08726745843887329 37.50266842333162032}}}
        assert_equal [r georadius Sicily 15 37 200 km withhash] {{Palermo 3479099956230698} {Catania 3479447370796909}}
        assert_equal [r georadius Sicily 15 37 200 km] {Palermo Catania}
        assert_equal [r georadius Sicily 15 37 200000 m] {Palermo Catania}
        assert_equal [r georadius Sicily 15 37 1 km] {}
        assert_equal [r georadius nokey 15 37 200 km] {}
    }

    test {GEORADIUS ASC, DESC, COUNT and ANY} {
        geo_sicily
        assert_equal [r georadius Sicily 15 37 200 km asc] {Catania Palermo}
        assert_equal [r georadius Sicily 15 37 200 km desc withdist] {{Palermo 190.4424} {Catania 56.4413}}
        # COUNT alone sorts nearest first; with ANY it takes the first found.
        assert_equal [r georadius Sicily 15 37 200 km count 1] {Catania}
        assert_equal [r georadius Sicily 15 37 200 km count 1 any] {Palermo}
        assert_equal [r georadius Sicily 15 37 200 km count 1 desc] {Palermo}
        assert_equal [r georadius Sicily 15 37 200 km count 5] {Catania Palermo}
        assert_equal [r georadius Sicily 15 37 300 mi count 3 desc] {edge1 edge2 Palermo}
    }

    test {GEORADIUS errors} {
        geo_sicily
        r set str x
        assert_error {WRONGTYPE*} {r georadius str 1000 37 200 km}
        assert_error {ERR invalid longitude,latitude pair 1000.000000,37.000000} {r georadius nokey 1000 37 200 km}
        assert_error {ERR radius cannot be negative} {r georadius Sicily 15 37 -1 km}
        assert_error {ERR need numeric radius} {r georadius Sicily 15 37 abc km}
        assert_error {ERR unsupported unit provided*} {r georadius Sicily 15 37 1 kk}
        assert_error {ERR COUNT must be > 0} {r georadius Sicily 15 37 1 km count 0}
        assert_error {ERR COUNT must be > 0} {r georadius Sicily 15 37 1 km count -1}
        assert_error {ERR value is not an integer or out of range} {r georadius Sicily 15 37 1 km count x}
        assert_error {ERR the ANY argument requires COUNT argument} {r georadius Sicily 15 37 1 km any}
        assert_error {ERR syntax error} {r georadius Sicily 15 37 1 km store}
        assert_error {ERR syntax error} {r georadius Sicily 15 37 1 km foo}
        assert_error {ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options} \
            {r georadius Sicily 15 37 1 km store x withdist}
        assert_error {ERR syntax error} {r georadius_ro Sicily 15 37 1 km store x}
        assert_error {ERR syntax error} {r georadius_ro Sicily 15 37 1 km storedist x}
        assert_error {ERR wrong number of arguments for 'georadius' command} {r georadius Sicily 15 37 1}
    }

    test {GEORADIUS STORE and STOREDIST} {
        geo_sicily
        assert_equal [r georadius Sicily 15 37 200 km store dst] 2
        assert_equal [r zrange dst 0 -1 withscores] {Palermo 3479099956230698 Catania 3479447370796909}
        assert_equal [r georadius Sicily 15 37 200 km storedist dst count 1] 1
        assert_equal [r zrange dst 0 -1 withscores] {Catania 56.441257870158204}
        assert_equal [r object encoding dst] listpack
        # An empty result deletes the destination.
        assert_equal [r georadius Sicily 15 37 1 km store dst] 0
        assert_equal [r exists dst] 0
        r set dst x
        assert_equal [r georadius nokey 15 37 1 km store dst] 0
        assert_equal [r exists dst] 0
    }

    test {GEORADIUS_RO and GEORADIUSBYMEMBER_RO} {
        geo_sicily
        assert_equal [r georadius_ro Sicily 15 37 200 km asc] {Catania Palermo}
        assert_equal [r georadiusbymember_ro Sicily Palermo 300 km withdist] \
            {{Palermo 0.0000} {edge1 91.4007} {Catania 166.2742}}
    }

    test {GEORADIUSBYMEMBER} {
        geo_sicily
        assert_equal [r georadiusbymember Sicily Palermo 300 km withdist] \
            {{Palermo 0.0000} {edge1 91.4007} {Catania 166.2742}}
        assert_equal [r georadiusbymember Sicily Palermo 300 km desc count 2] {Catania edge1}
        assert_equal [r georadiusbymember Sicily Palermo 300 km storedist dst asc] 3
        assert_equal [r zrange dst 0 -1 withscores] {Palermo 0 edge1 91.400658605814272 Catania 166.27415156960032}
        assert_error {ERR could not decode requested zset member} {r georadiusbymember Sicily nope 1 km}
        assert_error {ERR could not decode requested zset member} {r georadiusbymember Sicily nope -1 km}
        assert_error {ERR radius cannot be negative} {r georadiusbymember Sicily Palermo -1 km}
        assert_error {ERR syntax error} {r georadiusbymember Sicily Palermo 1 km foo}
        # Without the key neither the member nor the radius is looked at.
        assert_equal [r georadiusbymember nokey nope -1 km] {}
        assert_equal [r georadiusbymember nokey nope -1 km store dst] 0
        assert_equal [r exists dst] 0
    }

    test {GEOSEARCH FROMLONLAT and FROMMEMBER, BYRADIUS and BYBOX} {
        geo_sicily
        assert_equal [r geosearch Sicily fromlonlat 15 37 byradius 200 km asc] {Catania Palermo}
        assert_equal [r geosearch Sicily frommember Palermo byradius 300 km asc withdist] \
            {{Palermo 0.0000} {edge1 91.4007} {Catania 166.2742}}
        assert_equal [r geosearch Sicily fromlonlat 15 37 bybox 400 400 km asc withdist] \
            {{Catania 56.4413} {Palermo 190.4424} {edge2 279.7403} {edge1 279.7405}}
        assert_equal [r geosearch Sicily fromlonlat 15 37 bybox 300 300 km asc withdist] \
            {{Catania 56.4413} {Palermo 190.4424}}
        assert_equal [r geosearch Sicily byradius 200 km fromlonlat 15 37 count 1 withcoord] \
            {{Catania {15.08726745843887329 37.50266842333162032}}}
        assert_equal [r geosearch Sicily frommember Palermo bybox 2000 2000 mi desc count 2 any] {edge1 Palermo}
        assert_equal [r geosearch nokey frommember nope byradius 1 km] {}
    }

    test {GEOSEARCH errors} {
        geo_sicily
        r set str x
        assert_error {ERR could not decode requested zset member} {r geosearch Sicily frommember nope byradius 1 km}
        assert_error {ERR wrong number of arguments for 'geosearch' command} {r geosearch Sicily byradius 1 km}
        assert_error {ERR syntax error} {r geosearch Sicily fromlonlat 15 37 byradius 1 km bybox 1 1 km}
        assert_error {ERR syntax error} {r geosearch Sicily fromlonlat 15 37 frommember Palermo byradius 1 km}
        assert_error {ERR height or width cannot be negative} {r geosearch Sicily fromlonlat 15 37 bybox 1 -1 km}
        assert_error {ERR need numeric width} {r geosearch Sicily fromlonlat 15 37 bybox x 1 km}
        assert_error {ERR need numeric height} {r geosearch Sicily fromlonlat 15 37 bybox 1 x km}
        assert_error {ERR unsupported unit provided*} {r geosearch Sicily fromlonlat 15 37 bybox 1 1 kk}
        assert_error {ERR syntax error} {r geosearch Sicily fromlonlat 15 37 byradius 1 km store x}
        assert_error {ERR syntax error} {r geosearch Sicily fromlonlat 15 37 byradius 1 km storedist}
        assert_error {ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch} \
            {r geosearch Sicily byradius 1 km asc desc}
        assert_error {ERR exactly one of BYRADIUS and BYBOX can be specified for GeoSearch} \
            {r GeoSearch Sicily fromlonlat 15 37 asc desc}
        assert_error {ERR the ANY argument requires COUNT argument} {r geosearch nokey fromlonlat 15 37 bybox 1 1 km any}
        assert_error {WRONGTYPE*} {r geosearch str fromlonlat 15 37 bybox 1 1 km any}
        assert_error {ERR invalid longitude,latitude pair 181.000000,37.000000} \
            {r geosearch Sicily fromlonlat 181 37 byradius 1 km}
    }

    test {GEOSEARCHSTORE and STOREDIST} {
        geo_sicily
        assert_equal [r geosearchstore dst Sicily fromlonlat 15 37 byradius 200 km] 2
        assert_equal [r zrange dst 0 -1 withscores] {Palermo 3479099956230698 Catania 3479447370796909}
        assert_equal [r geosearchstore dst Sicily frommember Palermo byradius 300 km storedist count 2] 2
        assert_equal [r zrange dst 0 -1 withscores] {Palermo 0 edge1 91.400658605814272}
        assert_equal [r geosearchstore dst Sicily frommember Palermo byradius 0 km] 1
        assert_equal [r geosearchstore dst Sicily fromlonlat 0 0 byradius 1 km] 0
        assert_equal [r exists dst] 0
        assert_equal [r geosearchstore dst nokey fromlonlat 0 0 byradius 1 km] 0
        assert_error {ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options} \
            {r geosearchstore dst Sicily fromlonlat 15 37 byradius 1 km withdist}
        assert_error {ERR the ANY argument requires COUNT argument} \
            {r geosearchstore dst Sicily fromlonlat 15 37 byradius 1 km any}
    }

    test {Searches on a listpack and on a skiplist geo set agree} {
        r del small big
        set points {}
        for {set i 0} {$i < 100} {incr i} {
            lassign [geo_random_point 2 45 3] x y
            lappend points $x $y m$i
        }
        r geoadd small {*}$points
        assert_equal [r object encoding small] listpack
        r config set zset-max-listpack-entries 10
        r geoadd big {*}$points
        r config set zset-max-listpack-entries 128
        assert_equal [r object encoding big] skiplist
        foreach shape {{byradius 200 km} {bybox 300 150 km} {byradius 1000 mi}} {
            assert_equal [r geosearch small fromlonlat 2 45 {*}$shape asc withdist] \
                [r geosearch big fromlonlat 2 45 {*}$shape asc withdist]
            assert_equal [r geosearch small fromlonlat 2 45 {*}$shape] \
                [r geosearch big fromlonlat 2 45 {*}$shape]
        }
    }

    test {Keyspace events of the geo commands} {
        geo_sicily
        r config set notify-keyspace-events KEA
        set c [redis_deferring_client]
        $c psubscribe __keyevent@0__:*
        $c read
        r geoadd Sicily 1 1 a
        r georadius Sicily 15 37 200 km store dst
        r geosearchstore dst2 Sicily fromlonlat 15 37 byradius 200 km
        r georadius Sicily 0 0 1 km store dst
        r geosearchstore dst2 Sicily fromlonlat 0 0 byradius 1 km
        r georadius_ro Sicily 15 37 200 km
        set got {}
        for {set i 0} {$i < 5} {incr i} { lappend got [lrange [$c read] 2 3] }
        assert_equal $got {{__keyevent@0__:zadd Sicily} {__keyevent@0__:georadiusstore dst} {__keyevent@0__:geosearchstore dst2} {__keyevent@0__:del dst} {__keyevent@0__:del dst2}}
        $c close
        r config set notify-keyspace-events ""
    }

    test {Randomized GEOSEARCH BYRADIUS and BYBOX against a haversine model} {
        # Clusters in the middle latitudes, across the antimeridian and near
        # both poles; each round searches from a random centre of a cluster.
        set clusters {{10 45 8} {179.5 0 3} {-179.5 20 3} {0 84 2} {120 -84.5 1.5} {-60 60 15}}
        set n 0
        foreach cluster $clusters {
            lassign $cluster clon clat spread
            r del pts
            set pos {}
            for {set i 0} {$i < 150} {incr i} {
                lassign [geo_random_point $clon $clat $spread] x y
                r geoadd pts $x $y p$i
            }
            foreach m [r zrange pts 0 -1] p [r geopos pts {*}[r zrange pts 0 -1]] { dict set pos $m $p }
            for {set round 0} {$round < 25} {incr round} {
                lassign [geo_random_point $clon $clat $spread] x y
                set km [expr {pow(10, rand() * 3)}]
                set w [expr {pow(10, rand() * 3)}]
                set h [expr {pow(10, rand() * 3)}]
                set sure {}; set maybe {}; set bsure {}; set bmaybe {}
                set hw [expr {$w * 500}]
                set hh [expr {$h * 500}]
                dict for {m p} $pos {
                    lassign $p px py
                    set d [geo_distance $x $y $px $py]
                    set r_m [expr {$km * 1000}]
                    if {$d < $r_m - 0.01} { lappend sure $m } elseif {$d < $r_m + 0.01} { lappend maybe $m }
                    set dx [geo_distance $px $py $x $py]
                    set dy [geo_distance $px $py $px $y]
                    if {$dx < $hw - 0.01 && $dy < $hh - 0.01} {
                        lappend bsure $m
                    } elseif {$dx < $hw + 0.01 && $dy < $hh + 0.01} {
                        lappend bmaybe $m
                    }
                }
                # A shape reaching past the latitude limit is searched over
                # cells that need not cover it (Redis misses points there
                # too): then only what is returned is checked.
                set reach [expr {abs($y) + [geo_rad_deg [expr {max($km * 1000, $hh) / 6372797.560856}]]}]
                if {$reach > 85.05112878} {
                    set maybe [concat $maybe $sure]
                    set bmaybe [concat $bmaybe $bsure]
                    set sure {}
                    set bsure {}
                }
                set got [r geosearch pts fromlonlat $x $y byradius $km km]
                geo_check_model $got $sure $maybe "radius $km km at $x,$y"
                set got [r geosearch pts fromlonlat $x $y bybox $w $h km]
                geo_check_model $got $bsure $bmaybe "box $w x $h km at $x,$y"
                incr n [llength $got]
            }
        }
        # The rounds found something: the model is not vacuous.
        assert {$n > 100}
    }

    test {Randomized ASC order and COUNT agree with the model's distances} {
        r del pts
        for {set i 0} {$i < 100} {incr i} {
            lassign [geo_random_point 30 30 5] x y
            r geoadd pts $x $y p$i
        }
        for {set round 0} {$round < 20} {incr round} {
            lassign [geo_random_point 30 30 5] x y
            set all [r geosearch pts fromlonlat $x $y byradius 500 km asc withdist]
            set prev -1
            foreach item $all {
                lassign $item m d
                assert {$d >= $prev}
                set prev $d
                lassign [lindex [r geopos pts $m] 0] px py
                assert {abs([geo_distance $x $y $px $py] / 1000 - $d) < 0.0001}
            }
            set k [expr {1 + int(rand() * 10)}]
            set some [r geosearch pts fromlonlat $x $y byradius 500 km count $k withdist]
            assert_equal [llength $some] [expr {min($k, [llength $all])}]
            foreach a $some b [lrange $all 0 [expr {$k - 1}]] { assert_equal [lindex $a 1] [lindex $b 1] }
            set desc [r geosearch pts fromlonlat $x $y byradius 500 km desc withdist]
            set dists {}
            foreach item $all { lappend dists [lindex $item 1] }
            set rdists {}
            foreach item $desc { lappend rdists [lindex $item 1] }
            assert_equal [lreverse $rdists] $dists
        }
    }
}

start_server {tags {geo}} {
    test {GEOADD is recorded as ZADD, GEORADIUS STORE as itself} {
        r debug propagation off
        r debug propagation on
        r geoadd Sicily nx 13.361389 38.115556 Palermo 15.087269 37.502669 Catania
        r geoadd Sicily xx 13.361389 38.115556 Palermo
        r georadius Sicily 15 37 200 km store dst
        r georadius_ro Sicily 15 37 200 km
        r geosearchstore dst2 Sicily fromlonlat 15 37 byradius 200 km storedist
        assert_equal [r debug propagation get] {{SELECT 0} {zadd Sicily nx 3479099956230698 Palermo 3479447370796909 Catania} {georadius Sicily 15 37 200 km store dst} {geosearchstore dst2 Sicily fromlonlat 15 37 byradius 200 km storedist}}
        r debug propagation off
    }
}

source tests/support/oracle.tcl

if {[oracle_available]} {
    start_server {tags {geo interop external:skip}} {
        test {A geo set DUMPed by Redis 7.0 RESTOREs with the same replies, and back} {
            set dir [file normalize [file join $::opt(tmpdir) "geo-oracle.[pid]"]]
            file mkdir $dir
            set ox [oracle_start $dir --appendonly no]
            set o [oracle_client $ox]
            $o geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 179.9 -84 far
            r restore g 0 [$o dump g]
            set queries {
                {geopos g Palermo Catania far}
                {geohash g Palermo Catania far}
                {geosearch g fromlonlat 15 37 byradius 300 km asc withdist withcoord withhash}
                {geodist g Palermo far mi}
            }
            foreach q $queries { assert_equal [r {*}$q] [$o {*}$q] }
            r geoadd g 0 0 origin
            $o restore g2 0 [r dump g]
            set got [$o geosearch g2 fromlonlat 0 0 byradius 1 km withcoord]
            oracle_stop $ox
            set got
        } {{origin {0.00000268220901489 0.00000126736058093}}}
    }
}
