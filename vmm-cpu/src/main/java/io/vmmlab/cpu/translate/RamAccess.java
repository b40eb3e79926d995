package io.vmmlab.cpu.translate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The loads and stores of translated code on the RAM's host array ({@code ArrayBackedMemory}): one small static
 * method per width, which HotSpot always inlines, so that a guest load is a TLB probe plus one host load (the
 * array's own bounds check is the JVM's safety net; the TLB probe already limited the access to a RAM page).
 * Values are little-endian; loads return the RV64 register value (sign- or zero-extended).
 */
final class RamAccess {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RamAccess() {
    }

    static long lb(byte[] ram, int index) {
        return ram[index];
    }

    static long lbu(byte[] ram, int index) {
        return ram[index] & 0xffL;
    }

    static long lh(byte[] ram, int index) {
        return (short) SHORT.get(ram, index);
    }

    static long lhu(byte[] ram, int index) {
        return (short) SHORT.get(ram, index) & 0xffffL;
    }

    static long lw(byte[] ram, int index) {
        return (int) INT.get(ram, index);
    }

    static long lwu(byte[] ram, int index) {
        return (int) INT.get(ram, index) & 0xffff_ffffL;
    }

    static long ld(byte[] ram, int index) {
        return (long) LONG.get(ram, index);
    }

    static void sb(byte[] ram, int index, long value) {
        ram[index] = (byte) value;
    }

    static void sh(byte[] ram, int index, long value) {
        SHORT.set(ram, index, (short) value);
    }

    static void sw(byte[] ram, int index, long value) {
        INT.set(ram, index, (int) value);
    }

    static void sd(byte[] ram, int index, long value) {
        LONG.set(ram, index, value);
    }
}
