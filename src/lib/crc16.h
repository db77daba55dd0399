/* crc16.h -- CRC-16/XMODEM and the cluster key slot built on it.
 *
 * keyHashSlot is the function every cluster member and cluster-aware client
 * agrees on: a key's slot is crc16 of its hash tag (the text inside the first
 * non-empty {...}) or of the whole key, modulo 16384. Pure and thread safe.
 * This is a base library: it does not depend on the server. */
#ifndef EMBER_CRC16_H
#define EMBER_CRC16_H

#include <stddef.h>
#include <stdint.h>

#define CLUSTER_SLOTS 16384
#define CLUSTER_SLOT_MASK (CLUSTER_SLOTS - 1)

/* The CRC-16/XMODEM of buf[0..len). */
uint16_t crc16(const char *buf, size_t len);
/* The slot (0..16383) of the key key[0..keylen), honouring hash tags. */
unsigned int keyHashSlot(const char *key, size_t keylen);

#endif
