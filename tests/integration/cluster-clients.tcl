# Cluster client libraries against an Ember cluster: redis-py's
# RedisCluster (Debian's python3-redis for /usr/bin/python3), by
# tests/helpers/redispy_cluster.py: keys across slots, a cluster pipeline,
# MSET/MGET over a hash tag, and a slot moved by hand in the middle of the
# workload (-ASK while it moves, -MOVED after). Skipped, with a message,
# without python3-redis. (ioredis is not tested: no Node.js packages can be
# installed on the build machines.)

source tests/support/oracle.tcl
source tests/support/cluster.tcl

start_cluster 3 {tags {cluster external:skip}} {
    test {redis-py RedisCluster: keys, pipeline, hash-tag MGET, a slot moved mid-workload} {
        if {![file executable /usr/bin/python3] ||
            [catch {exec /usr/bin/python3 -c {import redis.cluster}}]} {
            error "python3-redis (redis.cluster) is not installed" {} SKIP
        }
        cluster_create 0
        set out [exec /usr/bin/python3 tests/helpers/redispy_cluster.py [cluster_port 0] 2>@1]
        assert_match {ok ask 2 moved 1} $out
        # Its keys are where the cluster says.
        assert_equal [exec redis-cli -c -p [cluster_port 1] get {{user1000}:name}] ann
        assert_equal [exec redis-cli -c -p [cluster_port 2] get counter:99] 99
        cluster_wait_ok
        assert_match {*All 16384 slots covered*} [exec redis-cli --cluster check 127.0.0.1:[cluster_port 0]]
    }
}
