/*
 * The floating-point kernels of bench-fp.elf (RV64IMAFDC, lp64d). Each one works in loops over arrays of
 * floats or doubles in memory and checks its result exactly, never within a tolerance: dmatmul, sstencil and
 * convert use values whose every operation is exact (or whose rounding is known), compared with an integer
 * computation; nbody and mandel, whose rounding is the point, check a mirror symmetry that IEEE arithmetic
 * keeps bit for bit and a checksum of their results recorded from qemu-system-riscv64.
 *
 * Built with -ffp-contract=fast, as GNU C is by default (-std=c11 turns it off), so a*b+c becomes fmadd and
 * friends as in typical compiled code; the exact checks hold either way, the checksums for this build.
 */
#include "bench.h"

/* xorshift64 (Marsaglia 2003): deterministic pseudo-random data, never zero for a nonzero seed. */
static uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static uint64_t seed_for(uint32_t repetition)
{
    return (repetition + 1) * 0x9e3779b97f4a7c15u | 1u;
}

/* A double in [-1, 1) from 53 random bits (fcvt.d.l and an exact scaling by 2^-52). */
static double random_unit(uint64_t *state)
{
    return (double) (int64_t) (xorshift64(state) >> 11) * 0x1p-52 - 1.0;
}

static uint64_t double_bits(double value)
{
    union {
        double value;
        uint64_t bits;
    } pun = { .value = value };
    return pun.bits;
}

/* ---- dmatmul: 64x64 double matrix multiply, exact by construction ---- */

#define DMATRIX_SIZE 64

static double dmatrix_a[DMATRIX_SIZE][DMATRIX_SIZE];
static double dmatrix_b[DMATRIX_SIZE][DMATRIX_SIZE];
static double dmatrix_c[DMATRIX_SIZE][DMATRIX_SIZE];

int kernel_dmatmul(uint32_t repetitions)
{
    const int64_t n = DMATRIX_SIZE;
    const int64_t sum_k = n * (n - 1) / 2;
    const int64_t sum_k_squared = (n - 1) * n * (2 * n - 1) / 6;
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        int32_t offset = (int32_t) (r & 0xff);
        for (int i = 0; i < DMATRIX_SIZE; i++) {
            for (int j = 0; j < DMATRIX_SIZE; j++) {
                dmatrix_a[i][j] = (double) (i + j + offset) * 0.5;  /* A[i][k] = (i + k + offset) / 2 */
                dmatrix_b[i][j] = (double) (i - j + offset) * 0.25; /* B[k][j] = (k - j + offset) / 4 */
                dmatrix_c[i][j] = 0.0;
            }
        }
        for (int i = 0; i < DMATRIX_SIZE; i++) {
            for (int k = 0; k < DMATRIX_SIZE; k++) {
                double a = dmatrix_a[i][k];
                for (int j = 0; j < DMATRIX_SIZE; j++) {
                    dmatrix_c[i][j] += a * dmatrix_b[k][j];
                }
            }
        }
        /*
         * Every product and partial sum is a multiple of 1/8 below 2^23, so exact: 8 C[i][j] is the integer
         * matmul's closed form, sum_k (x + k)(y + k) with x = i + offset, y = offset - j.
         */
        for (int i = 0; i < DMATRIX_SIZE; i++) {
            for (int j = 0; j < DMATRIX_SIZE; j++) {
                int64_t x = i + offset;
                int64_t y = offset - j;
                ok &= dmatrix_c[i][j] * 8.0 == (double) (n * x * y + (x + y) * sum_k + sum_k_squared);
            }
        }
    }
    return ok;
}

/* ---- sstencil: single-precision 3-point smoothing, exact by construction ---- */

#define STENCIL_LENGTH 4096
/* 8-bit integer inputs gain two fractional bits a step: after 8 steps they use all 24 bits of a float. */
#define STENCIL_STEPS 8

/* Element 0 and STENCIL_LENGTH + 1 are the zero boundary. */
static float stencil_even[STENCIL_LENGTH + 2];
static float stencil_odd[STENCIL_LENGTH + 2];
static int32_t stencil_input[STENCIL_LENGTH + 2];
static int32_t stencil_scratch[STENCIL_LENGTH + 2];
static int32_t stencil_expected[STENCIL_LENGTH + 2];

/* The same steps in integers with weights 1, 2, 1: 4^STENCIL_STEPS times the exact result, below 2^24. */
static void stencil_reference(void)
{
    int32_t *from = stencil_expected;
    int32_t *to = stencil_scratch;
    for (int i = 0; i <= STENCIL_LENGTH + 1; i++) {
        from[i] = stencil_input[i];
    }
    for (int step = 0; step < STENCIL_STEPS; step++) {
        for (int i = 1; i <= STENCIL_LENGTH; i++) {
            to[i] = from[i - 1] + 2 * from[i] + from[i + 1];
        }
        int32_t *swap = from;
        from = to;
        to = swap;
    }
    /* STENCIL_STEPS is even: the result is back in stencil_expected. */
}

int kernel_sstencil(uint32_t repetitions)
{
    uint64_t state = seed_for(0);
    for (int i = 1; i <= STENCIL_LENGTH; i++) {
        stencil_input[i] = (int32_t) (xorshift64(&state) & 0xff);
    }
    stencil_reference();

    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        for (int i = 1; i <= STENCIL_LENGTH; i++) {
            stencil_even[i] = (float) stencil_input[i];
        }
        float *from = stencil_even;
        float *to = stencil_odd;
        for (int step = 0; step < STENCIL_STEPS; step++) {
            for (int i = 1; i <= STENCIL_LENGTH; i++) {
                to[i] = 0.25f * from[i - 1] + 0.5f * from[i] + 0.25f * from[i + 1];
            }
            float *swap = from;
            from = to;
            to = swap;
        }
        for (int i = 0; i <= STENCIL_LENGTH + 1; i++) {
            ok &= from[i] == (float) stencil_expected[i] * 0x1p-16f; /* 4^-STENCIL_STEPS */
        }
    }
    return ok;
}

/* ---- nbody: softened gravity between 32 bodies, mirrored through the origin ---- */

#define NBODY_COUNT 32
#define NBODY_HALF (NBODY_COUNT / 2)
#define NBODY_STEPS 20
#define NBODY_SOFTENING 0.01
#define NBODY_TIME_STEP 0.001
/* The sum of the final positions' bits, from qemu-system-riscv64 7.2 running this build. */
#define NBODY_CHECKSUM UINT64_C(0xf87cb8c4a04a673e)

static double body_x[NBODY_COUNT], body_y[NBODY_COUNT], body_z[NBODY_COUNT];
static double body_vx[NBODY_COUNT], body_vy[NBODY_COUNT], body_vz[NBODY_COUNT];
static double body_ax[NBODY_COUNT], body_ay[NBODY_COUNT], body_az[NBODY_COUNT];
static double body_mass[NBODY_COUNT];

/* Body i + NBODY_HALF starts as body i mirrored through the origin, with the same mass. */
static void nbody_start(void)
{
    uint64_t state = seed_for(0);
    for (int i = 0; i < NBODY_HALF; i++) {
        body_x[i] = random_unit(&state);
        body_y[i] = random_unit(&state);
        body_z[i] = random_unit(&state);
        body_vx[i] = random_unit(&state) * 0.125;
        body_vy[i] = random_unit(&state) * 0.125;
        body_vz[i] = random_unit(&state) * 0.125;
        body_mass[i] = random_unit(&state) * 0.25 + 0.5;
        body_x[i + NBODY_HALF] = -body_x[i];
        body_y[i + NBODY_HALF] = -body_y[i];
        body_z[i + NBODY_HALF] = -body_z[i];
        body_vx[i + NBODY_HALF] = -body_vx[i];
        body_vy[i + NBODY_HALF] = -body_vy[i];
        body_vz[i + NBODY_HALF] = -body_vz[i];
        body_mass[i + NBODY_HALF] = body_mass[i];
    }
}

static void nbody_step(void)
{
    for (int i = 0; i < NBODY_COUNT; i++) {
        /*
         * Each body visits the others starting in its own half, so body i + NBODY_HALF adds the exact negations
         * of body i's terms in the same order, and the mirror symmetry holds bit for bit. The body itself adds 0.
         */
        int first = i & NBODY_HALF;
        double ax = 0.0;
        double ay = 0.0;
        double az = 0.0;
        for (int k = 0; k < NBODY_COUNT; k++) {
            int j = (first + k) & (NBODY_COUNT - 1);
            double dx = body_x[j] - body_x[i];
            double dy = body_y[j] - body_y[i];
            double dz = body_z[j] - body_z[i];
            double distance_squared = dx * dx + dy * dy + dz * dz + NBODY_SOFTENING;
            double s = body_mass[j] / (distance_squared * __builtin_sqrt(distance_squared));
            ax += dx * s;
            ay += dy * s;
            az += dz * s;
        }
        body_ax[i] = ax;
        body_ay[i] = ay;
        body_az[i] = az;
    }
    for (int i = 0; i < NBODY_COUNT; i++) {
        body_vx[i] += body_ax[i] * NBODY_TIME_STEP;
        body_vy[i] += body_ay[i] * NBODY_TIME_STEP;
        body_vz[i] += body_az[i] * NBODY_TIME_STEP;
        body_x[i] += body_vx[i] * NBODY_TIME_STEP;
        body_y[i] += body_vy[i] * NBODY_TIME_STEP;
        body_z[i] += body_vz[i] * NBODY_TIME_STEP;
    }
}

int kernel_nbody(uint32_t repetitions)
{
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        nbody_start();
        for (int step = 0; step < NBODY_STEPS; step++) {
            nbody_step();
        }
        uint64_t checksum = 0;
        for (int i = 0; i < NBODY_HALF; i++) {
            int m = i + NBODY_HALF;
            ok &= body_x[i] == -body_x[m] && body_y[i] == -body_y[m] && body_z[i] == -body_z[m];
            ok &= body_vx[i] == -body_vx[m] && body_vy[i] == -body_vy[m] && body_vz[i] == -body_vz[m];
            checksum += double_bits(body_x[i]) + double_bits(body_y[i]) + double_bits(body_z[i]);
        }
        ok &= checksum == NBODY_CHECKSUM;
    }
    return ok;
}

/* ---- mandel: Mandelbrot iteration counts on a grid symmetric about the real axis ---- */

#define MANDEL_WIDTH 64
#define MANDEL_HEIGHT 48
#define MANDEL_LIMIT 128
/* The sum of all counts, from qemu-system-riscv64 7.2 running this build. */
#define MANDEL_TOTAL 109532u

static double mandel_real[MANDEL_WIDTH];
static uint16_t mandel_counts[MANDEL_HEIGHT][MANDEL_WIDTH];

static uint32_t mandel_point(double cr, double ci)
{
    double zr = 0.0;
    double zi = 0.0;
    uint32_t n = 0;
    while (n < MANDEL_LIMIT) {
        double zr_squared = zr * zr;
        double zi_squared = zi * zi;
        if (zr_squared + zi_squared > 4.0) {
            break;
        }
        zi = 2.0 * zr * zi + ci;
        zr = zr_squared - zi_squared + cr;
        n++;
    }
    return n;
}

int kernel_mandel(uint32_t repetitions)
{
    for (int column = 0; column < MANDEL_WIDTH; column++) {
        mandel_real[column] = -2.0 + column * (2.5 / MANDEL_WIDTH);
    }
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        for (int row = 0; row < MANDEL_HEIGHT; row++) {
            /* Rows row and MANDEL_HEIGHT - 1 - row get exactly opposite imaginary parts. */
            double ci = (double) (2 * row - (MANDEL_HEIGHT - 1)) * (1.25 / MANDEL_HEIGHT);
            for (int column = 0; column < MANDEL_WIDTH; column++) {
                mandel_counts[row][column] = (uint16_t) mandel_point(mandel_real[column], ci);
            }
        }
        /* z and its conjugate iterate with exactly opposite imaginary parts, so the counts are symmetric. */
        uint32_t total = 0;
        for (int row = 0; row < MANDEL_HEIGHT; row++) {
            for (int column = 0; column < MANDEL_WIDTH; column++) {
                ok &= mandel_counts[row][column] == mandel_counts[MANDEL_HEIGHT - 1 - row][column];
                total += mandel_counts[row][column];
            }
        }
        ok &= total == MANDEL_TOTAL;
    }
    return ok;
}

/* ---- convert: integer <-> float and double conversions, checked against integer rounding ---- */

#define CONVERT_LENGTH 1024
#define CONVERT_PASSES 8

static int64_t convert_source[CONVERT_LENGTH];
static int64_t convert_expected_double[CONVERT_LENGTH];
static int64_t convert_expected_float[CONVERT_LENGTH];
static int64_t convert_expected_double_float[CONVERT_LENGTH];
static double convert_double[CONVERT_LENGTH];
static float convert_float[CONVERT_LENGTH];
static double convert_widened[CONVERT_LENGTH];
static double convert_word[CONVERT_LENGTH];
static double convert_unsigned_word[CONVERT_LENGTH];

static int bit_width(uint64_t x)
{
    int width = 0;
    for (int shift = 32; shift > 0; shift >>= 1) {
        if ((x >> shift) != 0) {
            x >>= shift;
            width += shift;
        }
    }
    return width + (x != 0);
}

/* v rounded to `bits` significant bits, to nearest, ties to even: what fcvt.d.l (53) and fcvt.s.l (24) do. */
static int64_t round_to_precision(int64_t v, int bits)
{
    uint64_t magnitude = v < 0 ? -(uint64_t) v : (uint64_t) v;
    int width = bit_width(magnitude);
    if (width <= bits) {
        return v;
    }
    int shift = width - bits;
    uint64_t kept = magnitude >> shift;
    uint64_t rest = magnitude & ((UINT64_C(1) << shift) - 1);
    uint64_t half = UINT64_C(1) << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) != 0)) {
        kept++;
    }
    magnitude = kept << shift;
    return v < 0 ? -(int64_t) magnitude : (int64_t) magnitude;
}

/* A signed value below 2^58 in magnitude, from 19 to 58 bits wide; one in eight is a tie for a double, one in
   eight for a float. */
static int64_t convert_value(uint64_t bits, int i)
{
    uint64_t magnitude;
    switch (i & 7) {
    case 0:
        magnitude = UINT64_C(1) << 57 | (bits >> 11) << 5 | UINT64_C(1) << 4;
        break;
    case 4:
        magnitude = UINT64_C(1) << 57 | (bits >> 40) << 34 | UINT64_C(1) << 33;
        break;
    default:
        magnitude = (bits >> 6) >> (bits & 63) % 40;
        break;
    }
    return (bits & 1) != 0 ? -(int64_t) magnitude : (int64_t) magnitude;
}

int kernel_convert(uint32_t repetitions)
{
    int ok = 1;
    for (uint32_t r = 0; r < repetitions; r++) {
        uint64_t state = seed_for(r);
        for (int i = 0; i < CONVERT_LENGTH; i++) {
            int64_t v = convert_value(xorshift64(&state), i);
            convert_source[i] = v;
            convert_expected_double[i] = round_to_precision(v, 53);
            convert_expected_float[i] = round_to_precision(v, 24);
            convert_expected_double_float[i] = round_to_precision(convert_expected_double[i], 24);
        }
        /*
         * Negation and scaling by a power of two commute with the rounding: each pass checks new values. The
         * conversions go through memory, where gcc cannot fold a round trip that it knows to be exact.
         */
        for (int pass = 0; pass < CONVERT_PASSES; pass++) {
            int64_t factor = ((pass & 1) != 0 ? -1 : 1) * (INT64_C(1) << (pass >> 1));
            for (int i = 0; i < CONVERT_LENGTH; i++) {
                int64_t v = convert_source[i] * factor;
                convert_double[i] = (double) v;
                convert_float[i] = (float) v;
                convert_widened[i] = (double) (float) v;
                convert_word[i] = (double) (int32_t) v;
                convert_unsigned_word[i] = (double) (uint32_t) v;
            }
            for (int i = 0; i < CONVERT_LENGTH; i++) {
                int64_t v = convert_source[i] * factor;
                int64_t rounded = convert_expected_double[i] * factor;
                int64_t rounded_float = convert_expected_float[i] * factor;
                double d = convert_double[i];
                ok &= (int64_t) d == rounded;
                ok &= (int64_t) (d * 0.5) == rounded / 2; /* both truncate toward zero */
                ok &= (int64_t) convert_float[i] == rounded_float;
                ok &= (int64_t) convert_widened[i] == rounded_float;
                ok &= (int64_t) (float) d == convert_expected_double_float[i] * factor; /* rounded twice */
                ok &= (int32_t) convert_word[i] == (int32_t) v;
                ok &= (uint32_t) convert_unsigned_word[i] == (uint32_t) v;
                ok &= (int32_t) (float) (int32_t) (v >> 40) == (int32_t) (v >> 40); /* below 2^24: exact */
            }
        }
    }
    return ok;
}
