package io.vmmlab.fullvirt.translate;

/**
 * What one callout instruction in the translation cache stands for.
 *
 * @param kind what the VMM does when the hart reaches it
 * @param guestPc the guest-virtual pc of the guest instruction it replaces
 * @param bits for {@link Kind#SENSITIVE}: the guest instruction; for {@link Kind#INDIRECT}: the JALR's
 *             {@code rd | rs1 << 5}
 * @param target for {@link Kind#JUMP}: the guest-virtual target; for {@link Kind#INDIRECT}: the immediate
 * @param link for {@link Kind#INDIRECT}: the guest return address written to rd; for {@link Kind#JUMP}: the
 *             guest-physical page the stub's block was translated from
 * @param chainable for {@link Kind#JUMP}: whether the stub may be patched into a direct jump to the target's
 *                  translation (source and target in the same guest page)
 */
record Callout(Kind kind, long guestPc, int bits, long target, long link, boolean chainable) {

    /** Callout kinds. */
    enum Kind {
        /** A sensitive guest-kernel instruction (CSR access, SRET, SFENCE.VMA, WFI, ECALL, EBREAK, FENCE.I ...). */
        SENSITIVE,
        /** Leaves the block for a guest pc known at translation time (branch, JAL, fall-through). */
        JUMP,
        /** A JALR: the target is in a register. */
        INDIRECT
    }

    static Callout sensitive(long guestPc, int bits) {
        return new Callout(Kind.SENSITIVE, guestPc, bits, 0, 0, false);
    }

    static Callout jump(long guestPc, long target, long sourcePage, boolean chainable) {
        return new Callout(Kind.JUMP, guestPc, 0, target, sourcePage, chainable);
    }

    static Callout indirect(long guestPc, int rd, int rs1, int imm, long link) {
        return new Callout(Kind.INDIRECT, guestPc, rd | rs1 << 5, imm, link, false);
    }
}
