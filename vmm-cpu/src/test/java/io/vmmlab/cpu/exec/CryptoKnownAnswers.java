package io.vmmlab.cpu.exec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AES-128/256, SHA-256, SHA-512, SM3 and SM4 built from {@link ScalarCrypto}'s operations the way a program uses the
 * instructions (the ISA manual's usage notes: two AES64ESM per middle round with the operands swapped, the key
 * schedule with AES64KS1I and AES64KS2, the equivalent inverse cipher with AES64IM; SM4 words byte-swapped in
 * registers, as little-endian loads leave them), so that the standards' examples check the whole set. The SHA-2
 * constants are derived here from their definitions (the first bits of the fractional parts of the primes' square
 * and cube roots).
 */
final class CryptoKnownAnswers {
    private CryptoKnownAnswers() {
    }

    /** AES encryption of one block, 128- or 256-bit key. */
    static byte[] aesEncrypt(byte[] key, byte[] block) {
        long[] keys = aesKeySchedule(key);
        int rounds = keys.length / 2 - 1;
        long low = littleEndian(block, 0) ^ keys[0];
        long high = littleEndian(block, 8) ^ keys[1];
        for (int round = 1; round <= rounds; round++) {
            boolean last = round == rounds;
            long nextLow = last ? ScalarCrypto.aes64es(low, high) : ScalarCrypto.aes64esm(low, high);
            long nextHigh = last ? ScalarCrypto.aes64es(high, low) : ScalarCrypto.aes64esm(high, low);
            low = nextLow ^ keys[2 * round];
            high = nextHigh ^ keys[2 * round + 1];
        }
        return bytes(low, high);
    }

    /** AES decryption of one block (the equivalent inverse cipher: round keys through AES64IM). */
    static byte[] aesDecrypt(byte[] key, byte[] block) {
        long[] keys = aesKeySchedule(key);
        int rounds = keys.length / 2 - 1;
        long low = littleEndian(block, 0) ^ keys[2 * rounds];
        long high = littleEndian(block, 8) ^ keys[2 * rounds + 1];
        for (int round = rounds - 1; round >= 0; round--) {
            boolean last = round == 0;
            long nextLow = last ? ScalarCrypto.aes64ds(low, high) : ScalarCrypto.aes64dsm(low, high);
            long nextHigh = last ? ScalarCrypto.aes64ds(high, low) : ScalarCrypto.aes64dsm(high, low);
            low = nextLow ^ (last ? keys[0] : ScalarCrypto.aes64im(keys[2 * round]));
            high = nextHigh ^ (last ? keys[1] : ScalarCrypto.aes64im(keys[2 * round + 1]));
        }
        return bytes(low, high);
    }

    /** The round keys, two doublewords each (the 128-bit schedule steps 4 words, the 256-bit one 8). */
    private static long[] aesKeySchedule(byte[] key) {
        int rounds = key.length == 16 ? 10 : 14;
        long[] keys = new long[2 * (rounds + 1) + 2];
        int known = key.length / 8;
        for (int index = 0; index < known; index++) {
            keys[index] = littleEndian(key, 8 * index);
        }
        for (int step = 0; known < keys.length; step++) {
            if (key.length == 16) {
                long temporary = ScalarCrypto.aes64ks1i(keys[known - 1], step);
                keys[known] = ScalarCrypto.aes64ks2(temporary, keys[known - 2]);
                keys[known + 1] = ScalarCrypto.aes64ks2(keys[known], keys[known - 1]);
                known += 2;
            } else {
                long temporary = ScalarCrypto.aes64ks1i(keys[known - 1], step);
                keys[known] = ScalarCrypto.aes64ks2(temporary, keys[known - 4]);
                keys[known + 1] = ScalarCrypto.aes64ks2(keys[known], keys[known - 3]);
                if (known + 2 < keys.length) {
                    temporary = ScalarCrypto.aes64ks1i(keys[known + 1], 0xa);
                    keys[known + 2] = ScalarCrypto.aes64ks2(temporary, keys[known - 2]);
                    keys[known + 3] = ScalarCrypto.aes64ks2(keys[known + 2], keys[known - 1]);
                }
                known += 4;
            }
        }
        return java.util.Arrays.copyOf(keys, 2 * (rounds + 1));
    }

    /** SHA-256 (FIPS 180-4, 6.2). */
    static byte[] sha256(byte[] message) {
        int[] hash = new int[8];
        for (int index = 0; index < 8; index++) {
            hash[index] = root(index, 2, 32).intValue();
        }
        int[] constants = new int[64];
        for (int index = 0; index < 64; index++) {
            constants[index] = root(index, 3, 32).intValue();
        }
        ByteBuffer padded = pad(message, 64, 8);
        while (padded.hasRemaining()) {
            int[] schedule = new int[64];
            for (int t = 0; t < 64; t++) {
                schedule[t] = t < 16 ? padded.getInt() : (int) ScalarCrypto.sha256sig1(schedule[t - 2])
                        + schedule[t - 7] + (int) ScalarCrypto.sha256sig0(schedule[t - 15]) + schedule[t - 16];
            }
            int[] v = hash.clone();
            for (int t = 0; t < 64; t++) {
                int first = v[7] + (int) ScalarCrypto.sha256sum1(v[4]) + (v[4] & v[5] ^ ~v[4] & v[6])
                        + constants[t] + schedule[t];
                int second = (int) ScalarCrypto.sha256sum0(v[0]) + (v[0] & v[1] ^ v[0] & v[2] ^ v[1] & v[2]);
                System.arraycopy(v, 0, v, 1, 7);
                v[4] += first;
                v[0] = first + second;
            }
            for (int index = 0; index < 8; index++) {
                hash[index] += v[index];
            }
        }
        ByteBuffer digest = ByteBuffer.allocate(32);
        for (int word : hash) {
            digest.putInt(word);
        }
        return digest.array();
    }

    /** SHA-512 (FIPS 180-4, 6.4). */
    static byte[] sha512(byte[] message) {
        long[] hash = new long[8];
        for (int index = 0; index < 8; index++) {
            hash[index] = root(index, 2, 64).longValue();
        }
        long[] constants = new long[80];
        for (int index = 0; index < 80; index++) {
            constants[index] = root(index, 3, 64).longValue();
        }
        ByteBuffer padded = pad(message, 128, 16);
        while (padded.hasRemaining()) {
            long[] schedule = new long[80];
            for (int t = 0; t < 80; t++) {
                schedule[t] = t < 16 ? padded.getLong() : ScalarCrypto.sha512sig1(schedule[t - 2])
                        + schedule[t - 7] + ScalarCrypto.sha512sig0(schedule[t - 15]) + schedule[t - 16];
            }
            long[] v = hash.clone();
            for (int t = 0; t < 80; t++) {
                long first = v[7] + ScalarCrypto.sha512sum1(v[4]) + (v[4] & v[5] ^ ~v[4] & v[6]) + constants[t]
                        + schedule[t];
                long second = ScalarCrypto.sha512sum0(v[0]) + (v[0] & v[1] ^ v[0] & v[2] ^ v[1] & v[2]);
                System.arraycopy(v, 0, v, 1, 7);
                v[4] += first;
                v[0] = first + second;
            }
            for (int index = 0; index < 8; index++) {
                hash[index] += v[index];
            }
        }
        ByteBuffer digest = ByteBuffer.allocate(64);
        for (long word : hash) {
            digest.putLong(word);
        }
        return digest.array();
    }

    /** SM3 (GB/T 32905, 5.3): P1 in the message expansion, P0 in the compression. */
    static byte[] sm3(byte[] message) {
        int[] hash = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d,
            0xb0fb0e4e};
        ByteBuffer padded = pad(message, 64, 8);
        while (padded.hasRemaining()) {
            int[] w = new int[68];
            for (int j = 0; j < 68; j++) {
                w[j] = j < 16 ? padded.getInt() : (int) ScalarCrypto.sm3p1(w[j - 16] ^ w[j - 9]
                        ^ Integer.rotateLeft(w[j - 3], 15)) ^ Integer.rotateLeft(w[j - 13], 7) ^ w[j - 6];
            }
            int[] v = hash.clone();
            for (int j = 0; j < 64; j++) {
                int constant = Integer.rotateLeft(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);
                int ss1 = Integer.rotateLeft(Integer.rotateLeft(v[0], 12) + v[4] + constant, 7);
                int ss2 = ss1 ^ Integer.rotateLeft(v[0], 12);
                int ff = j < 16 ? v[0] ^ v[1] ^ v[2] : v[0] & v[1] | v[0] & v[2] | v[1] & v[2];
                int gg = j < 16 ? v[4] ^ v[5] ^ v[6] : v[4] & v[5] | ~v[4] & v[6];
                int tt1 = ff + v[3] + ss2 + (w[j] ^ w[j + 4]);
                int tt2 = gg + v[7] + ss1 + w[j];
                v[3] = v[2];
                v[2] = Integer.rotateLeft(v[1], 9);
                v[1] = v[0];
                v[0] = tt1;
                v[7] = v[6];
                v[6] = Integer.rotateLeft(v[5], 19);
                v[5] = v[4];
                v[4] = (int) ScalarCrypto.sm3p0(tt2);
            }
            for (int index = 0; index < 8; index++) {
                hash[index] ^= v[index];
            }
        }
        ByteBuffer digest = ByteBuffer.allocate(32);
        for (int word : hash) {
            digest.putInt(word);
        }
        return digest.array();
    }

    /** SM4 (GB/T 32907) of one block: four SM4KS per round key, four SM4ED per round. */
    static byte[] sm4(byte[] key, byte[] block, boolean decrypt) {
        int[] system = {0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc};
        ByteBuffer keyWords = ByteBuffer.wrap(key);
        int[] k = new int[36];
        for (int index = 0; index < 4; index++) {
            k[index] = Integer.reverseBytes(keyWords.getInt() ^ system[index]); // register form
        }
        int[] roundKeys = new int[32];
        for (int i = 0; i < 32; i++) {
            int chain = 0;
            for (int j = 0; j < 4; j++) {
                chain = chain << 8 | (4 * i + j) * 7 & 0xff;
            }
            long input = k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ Integer.reverseBytes(chain);
            long next = k[i];
            for (int select = 0; select < 4; select++) {
                next = ScalarCrypto.sm4ks(next, input, select);
            }
            k[i + 4] = (int) next;
            roundKeys[i] = k[i + 4];
        }
        ByteBuffer words = ByteBuffer.wrap(block);
        int[] x = new int[36];
        for (int index = 0; index < 4; index++) {
            x[index] = Integer.reverseBytes(words.getInt());
        }
        for (int i = 0; i < 32; i++) {
            long input = x[i + 1] ^ x[i + 2] ^ x[i + 3] ^ roundKeys[decrypt ? 31 - i : i];
            long next = x[i];
            for (int select = 0; select < 4; select++) {
                next = ScalarCrypto.sm4ed(next, input, select);
            }
            x[i + 4] = (int) next;
        }
        ByteBuffer out = ByteBuffer.allocate(16);
        for (int index = 35; index >= 32; index--) {
            out.putInt(Integer.reverseBytes(x[index]));
        }
        return out.array();
    }

    /** The first {@code bits} bits of the fractional part of the {@code degree}-th root of the index-th prime. */
    private static BigInteger root(int index, int degree, int bits) {
        int prime = 2;
        for (int found = 0; found < index; found++) {
            prime++;
            while (!BigInteger.valueOf(prime).isProbablePrime(30)) {
                prime++;
            }
        }
        // floor(root(prime * 2^(degree * bits))) by bisection; its low bits are the fraction's first ones
        BigInteger target = BigInteger.valueOf(prime).shiftLeft(degree * bits);
        BigInteger low = BigInteger.ZERO;
        BigInteger high = BigInteger.ONE.shiftLeft(bits + 4);
        while (high.subtract(low).compareTo(BigInteger.ONE) > 0) {
            BigInteger middle = low.add(high).shiftRight(1);
            if (middle.pow(degree).compareTo(target) <= 0) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low.mod(BigInteger.ONE.shiftLeft(bits));
    }

    /** Merkle-Damgard padding: 0x80, zeros, the bit length in {@code lengthBytes} big-endian bytes. */
    private static ByteBuffer pad(byte[] message, int blockBytes, int lengthBytes) {
        int total = (message.length + 1 + lengthBytes + blockBytes - 1) / blockBytes * blockBytes;
        ByteBuffer padded = ByteBuffer.allocate(total);
        padded.put(message).put((byte) 0x80);
        padded.putLong(total - 8, 8L * message.length);
        padded.rewind();
        return padded;
    }

    private static long littleEndian(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] bytes(long low, long high) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(low).putLong(high).array();
    }
}
