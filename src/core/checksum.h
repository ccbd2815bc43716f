/*
 * CRC-32C (Castagnoli): the checksum of doppel's binary files. Reflected polynomial
 * 0x82F63B78, initial value and final XOR 0xFFFFFFFF, as in iSCSI (RFC 3720) and ext4;
 * the check value of the nine bytes "123456789" is 0xE3069283.
 */
#ifndef DP_CORE_CHECKSUM_H
#define DP_CORE_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C of buf[0..len) continuing from crc (start with 0); chunks may be fed in
 * order: dp_crc32c(dp_crc32c(0, a, n), b, m) == CRC of a followed by b. */
uint32_t dp_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
