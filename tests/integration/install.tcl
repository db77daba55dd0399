# make install / make uninstall, into a scratch DESTDIR. They copy the
# binary already built (whatever flags the make command line has, so running
# them here never rebuilds the tree under the other tests).

set ::install_tree_binary [file normalize [file join $::opt(root) src redis-server]]

if {[file normalize $::opt(server_binary)] eq $::install_tree_binary && [auto_execok make] ne ""} {
    tags {install external:skip} {
        set dest [file normalize [file join $::opt(tmpdir) "install.[pid]"]]

        test {make install copies src/redis-server to DESTDIR/PREFIX/bin} {
            exec make -C $::opt(root) --no-print-directory install DESTDIR=$dest PREFIX=/opt/ember
            set installed [file join $dest opt ember bin redis-server]
            assert_equal [file executable $installed] 1
            assert_equal [file size $installed] [file size $::install_tree_binary]
            assert_equal [exec cmp $installed $::install_tree_binary] ""
            assert_match {Ember server v=*} [exec $installed --version]
        }

        test {make uninstall removes it} {
            exec make -C $::opt(root) --no-print-directory uninstall DESTDIR=$dest PREFIX=/opt/ember
            assert_equal [file exists [file join $dest opt ember bin redis-server]] 0
        }

        test {PREFIX defaults to /usr/local} {
            set plan [exec make -C $::opt(root) --no-print-directory -n install DESTDIR=$dest]
            assert_match "*install -m 755 src/redis-server $dest/usr/local/bin/redis-server*" $plan
        }

        file delete -force $dest
    }
}
