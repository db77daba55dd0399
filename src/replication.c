/* replication.c — what every server knows of replication: its replication
 * id and offset, ROLE, INFO replication, REPLCONF, and the cron that
 * drives the link.
 *
 * The replication id (40 hex characters) names a history of the dataset
 * and master_repl_offset how far along it the dataset is. A primary picks
 * a random id at start. A replica takes its primary's id and offset at a
 * full resync (+FULLRESYNC) and then counts the bytes of the stream it
 * applies. When a replica is promoted (REPLICAOF NO ONE) its history goes
 * on under a fresh id; the old one is kept as replid2 with
 * second_repl_offset, the first offset the new history does not share.
 *
 * The replica's side of the link is in repl_replica.c; this file gives the
 * rest of the server its view of it (ROLE, INFO) and the once-a-second
 * cron.
 */
#include "server.h"

#include <string.h>

void replicationInit(void) {
    struct serverReplState *rs = &server.replication;
    getRandomHexChars(rs->replid, REPL_ID_LEN);
    rs->replid[REPL_ID_LEN] = '\0';
    memset(rs->replid2, '0', REPL_ID_LEN);
    rs->replid2[REPL_ID_LEN] = '\0';
    rs->master_repl_offset = 0;
    rs->second_replid_offset = -1;
    rs->transfer_fd = -1;
    rs->state = replicationIsReplica() ? REPL_STATE_CONNECT : REPL_STATE_NONE;
    replicationPrimaryInit();
}

int replicationStreamDb(void) {
    client *m = server.replication.master;
    return m ? m->db->id : 0;
}

void replicationRestoreFromRdb(const char *id, long long offset, int dbid) {
    struct serverReplState *rs = &server.replication;
    if (!replicationIsReplica()) {
        /* A primary restarted: the file's history is the one it comes
         * from, so its old replicas, at that offset, continue by PSYNC. */
        memcpy(rs->replid2, id, REPL_ID_LEN);
        rs->second_replid_offset = offset + 1;
        rs->master_repl_offset = offset;
        replicationPrimaryRestored();
        serverLog(LL_NOTICE, "Replication history %s up to offset %lld restored from the RDB file as the secondary "
                             "ID: replicas may continue it by partial resynchronization", id, offset);
        return;
    }
    memcpy(rs->replid, id, REPL_ID_LEN);
    rs->master_repl_offset = offset;
    rs->read_reploff = offset;
    rs->master_db = dbid;
    serverLog(LL_NOTICE, "Continuing replication history %s at offset %lld from the RDB file", id, offset);
}

void replicationCron(void) {
    struct serverReplState *rs = &server.replication;
    if (server.mstime - rs->last_cron_ms < 1000) return;
    rs->last_cron_ms = server.mstime;
    replicationReplicaCron();
    replicationPrimaryCron();
}

sds replicationInfo(sds s) {
    struct serverReplState *rs = &server.replication;
    if (replicationIsReplica()) {
        s = sdscat(s, "role:slave\r\n");
        s = replicationReplicaInfo(s);
    } else {
        s = sdscat(s, "role:master\r\n");
    }
    s = replicationPrimaryInfo(s);
    return sdscatprintf(s,
                        "master_failover_state:%s\r\n"
                        "master_replid:%s\r\n"
                        "master_replid2:%s\r\n"
                        "master_repl_offset:%lld\r\n"
                        "second_repl_offset:%lld\r\n"
                        "repl_backlog_active:%d\r\n"
                        "repl_backlog_size:%lld\r\n"
                        "repl_backlog_first_byte_offset:%lld\r\n"
                        "repl_backlog_histlen:%lld\r\n",
                        failoverStateName(), rs->replid, rs->replid2, rs->master_repl_offset,
                        rs->second_replid_offset,
                        rs->backlog_active, server.repl.backlog_size, replBacklogFirstByte(),
                        replBacklogHistlen());
}

/* ROLE: ["master", offset, [replicas]] or ["slave", host, port, state,
 * applied offset (-1 while the link is down)]. */
void roleCommand(client *c) {
    struct serverReplState *rs = &server.replication;
    if (!replicationIsReplica()) {
        addReplyArrayLen(c, 3);
        addReplyBulkCString(c, "master");
        addReplyLongLong(c, rs->master_repl_offset);
        replicationRoleReplicas(c);
        return;
    }
    addReplyArrayLen(c, 5);
    addReplyBulkCString(c, "slave");
    addReplyBulkCString(c, server.repl.masterhost);
    addReplyLongLong(c, server.repl.masterport);
    addReplyBulkCString(c, replicationStateName());
    addReplyLongLong(c, rs->master ? rs->master_repl_offset : -1);
}

/* REPLCONF <option> <value> ...: settings a replica announces during the
 * handshake, and the acknowledgements of the stream (repl_primary.c).
 * GETACK from our primary asks for an ACK now; it gets no other reply. */
void replconfCommand(client *c) {
    if ((c->argc % 2) == 0) {
        addReplyErrorObject(c, shared.syntaxerr);
        return;
    }
    if (c == server.replication.master) {
        if (!strcasecmp(c->argv[1]->ptr, "getack")) replicationSendAck();
        return;
    }
    for (int j = 1; j < c->argc; j += 2) {
        const char *opt = c->argv[j]->ptr;
        if (strcasecmp(opt, "listening-port") && strcasecmp(opt, "ip-address") && strcasecmp(opt, "capa") &&
            strcasecmp(opt, "ack") && strcasecmp(opt, "getack") && strcasecmp(opt, "rdb-only") &&
            strcasecmp(opt, "rdb-filter-only")) {
            addReplyErrorFormat(c, "Unrecognized REPLCONF option: %s", opt);
            return;
        }
    }
    replicationReplconfFromReplica(c);
}

int replicationDeletesSyncFiles(void) {
    return server.persist.rdb_del_sync_files && server.persist.saveparamslen == 0 && !server.persist.aof_enabled;
}
