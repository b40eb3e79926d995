package io.vmmlab.fullvirt.translate;

import io.vmmlab.api.memory.GuestMemory;

import java.util.Set;

/**
 * Translates one block of guest-kernel code into the {@link TranslationCache} (ISA manual, unprivileged volume,
 * "RV32I", "RV64I" and "C" chapters for the encodings).
 *
 * <p>A block starts at a guest pc, stays in one guest page and ends at the first control transfer, the page end
 * or {@value #MAX_INSTRUCTIONS} instructions. Ordinary instructions (arithmetic, loads, stores, AMOs, fences,
 * user-level CSR reads) are copied unchanged, compressed ones in their compressed form, so a fault on them is the
 * guest's fault on the same instruction. Everything whose meaning depends on where the code runs or on privilege
 * is rewritten, since translated code runs in the cache's window and in the hart's U-mode:
 * <ul>
 *   <li>AUIPC becomes a constant load of the guest value into rd (LUI/ADDI/SLLI on rd only);</li>
 *   <li>JAL (and C.J) sets rd to the guest return address the same way, then leaves through a jump stub;</li>
 *   <li>a conditional branch (and C.BEQZ/C.BNEZ) becomes the same branch over a fall-through stub to a taken
 *       stub; a stub is a callout until its target is translated, then (when source and target are in the same
 *       guest page) it is patched into a direct JAL inside the cache;</li>
 *   <li>JALR (C.JR, C.JALR) becomes an indirect-jump callout that writes the guest link and looks the guest target
 *       up;</li>
 *   <li>sensitive instructions (SYSTEM except user-level CSR accesses, FENCE.I, custom-0) become callouts.</li>
 * </ul>
 */
final class BlockTranslator {
    /** Longest block, in guest instructions. */
    static final int MAX_INSTRUCTIONS = 32;
    /** Cache space a block may need at most: every instruction a 64-bit constant load plus a stub. */
    static final int MAX_BLOCK_BYTES = MAX_INSTRUCTIONS * 40 + 16;
    private static final int SYSTEM = 0x73;

    private final TranslationCache cache;
    private final GuestMemory guestRam;

    BlockTranslator(TranslationCache cache, GuestMemory guestRam) {
        this.cache = cache;
        this.guestRam = guestRam;
    }

    /**
     * Translates the block at a guest pc whose first halfword is at a known guest-physical address.
     *
     * @param start the guest-virtual pc
     * @param startPhysical its guest-physical address
     * @param fetch translation of further code addresses (for an instruction crossing into the next page)
     * @return the cache offset of the block, or {@code -(1 + exception code)} when its first instruction cannot
     *         be fetched; the caller ensures {@link #MAX_BLOCK_BYTES} are free
     */
    long translate(long start, long startPhysical, GuestCodeFetch fetch) {
        int blockOffset = cache.position();
        long pageVa = start & ~0xfffL;
        long pagePhysical = startPhysical & ~0xfffL;
        long pc = start;
        for (int count = 0; count < MAX_INSTRUCTIONS; count++) {
            if ((pc & ~0xfffL) != pageVa) {
                break;
            }
            long physical = pagePhysical | (pc & 0xfff);
            int bits = guestRam.read16(physical);
            int length = 2;
            Set<Long> pages = Set.of(pagePhysical);
            boolean crossing = false;
            if ((bits & 3) == 3) {
                length = 4;
                if ((pc & 0xfff) == 0xffe) {
                    if (count > 0) {
                        break; // a block of its own
                    }
                    long next = fetch.translate(pc + 2);
                    if (next < 0) {
                        return next;
                    }
                    bits |= guestRam.read16(next) << 16;
                    pages = Set.of(pagePhysical, next & ~0xfffL);
                    crossing = true;
                } else {
                    bits |= guestRam.read16(physical + 2) << 16;
                }
            }
            cache.addEntry(pc, cache.position(), physical, pages);
            boolean ends = length == 4 ? translate32(pc, bits, pagePhysical, !crossing)
                    : translate16(pc, bits, pagePhysical);
            pc += length;
            if (ends) {
                return blockOffset;
            }
        }
        stub(pc, pc, pagePhysical, (pc & ~0xfffL) == pageVa);
        return blockOffset;
    }

    private boolean translate32(long pc, int bits, long page, boolean chainable) {
        int rd = (bits >>> 7) & 31;
        int rs1 = (bits >>> 15) & 31;
        int rs2 = (bits >>> 20) & 31;
        int funct3 = (bits >>> 12) & 7;
        switch (bits & 0x7f) {
            case 0x17 -> { // AUIPC
                if (rd != 0) {
                    Rv64Encoder.loadConstant(rd, pc + (bits & 0xffff_f000), insn -> cache.emit32(insn, pc));
                }
                return false;
            }
            case 0x6f -> { // JAL
                int imm = ((bits >>> 31) & 1) << 20 | ((bits >>> 21) & 0x3ff) << 1 | ((bits >>> 20) & 1) << 11
                        | ((bits >>> 12) & 0xff) << 12;
                long target = pc + (imm << 11 >> 11);
                link(rd, pc, pc + 4);
                stub(pc, target, page, chainable && sameGuestPage(pc, target));
                return true;
            }
            case 0x67 -> { // JALR
                if (funct3 != 0) {
                    break;
                }
                cache.emitCallout(Callout.indirect(pc, rd, rs1, bits >> 20, pc + 4));
                return true;
            }
            case 0x63 -> { // branches
                if (funct3 == 2 || funct3 == 3) {
                    break;
                }
                int imm = ((bits >>> 31) & 1) << 12 | ((bits >>> 7) & 1) << 11 | ((bits >>> 25) & 0x3f) << 5
                        | ((bits >>> 8) & 0xf) << 1;
                branch(pc, funct3, rs1, rs2, pc + (imm << 19 >> 19), pc + 4, page, chainable);
                return true;
            }
            case SYSTEM -> {
                boolean csr = funct3 != 0 && funct3 != 4;
                if (csr && ((bits >>> 28) & 3) == 0) {
                    break; // a user-level CSR: the hart checks it as for any U-mode code
                }
                cache.emitCallout(Callout.sensitive(pc, bits));
                if (csr) {
                    return false;
                }
                stub(pc, pc + 4, page, false);
                return true;
            }
            case 0x0f -> { // MISC-MEM: FENCE.I is sensitive (it invalidates translations)
                if (funct3 == 1) {
                    cache.emitCallout(Callout.sensitive(pc, bits));
                    stub(pc, pc + 4, page, false);
                    return true;
                }
            }
            case 0x0b -> { // custom-0: the callout opcode itself, illegal for the guest
                cache.emitCallout(Callout.sensitive(pc, bits));
                stub(pc, pc + 4, page, false);
                return true;
            }
            default -> {
            }
        }
        cache.emit32(bits, pc);
        return false;
    }

    private boolean translate16(long pc, int bits, long page) {
        int quadrant = bits & 3;
        int funct3 = (bits >>> 13) & 7;
        if (quadrant == 1 && funct3 == 5) { // C.J
            int imm = ((bits >>> 12) & 1) << 11 | ((bits >>> 11) & 1) << 4 | ((bits >>> 9) & 3) << 8
                    | ((bits >>> 8) & 1) << 10 | ((bits >>> 7) & 1) << 6 | ((bits >>> 6) & 1) << 7
                    | ((bits >>> 3) & 7) << 1 | ((bits >>> 2) & 1) << 5;
            long target = pc + (imm << 20 >> 20);
            stub(pc, target, page, sameGuestPage(pc, target));
            return true;
        }
        if (quadrant == 1 && funct3 >= 6) { // C.BEQZ, C.BNEZ
            int imm = ((bits >>> 12) & 1) << 8 | ((bits >>> 10) & 3) << 3 | ((bits >>> 5) & 3) << 6
                    | ((bits >>> 3) & 3) << 1 | ((bits >>> 2) & 1) << 5;
            int rs1 = 8 + ((bits >>> 7) & 7);
            branch(pc, funct3 == 6 ? 0 : 1, rs1, 0, pc + (imm << 23 >> 23), pc + 2, page, true);
            return true;
        }
        if (quadrant == 2 && funct3 == 4 && ((bits >>> 2) & 31) == 0) {
            int rs1 = (bits >>> 7) & 31;
            boolean link = ((bits >>> 12) & 1) != 0;
            if (rs1 == 0 && link) { // C.EBREAK
                cache.emitCallout(Callout.sensitive(pc, 0x0010_0073));
                stub(pc, pc + 2, page, false);
                return true;
            }
            if (rs1 != 0) { // C.JR, C.JALR
                cache.emitCallout(Callout.indirect(pc, link ? 1 : 0, rs1, 0, pc + 2));
                return true;
            }
        }
        cache.emit16(bits, pc);
        return false;
    }

    private void branch(long pc, int funct3, int rs1, int rs2, long taken, long fallThrough, long page,
                        boolean chainable) {
        cache.emit32(Rv64Encoder.branchSkipOne(funct3, rs1, rs2), pc);
        stub(pc, fallThrough, page, chainable && sameGuestPage(pc, fallThrough));
        stub(pc, taken, page, chainable && sameGuestPage(pc, taken));
    }

    private void link(int rd, long pc, long value) {
        if (rd != 0) {
            Rv64Encoder.loadConstant(rd, value, insn -> cache.emit32(insn, pc));
        }
    }

    private void stub(long pc, long target, long page, boolean chainable) {
        cache.emitCallout(Callout.jump(pc, target, page, chainable));
    }

    private static boolean sameGuestPage(long a, long b) {
        return (a & ~0xfffL) == (b & ~0xfffL);
    }
}
