/*
 * bench-wide: kernels whose hot path is wide rather than a tight loop, for the translator's hot-code detection:
 * the compression functions of BLAKE2s (RFC 7693) and SHA-256 (FIPS 180-4) with every round written out, about
 * 1,900 and 2,600 instructions of straight-line code per 64-byte block, so each of their blocks runs once per
 * compression. Each kernel checks its hash against known answers (computed with Python's hashlib), then hashes a
 * 1 KiB buffer `repetitions` times, folding each digest back into the buffer.
 */
#include "bench.h"

#define WIDE_LENGTH 1024
#define ROTR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* The SHA-256 initial hash value, which BLAKE2s also uses as its IV: square roots of the first 8 primes. */
static const uint32_t SQRT_IV[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

static uint8_t wide_buffer[WIDE_LENGTH];
static const uint8_t ABC[3] = {'a', 'b', 'c'};

static uint32_t load32_le(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint32_t load32_be(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | (uint32_t) p[3];
}

/* The known-answer message: 1000 bytes of i * 7. */
static void fill_pattern(uint8_t *message, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        message[i] = (uint8_t) (i * 7);
    }
}

/* ---- BLAKE2s-256, no key ---- */

static const uint8_t BLAKE2S_SIGMA[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static const uint8_t BLAKE2S_ABC[32] = { 0x50, 0x8c, 0x5e, 0x8c, 0x32, 0x7c, 0x14, 0xe2, 0xe1, 0xa7, 0x2b, 0xa3, 0x4e, 0xeb, 0x45, 0x2f, 0x37, 0x45, 0x8b, 0x20, 0x9e, 0xd6, 0x3a, 0x29, 0x4d, 0x99, 0x9b, 0x4c, 0x86, 0x67, 0x59, 0x82 };
static const uint8_t BLAKE2S_PATTERN[32] = { 0x86, 0x4c, 0xc6, 0x64, 0x98, 0x76, 0xb9, 0x9e, 0x9f, 0x3f, 0x85, 0x19, 0xef, 0xae, 0xb7, 0x94, 0xad, 0x18, 0x08, 0xc9, 0xaf, 0x52, 0xb9, 0x96, 0x58, 0x3f, 0xb5, 0xa5, 0x4c, 0x74, 0xa4, 0x6d };

struct blake2s {
    uint32_t h[8];
    uint32_t t0, t1;
    uint8_t block[64];
    size_t filled;
};

#define B2S_G(r, i, a, b, c, d) \
    do { \
        a += b + m[BLAKE2S_SIGMA[r][2 * (i)]]; \
        d = ROTR32(d ^ a, 16); \
        c += d; \
        b = ROTR32(b ^ c, 12); \
        a += b + m[BLAKE2S_SIGMA[r][2 * (i) + 1]]; \
        d = ROTR32(d ^ a, 8); \
        c += d; \
        b = ROTR32(b ^ c, 7); \
    } while (0)

#define B2S_ROUND(r) \
    do { \
        B2S_G(r, 0, v0, v4, v8, v12); \
        B2S_G(r, 1, v1, v5, v9, v13); \
        B2S_G(r, 2, v2, v6, v10, v14); \
        B2S_G(r, 3, v3, v7, v11, v15); \
        B2S_G(r, 4, v0, v5, v10, v15); \
        B2S_G(r, 5, v1, v6, v11, v12); \
        B2S_G(r, 6, v2, v7, v8, v13); \
        B2S_G(r, 7, v3, v4, v9, v14); \
    } while (0)

static void blake2s_compress(struct blake2s *s, const uint8_t *block, int last)
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++) {
        m[i] = load32_le(block + 4 * i);
    }
    uint32_t v0 = s->h[0], v1 = s->h[1], v2 = s->h[2], v3 = s->h[3];
    uint32_t v4 = s->h[4], v5 = s->h[5], v6 = s->h[6], v7 = s->h[7];
    uint32_t v8 = SQRT_IV[0], v9 = SQRT_IV[1], v10 = SQRT_IV[2], v11 = SQRT_IV[3];
    uint32_t v12 = SQRT_IV[4] ^ s->t0, v13 = SQRT_IV[5] ^ s->t1;
    uint32_t v14 = last ? ~SQRT_IV[6] : SQRT_IV[6], v15 = SQRT_IV[7];
    B2S_ROUND(0);
    B2S_ROUND(1);
    B2S_ROUND(2);
    B2S_ROUND(3);
    B2S_ROUND(4);
    B2S_ROUND(5);
    B2S_ROUND(6);
    B2S_ROUND(7);
    B2S_ROUND(8);
    B2S_ROUND(9);
    s->h[0] ^= v0 ^ v8;
    s->h[1] ^= v1 ^ v9;
    s->h[2] ^= v2 ^ v10;
    s->h[3] ^= v3 ^ v11;
    s->h[4] ^= v4 ^ v12;
    s->h[5] ^= v5 ^ v13;
    s->h[6] ^= v6 ^ v14;
    s->h[7] ^= v7 ^ v15;
}

static void blake2s_hash(const uint8_t *message, size_t length, uint8_t digest[32])
{
    struct blake2s s;
    for (int i = 0; i < 8; i++) {
        s.h[i] = SQRT_IV[i];
    }
    s.h[0] ^= 0x01010000u | 32u; /* depth 1, fanout 1, no key, 32-byte digest */
    s.t0 = 0;
    s.t1 = 0;
    /* Every full block but the last is compressed as it comes; the last, padded with zeros, is flagged. */
    while (length > 64) {
        s.t0 += 64;
        s.t1 += s.t0 < 64;
        blake2s_compress(&s, message, 0);
        message += 64;
        length -= 64;
    }
    memset(s.block, 0, sizeof s.block);
    memcpy(s.block, message, length);
    s.t0 += (uint32_t) length;
    s.t1 += s.t0 < length;
    blake2s_compress(&s, s.block, 1);
    for (int i = 0; i < 32; i++) {
        digest[i] = (uint8_t) (s.h[i / 4] >> (8 * (i % 4)));
    }
}

int kernel_blake2s(uint32_t repetitions)
{
    uint8_t digest[32];
    blake2s_hash(ABC, sizeof ABC, digest);
    int ok = memcmp(digest, BLAKE2S_ABC, 32) == 0;
    fill_pattern(wide_buffer, 1000);
    blake2s_hash(wide_buffer, 1000, digest);
    ok &= memcmp(digest, BLAKE2S_PATTERN, 32) == 0;
    for (uint32_t r = 0; r < repetitions; r++) {
        blake2s_hash(wide_buffer, WIDE_LENGTH, digest);
        memcpy(wide_buffer + (r * 32) % WIDE_LENGTH, digest, 32);
    }
    return ok;
}

/* ---- SHA-256 ---- */

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t SHA256_K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u,
    0x923f82a4u, 0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u,
    0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u,
    0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au,
    0x5b9cca4fu, 0x682e6ff3u, 0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static const uint8_t SHA256_ABC[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
static const uint8_t SHA256_PATTERN[32] = { 0x89, 0xf4, 0xff, 0x56, 0xa2, 0x5d, 0xd1, 0xdb, 0x06, 0xa4, 0xce, 0x60, 0x33, 0x60, 0x37, 0x75, 0xd7, 0x05, 0xfb, 0x96, 0xf3, 0x0f, 0x86, 0x93, 0x73, 0x3f, 0xef, 0x60, 0x2a, 0x1c, 0xa5, 0x32 };

#define SHA_CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define SHA_MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define SHA_SIGMA0(x) (ROTR32(x, 2) ^ ROTR32(x, 13) ^ ROTR32(x, 22))
#define SHA_SIGMA1(x) (ROTR32(x, 6) ^ ROTR32(x, 11) ^ ROTR32(x, 25))
#define SHA_S0(x) (ROTR32(x, 7) ^ ROTR32(x, 18) ^ ((x) >> 3))
#define SHA_S1(x) (ROTR32(x, 17) ^ ROTR32(x, 19) ^ ((x) >> 10))

/* One round with the working variables renamed instead of moved: round i uses w[i]. */
#define SHA_ROUND(a, b, c, d, e, f, g, h, i) \
    do { \
        uint32_t t1 = h + SHA_SIGMA1(e) + SHA_CH(e, f, g) + SHA256_K[i] + w[i]; \
        uint32_t t2 = SHA_SIGMA0(a) + SHA_MAJ(a, b, c); \
        d += t1; \
        h = t1 + t2; \
    } while (0)

#define SHA_EIGHT(i) \
    do { \
        SHA_ROUND(a, b, c, d, e, f, g, h, (i)); \
        SHA_ROUND(h, a, b, c, d, e, f, g, (i) + 1); \
        SHA_ROUND(g, h, a, b, c, d, e, f, (i) + 2); \
        SHA_ROUND(f, g, h, a, b, c, d, e, (i) + 3); \
        SHA_ROUND(e, f, g, h, a, b, c, d, (i) + 4); \
        SHA_ROUND(d, e, f, g, h, a, b, c, (i) + 5); \
        SHA_ROUND(c, d, e, f, g, h, a, b, (i) + 6); \
        SHA_ROUND(b, c, d, e, f, g, h, a, (i) + 7); \
    } while (0)

static void sha256_compress(uint32_t state[8], const uint8_t *block)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = load32_be(block + 4 * i);
    }
    for (int i = 16; i < 64; i++) {
        w[i] = SHA_S1(w[i - 2]) + w[i - 7] + SHA_S0(w[i - 15]) + w[i - 16];
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    SHA_EIGHT(0);
    SHA_EIGHT(8);
    SHA_EIGHT(16);
    SHA_EIGHT(24);
    SHA_EIGHT(32);
    SHA_EIGHT(40);
    SHA_EIGHT(48);
    SHA_EIGHT(56);
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

static void sha256_hash(const uint8_t *message, size_t length, uint8_t digest[32])
{
    uint32_t state[8];
    uint8_t block[64];
    for (int i = 0; i < 8; i++) {
        state[i] = SQRT_IV[i];
    }
    uint64_t bits = (uint64_t) length * 8;
    while (length >= 64) {
        sha256_compress(state, message);
        message += 64;
        length -= 64;
    }
    /* The rest, a 1 bit, zeros, and the length in bits (big-endian) in the last 8 bytes of the last block. */
    memset(block, 0, sizeof block);
    memcpy(block, message, length);
    block[length] = 0x80;
    if (length >= 56) {
        sha256_compress(state, block);
        memset(block, 0, sizeof block);
    }
    for (int i = 0; i < 8; i++) {
        block[63 - i] = (uint8_t) (bits >> (8 * i));
    }
    sha256_compress(state, block);
    for (int i = 0; i < 32; i++) {
        digest[i] = (uint8_t) (state[i / 4] >> (24 - 8 * (i % 4)));
    }
}

int kernel_sha256(uint32_t repetitions)
{
    uint8_t digest[32];
    sha256_hash(ABC, sizeof ABC, digest);
    int ok = memcmp(digest, SHA256_ABC, 32) == 0;
    fill_pattern(wide_buffer, 1000);
    sha256_hash(wide_buffer, 1000, digest);
    ok &= memcmp(digest, SHA256_PATTERN, 32) == 0;
    for (uint32_t r = 0; r < repetitions; r++) {
        sha256_hash(wide_buffer, WIDE_LENGTH, digest);
        memcpy(wide_buffer + (r * 32) % WIDE_LENGTH, digest, 32);
    }
    return ok;
}
