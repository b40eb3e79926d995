/*
 * The integer kernels. Each one checks its own result against a value that is known
 * independently of the code under test (a published constant or a closed form), so a
 * wrong instruction in the machine running the guest shows up as check=FAIL.
 */
#include "bench.h"

/* xorshift32 (Marsaglia 2003): deterministic pseudo-random data, never zero for a nonzero seed. */
static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t seed_for(uint32_t repetition)
{
    return (repetition + 1) * 0x9e3779b9u | 1u;
}

/* ---- crc32: table-driven CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320) ---- */

#define CRC_LENGTH 4096
#define CRC_CHECK 0xcbf43926u   /* CRC-32 of "123456789" */
#define CRC_RESIDUE 0x2144df1cu /* CRC-32 of any message followed by its own CRC, little-endian */

static uint32_t crc_table[256];
static uint8_t crc_buffer[CRC_LENGTH + 4];

static uint32_t crc32(const uint8_t *data, size_t length)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < length; i++) {
        crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

int kernel_crc32(uint32_t repetitions)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++) {
            c = (c & 1) != 0 ? (c >> 1) ^ 0xedb88320u : c >> 1;
        }
        crc_table[i] = c;
    }
    int ok = crc32((const uint8_t *) "123456789", 9) == CRC_CHECK;

    uint32_t state = seed_for(0);
    for (size_t i = 0; i < CRC_LENGTH; i++) {
        crc_buffer[i] = (uint8_t) xorshift32(&state);
    }
    for (uint32_t r = 0; r < repetitions; r++) {
        crc_buffer[r % CRC_LENGTH] ^= (uint8_t) (r * 131 + 7);
        uint32_t crc = crc32(crc_buffer, CRC_LENGTH);
        for (int b = 0; b < 4; b++) {
            crc_buffer[CRC_LENGTH + b] = (uint8_t) (crc >> (8 * b));
        }
        ok &= crc32(crc_buffer, CRC_LENGTH + 4) == CRC_RESIDUE;
    }
    return ok;
}

/* ---- sieve: sieve of Eratosthenes up to 100000 ---- */

#define SIEVE_LIMIT 100000
#define SIEVE_PRIME_COUNT 9592    /* pi(10^5) */
#define SIEVE_PRIME_SUM 454396537 /* sum of the primes below 10^5 */

static uint8_t sieve_composite[SIEVE_LIMIT + 1];

int kernel_sieve(uint32_t repetitions)
{
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        memset(sieve_composite, 0, sizeof sieve_composite);
        for (uint32_t i = 2; i * i <= SIEVE_LIMIT; i++) {
            if (!sieve_composite[i]) {
                for (uint32_t j = i * i; j <= SIEVE_LIMIT; j += i) {
                    sieve_composite[j] = 1;
                }
            }
        }
        uint32_t count = 0;
        uint64_t sum = 0;
        for (uint32_t i = 2; i <= SIEVE_LIMIT; i++) {
            if (!sieve_composite[i]) {
                count++;
                sum += i;
            }
        }
        ok &= count == SIEVE_PRIME_COUNT && sum == SIEVE_PRIME_SUM;
    }
    return ok;
}

/* ---- matmul: 64x64 int32 matrix multiply, checked against a closed form ---- */

#define MATRIX_SIZE 64

static int32_t matrix_a[MATRIX_SIZE][MATRIX_SIZE];
static int32_t matrix_b[MATRIX_SIZE][MATRIX_SIZE];
static int32_t matrix_c[MATRIX_SIZE][MATRIX_SIZE];

int kernel_matmul(uint32_t repetitions)
{
    const int64_t n = MATRIX_SIZE;
    const int64_t sum_k = n * (n - 1) / 2;
    const int64_t sum_k_squared = (n - 1) * n * (2 * n - 1) / 6;
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        int32_t offset = (int32_t) (r & 0xff);
        for (int i = 0; i < MATRIX_SIZE; i++) {
            for (int j = 0; j < MATRIX_SIZE; j++) {
                matrix_a[i][j] = i + j + offset; /* A[i][k] = i + k + offset */
                matrix_b[i][j] = i - j + offset; /* B[k][j] = k - j + offset */
                matrix_c[i][j] = 0;
            }
        }
        for (int i = 0; i < MATRIX_SIZE; i++) {
            for (int k = 0; k < MATRIX_SIZE; k++) {
                int32_t a = matrix_a[i][k];
                for (int j = 0; j < MATRIX_SIZE; j++) {
                    matrix_c[i][j] += a * matrix_b[k][j];
                }
            }
        }
        /* C[i][j] = sum_k (x + k)(y + k) = n*x*y + (x + y)*sum(k) + sum(k^2), x = i + offset, y = offset - j */
        for (int i = 0; i < MATRIX_SIZE; i++) {
            for (int j = 0; j < MATRIX_SIZE; j++) {
                int64_t x = i + offset;
                int64_t y = offset - j;
                ok &= matrix_c[i][j] == n * x * y + (x + y) * sum_k + sum_k_squared;
            }
        }
    }
    return ok;
}

/* ---- sort: quicksort of 8192 pseudo-random words, checked for order and multiset sums ---- */

#define SORT_LENGTH 8192
#define SORT_INSERTION_CUTOFF 16

static uint32_t sort_array[SORT_LENGTH];

static void insertion_sort(uint32_t *a, size_t length)
{
    for (size_t i = 1; i < length; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Hoare partition around the median of three; recurse into the smaller half, loop on the larger. */
static void quicksort(uint32_t *a, size_t length)
{
    while (length > SORT_INSERTION_CUTOFF) {
        uint32_t x = a[0];
        uint32_t y = a[length / 2];
        uint32_t z = a[length - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0;
        size_t j = length - 1;
        for (;;) {
            while (a[i] < pivot) {
                i++;
            }
            while (a[j] > pivot) {
                j--;
            }
            if (i >= j) {
                break;
            }
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        size_t left = j + 1;
        if (left < length - left) {
            quicksort(a, left);
            a += left;
            length -= left;
        } else {
            quicksort(a + left, length - left);
            length = left;
        }
    }
    insertion_sort(a, length);
}

int kernel_sort(uint32_t repetitions)
{
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        uint32_t state = seed_for(r);
        uint64_t sum = 0;
        uint32_t xor = 0;
        for (size_t i = 0; i < SORT_LENGTH; i++) {
            uint32_t v = xorshift32(&state);
            sort_array[i] = v;
            sum += v;
            xor ^= v;
        }
        quicksort(sort_array, SORT_LENGTH);
        uint64_t sorted_sum = sort_array[0];
        uint32_t sorted_xor = sort_array[0];
        for (size_t i = 1; i < SORT_LENGTH; i++) {
            ok &= sort_array[i - 1] <= sort_array[i];
            sorted_sum += sort_array[i];
            sorted_xor ^= sort_array[i];
        }
        ok &= sorted_sum == sum && sorted_xor == xor;
    }
    return ok;
}

/* ---- list: pointer chase around a randomly permuted cyclic list of 4096 nodes ---- */

#define LIST_LENGTH 4096
#define LIST_LAPS 16

struct list_node {
    struct list_node *next;
    uint64_t value;
};

static struct list_node list_nodes[LIST_LENGTH];
static uint32_t list_order[LIST_LENGTH];

int kernel_list(uint32_t repetitions)
{
    const uint64_t lap_sum = (uint64_t) LIST_LENGTH * (LIST_LENGTH - 1) / 2;
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        /* Fisher-Yates shuffle, then link the nodes in shuffled order into a single cycle. */
        uint32_t state = seed_for(r);
        for (uint32_t i = 0; i < LIST_LENGTH; i++) {
            list_order[i] = i;
        }
        for (uint32_t i = LIST_LENGTH - 1; i > 0; i--) {
            uint32_t j = xorshift32(&state) % (i + 1);
            uint32_t t = list_order[i];
            list_order[i] = list_order[j];
            list_order[j] = t;
        }
        for (uint32_t i = 0; i < LIST_LENGTH; i++) {
            struct list_node *node = &list_nodes[list_order[i]];
            node->next = &list_nodes[list_order[(i + 1) % LIST_LENGTH]];
            node->value = list_order[i];
        }

        struct list_node *head = &list_nodes[list_order[0]];
        uint32_t cycle_length = 0;
        const struct list_node *node = head;
        do {
            cycle_length++;
            node = node->next;
        } while (node != head);
        ok &= cycle_length == LIST_LENGTH;

        uint64_t sum = 0;
        for (uint32_t step = 0; step < LIST_LENGTH * LIST_LAPS; step++) {
            sum += node->value;
            node = node->next;
        }
        ok &= node == head && sum == LIST_LAPS * lap_sum;
    }
    return ok;
}

/* ---- string: byte-wise memcpy/strlen/strcmp/strchr-like routines over 4 KiB buffers ---- */

#define STRING_CAPACITY 4096

static char string_source[STRING_CAPACITY];
static char string_copy[STRING_CAPACITY];

static __attribute__((noinline)) void buffer_copy(char *destination, const char *source, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        destination[i] = source[i];
    }
}

static __attribute__((noinline)) size_t string_length(const char *s)
{
    const char *p = s;
    while (*p != '\0') {
        p++;
    }
    return (size_t) (p - s);
}

static __attribute__((noinline)) int string_compare(const char *left, const char *right)
{
    while (*left != '\0' && *left == *right) {
        left++;
        right++;
    }
    return (int) (uint8_t) *left - (int) (uint8_t) *right;
}

static __attribute__((noinline)) const char *string_find(const char *s, char c)
{
    for (; *s != '\0'; s++) {
        if (*s == c) {
            return s;
        }
    }
    return 0;
}

int kernel_string(uint32_t repetitions)
{
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        uint32_t state = seed_for(r);
        size_t length = STRING_CAPACITY - 1 - (r % 64);
        size_t marker = (r * 37u) % length;
        for (size_t i = 0; i < length; i++) {
            string_source[i] = (char) ('a' + xorshift32(&state) % 26);
        }
        string_source[marker] = '#';
        string_source[length] = '\0';

        buffer_copy(string_copy, string_source, length + 1);
        ok &= string_length(string_copy) == length;
        ok &= string_compare(string_source, string_copy) == 0;
        ok &= string_find(string_copy, '#') == string_copy + marker;
        ok &= string_find(string_copy, '!') == 0;

        string_copy[length - 1] = '~'; /* '~' sorts after every letter and '#' */
        ok &= string_compare(string_source, string_copy) < 0;
        ok &= string_compare(string_copy, string_source) > 0;
        string_copy[length / 2] = '\0';
        ok &= string_length(string_copy) == length / 2;
        ok &= string_compare(string_copy, string_source) < 0;
    }
    return ok;
}
