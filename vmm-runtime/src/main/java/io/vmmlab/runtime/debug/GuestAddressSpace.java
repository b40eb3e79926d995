package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.GuestPageTables;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Guest memory as a debugger sees it from a hart: addresses are virtual, translated through the guest's page tables
 * ({@link Hypervisor#guestCsr} satp: vsatp in virtual mode, the guest's own under shadow paging; none in M-mode) with
 * vmm-api's {@link GuestPageTables}, whatever the permissions, as GDB expects. Guest-physical addresses are the
 * board's (every strategy maps guest RAM 1:1); only guest RAM is reachable, never a device window or the VMM's memory.
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
        long[] pages = pages(hart, address, length);
        byte[] bytes = new byte[length];
        int done = 0;
        for (int i = 0; i < pages.length && pages[i] >= 0; i++) {
            int chunk = chunk(address + done, length - done);
            memory.read(pages[i], bytes, done, chunk);
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
        long[] pages = pages(hart, address, bytes.length);
        if (Arrays.stream(pages).anyMatch(page -> page < 0)) { // every page first: all or nothing
            return false;
        }
        int done = 0;
        for (long page : pages) {
            int chunk = chunk(address + done, bytes.length - done);
            memory.write(page, bytes, done, chunk);
            done += chunk;
        }
        return true;
    }

    /**
     * Reads the instruction at a virtual address, whatever its page's permissions.
     *
     * @param hart whose view
     * @param va the instruction's address
     * @return the instruction (a compressed one in the low 16 bits), or empty when it cannot be read
     */
    OptionalInt instruction(Hart hart, long va) {
        return GuestPageTables.instruction(memory, atp(hart), va, 0);
    }

    /**
     * The physical address of each page-sized piece of a range (the first piece up to its page's end), -1 from the
     * first piece that is not mapped or not guest RAM.
     */
    private long[] pages(Hart hart, long address, int length) {
        if (length == 0) {
            return new long[0];
        }
        long atp = atp(hart);
        long[] pages = new long[(int) (((address & (PAGE - 1)) + length + PAGE - 1) / PAGE)];
        int done = 0;
        boolean mapped = true;
        for (int i = 0; i < pages.length; i++) {
            int chunk = chunk(address + done, length - done);
            long pa = mapped ? GuestPageTables.physical(memory, atp, address + done, 0) : -1;
            mapped = pa >= 0 && memory.range().contains(pa, chunk);
            pages[i] = mapped ? pa : -1;
            done += chunk;
        }
        return pages;
    }

    /** The length of a range's piece that starts at {@code va}: up to the end of its page. */
    private static int chunk(long va, int left) {
        return (int) Math.min(left, PAGE - (va & (PAGE - 1)));
    }

    /** The translation a hart's accesses go through: none in M-mode (MPRV aside), else the guest's satp. */
    private long atp(Hart hart) {
        return hart.privilege() == PrivilegeMode.MACHINE ? 0 : hypervisor.guestCsr(hart, CsrNumbers.SATP);
    }
}
