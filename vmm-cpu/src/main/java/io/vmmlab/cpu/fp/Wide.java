package io.vmmlab.cpu.fp;

/** A mutable unsigned 128-bit integer {@code high:low}, the working register of the fused multiply-add. */
final class Wide {
    long high;
    long low;

    Wide(long high, long low) {
        this.high = high;
        this.low = low;
    }

    int leadingZeros() {
        return high != 0 ? Long.numberOfLeadingZeros(high) : 64 + Long.numberOfLeadingZeros(low);
    }

    boolean isZero() {
        return (high | low) == 0;
    }

    void shiftLeft(int count) {
        if (count >= 64) {
            high = low << (count - 64);
            low = 0;
        } else if (count > 0) {
            high = (high << count) | (low >>> (64 - count));
            low <<= count;
        }
    }

    /** Shifts right, folding every bit shifted out into bit 0 (the sticky bit). */
    void shiftRightJam(int count) {
        if (count <= 0) {
            return;
        }
        boolean sticky;
        if (count >= 128) {
            sticky = !isZero();
            high = 0;
            low = 0;
        } else if (count >= 64) {
            sticky = low != 0 || (count > 64 && (high << (128 - count)) != 0);
            low = high >>> (count - 64);
            high = 0;
        } else {
            sticky = (low << (64 - count)) != 0;
            low = (low >>> count) | (high << (64 - count));
            high >>>= count;
        }
        if (sticky) {
            low |= 1;
        }
    }

    void add(Wide other) {
        long sum = low + other.low;
        high += other.high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        low = sum;
    }

    void subtract(Wide other) {
        long difference = low - other.low;
        high -= other.high + (Long.compareUnsigned(low, other.low) < 0 ? 1 : 0);
        low = difference;
    }

    int compareTo(Wide other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }
}
