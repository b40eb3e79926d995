package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.memory.Pte;

import java.util.Arrays;

/**
 * Guest memory as a debugger sees it from a hart: addresses are virtual, translated through the guest's page tables
 * ({@link Hypervisor#guestCsr} satp: vsatp in virtual mode, the guest's own under shadow paging; none in
 * M-mode), whatever the permissions, as GDB expects. Guest-physical addresses are the board's (every strategy maps
 * guest RAM 1:1); only guest RAM is reachable, never a device window or the VMM's memory.
 */
final class GuestAddressSpace {
    private static final int PAGE = 4096;

    private final GuestMemory memory;
    private final Hypervisor hypervisor;

    GuestAddressSpace(GuestMemory memory, Hypervisor hypervisor) {
        this.memory = memory;
        this.hypervisor = hypervisor;
    }

    /**
     * Reads bytes.
     *
     * @param hart whose view
     * @param address the first virtual address
     * @param length how many
     * @return the bytes, or null when a page is not mapped or not guest RAM
     */
    byte[] read(Hart hart, long address, int length) {
        byte[] bytes = readPrefix(hart, address, length);
        return bytes.length == length ? bytes : null;
    }

    /**
     * Reads bytes up to the first that is not mapped or not guest RAM.
     *
     * @param hart whose view
     * @param address the first virtual address
     * @param length how many at most
     * @return the bytes read, possibly none
     */
    byte[] readPrefix(Hart hart, long address, int length) {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            long va = address + done;
            int chunk = (int) Math.min(length - done, PAGE - (va & (PAGE - 1)));
            long pa = physical(hart, va);
            if (pa < 0 || !inRam(pa, chunk)) {
                break;
            }
            memory.read(pa, bytes, done, chunk);
            done += chunk;
        }
        return done == length ? bytes : Arrays.copyOf(bytes, done);
    }

    /**
     * Writes bytes (decoded code there is dropped, as for any host write).
     *
     * @param hart whose view
     * @param address the first virtual address
     * @param bytes what to write
     * @return false, writing nothing, when a page is not mapped or not guest RAM
     */
    boolean write(Hart hart, long address, byte[] bytes) {
        long[] physical = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) { // every page first: all or nothing
            physical[i] = physical(hart, address + i);
            if (physical[i] < 0 || !inRam(physical[i], 1)) {
                return false;
            }
        }
        for (int i = 0; i < bytes.length; i++) {
            memory.write8(physical[i], bytes[i]);
        }
        return true;
    }

    private boolean inRam(long pa, int length) {
        return memory.range().contains(pa, length);
    }

    /** The physical address of a virtual one from the hart's view, or -1 when it is not mapped. */
    long physical(Hart hart, long va) {
        if (hart.privilege() == PrivilegeMode.MACHINE) {
            return va;
        }
        long atp = hypervisor.guestCsr(hart, CsrNumbers.SATP);
        int levels = switch ((int) (atp >>> 60)) {
            case 8 -> 3;  // Sv39
            case 9 -> 4;  // Sv48
            case 10 -> 5; // Sv57
            default -> 0; // Bare
        };
        if (levels == 0) {
            return va;
        }
        int vaBits = 12 + 9 * levels;
        if (va << (64 - vaBits) >> (64 - vaBits) != va) {
            return -1; // not sign-extended: no mapping
        }
        long table = Pte.rootPpn(atp) << 12;
        for (int level = levels - 1; level >= 0; level--) {
            long entryAddress = table + ((va >>> (12 + 9 * level)) & 511) * 8;
            if (!inRam(entryAddress, 8)) {
                return -1;
            }
            long pte;
            try {
                pte = memory.read64(entryAddress);
            } catch (MemoryAccessException e) {
                return -1;
            }
            if ((pte & Pte.V) == 0 || (pte & (Pte.R | Pte.W)) == Pte.W) {
                return -1;
            }
            if (Pte.isLeaf(pte)) {
                long offsetMask = (1L << (12 + 9 * level)) - 1;
                return (Pte.address(pte) & ~offsetMask) | (va & offsetMask);
            }
            table = Pte.address(pte);
        }
        return -1;
    }
}
