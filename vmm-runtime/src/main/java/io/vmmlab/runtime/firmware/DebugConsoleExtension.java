package io.vmmlab.runtime.firmware;

import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;

/**
 * The Debug Console extension (SBI spec v2.0, chapter 12): write and read buffers given by guest-physical
 * address, and write one byte. A buffer outside guest memory is refused with "invalid parameter". A write sends at
 * most {@link #MAX_WRITE_BYTES} and says how many it sent, as the spec allows ("partial writes"): one call cannot
 * hold the machine for as long as printing all of a guest's RAM would take.
 */
final class DebugConsoleExtension implements SbiExtension {
    static final long ID = 0x4442_434eL;
    /** The most bytes one write sends; the rest is the caller's to send again (the spec allows partial writes). */
    static final int MAX_WRITE_BYTES = 64 << 10;

    @Override
    public long[] ids() {
        return new long[] {ID};
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        if (call.function() < 0 || call.function() > Integer.MAX_VALUE) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        return switch ((int) call.function()) {
            case 0 -> write(call.a0(), call.a1(), call.a2(), platform);
            case 1 -> read(call.a0(), call.a1(), call.a2(), platform);
            case 2 -> {
                platform.console().write((int) call.a0() & 0xff);
                yield SbiResult.success(0);
            }
            default -> SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        };
    }

    private static SbiResult write(long length, long addressLow, long addressHigh, SbiPlatform platform) {
        if (addressHigh != 0 || length < 0 || length > Integer.MAX_VALUE
                || !platform.memory().range().contains(addressLow, Math.max(length, 1))) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        long count = Math.min(length, MAX_WRITE_BYTES);
        try {
            for (long i = 0; i < count; i++) {
                platform.console().write(platform.memory().read8(addressLow + i));
            }
        } catch (MemoryAccessException e) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        return SbiResult.success(count);
    }

    private static SbiResult read(long length, long addressLow, long addressHigh, SbiPlatform platform) {
        if (addressHigh != 0 || length < 0 || length > Integer.MAX_VALUE
                || !platform.memory().range().contains(addressLow, Math.max(length, 1))) {
            return SbiResult.error(SbiResult.ERR_INVALID_PARAM);
        }
        long count = 0;
        while (count < length) {
            int value = platform.console().read();
            if (value < 0) {
                break;
            }
            platform.memory().write8(addressLow + count, value);
            count++;
        }
        return SbiResult.success(count);
    }
}
