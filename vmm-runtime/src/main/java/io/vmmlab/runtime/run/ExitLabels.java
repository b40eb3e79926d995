package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.api.sbi.SbiExtensionNames;

import java.util.HashMap;
import java.util.Map;

/**
 * Names the reason of an exit for an {@link ExitProfile}: the trap's cause ({@link TrapCause}'s report names), with
 * the instruction for illegal- and virtual-instruction traps (a privileged instruction the VMM emulates, such as
 * {@code csrrc sstatus}) and the a7 value of an ecall (named when it is an SBI extension or a call of the VMM's own
 * ABI, such as a paravirtual hypercall: {@link Hypervisor#ecallName}).
 * Instruction encodings from the ISA manual: Zicsr's CSR instructions, FENCE.I, and the privileged volume's SYSTEM
 * instructions (with the H extension's HLV/HSV and Svinval's).
 */
final class ExitLabels {
    private static final int SYSTEM = 0x73;
    private static final String[] CSR_OPS = {null, "csrrw", "csrrs", "csrrc", null, "csrrwi", "csrrsi", "csrrci"};
    private static final int ECALL = 0x73;
    private static final int FENCE_I = 0x100f;
    private static final int CALLOUT = -1; // an Ecall key's cause for a callout

    // Labels made so far, by cause and instruction bits (or a7): a profile asks again for every exit.
    private final Map<Long, String> instructionLabels = new HashMap<>();
    private final Map<Ecall, String> ecallLabels = new HashMap<>();
    private final Map<Integer, String> calloutLabels = new HashMap<>();

    /**
     * Returns the reason of a trap exit.
     *
     * @param trap the trap the hart handed over
     * @param hart the hart, for an ecall's a7
     * @param hypervisor the VMM, which may name an ecall of its own ABI
     * @return such as {@code "illegal-instruction: csrrs sstatus"}, {@code "ecall-from-s a7=0x54494d45 (sbi time)"}
     */
    String of(PendingTrap trap, Hart hart, Hypervisor hypervisor) {
        if (trap.isInterrupt()) {
            return "interrupt: " + TrapCause.interruptName(trap.code());
        }
        int code = trap.code();
        return switch (code) {
            case TrapCause.ILLEGAL_INSTRUCTION, TrapCause.VIRTUAL_INSTRUCTION -> instructionLabels.computeIfAbsent(
                    (long) code << 32 | (trap.tval() & 0xffff_ffffL), key -> withInstruction(code, trap.tval()));
            case TrapCause.ECALL_FROM_USER, TrapCause.ECALL_FROM_SUPERVISOR, TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR,
                 TrapCause.ECALL_FROM_MACHINE -> ecall(code, hart.register(17), hypervisor);
            default -> TrapCause.exceptionName(code);
        };
    }

    /**
     * Returns the reason of a callout: the instruction translated code called the VMM for (an ecall with its a7).
     *
     * @param instruction the guest instruction
     * @param hart the hart, for an ecall's a7
     * @return such as {@code "callout: csrrci sstatus"}, {@code "callout: ecall a7=0x54494d45 (sbi time)"}
     */
    String ofCallout(int instruction, Hart hart) {
        if (instruction == ECALL) {
            return ecallLabels.computeIfAbsent(new Ecall(CALLOUT, hart.register(17)),
                    key -> "callout: ecall " + a7(key.a7()));
        }
        return calloutLabels.computeIfAbsent(instruction, bits -> {
            String instructionName = describe(bits);
            return instructionName.isEmpty() ? "callout" : "callout: " + instructionName;
        });
    }

    private String ecall(int code, long a7, Hypervisor hypervisor) {
        return ecallLabels.computeIfAbsent(new Ecall(code, a7), key -> TrapCause.exceptionName(code) + " "
                + hypervisor.ecallName(a7).map(name -> "a7=0x" + Long.toHexString(a7) + " (" + name + ")")
                .orElseGet(() -> a7(a7)));
    }

    /** An ecall's a7, named when it is a non-legacy SBI extension (legacy numbers 0-8 have no name of their own). */
    private static String a7(long a7) {
        String name = SbiExtensionNames.of(a7);
        String known = a7 > 8 && !name.startsWith("unknown") ? " (sbi " + name + ")" : "";
        return "a7=0x" + Long.toHexString(a7) + known;
    }

    private static String withInstruction(int code, long tval) {
        String instruction = describe((int) tval);
        String cause = TrapCause.exceptionName(code);
        return instruction.isEmpty() ? cause : cause + ": " + instruction;
    }

    /**
     * Describes an instruction the VMM is asked to emulate: a CSR access with its register's name, another SYSTEM
     * instruction by its mnemonic, anything else by its bits; empty when the trap carries no bits (xtval 0).
     *
     * @param bits the instruction, as xtval has it (16 bits for a compressed one)
     * @return the description
     */
    static String describe(int bits) {
        if (bits == 0) {
            return "";
        }
        if ((bits & 3) != 3) {
            return String.format("instruction 0x%04x", bits & 0xffff);
        }
        if ((bits & 0x707f) == FENCE_I) {
            return "fence.i";
        }
        if ((bits & 0x7f) != SYSTEM) {
            return String.format("instruction 0x%08x", bits);
        }
        int funct3 = (bits >>> 12) & 7;
        if (CSR_OPS[funct3] != null) {
            return CSR_OPS[funct3] + " " + CsrNumbers.name(bits >>> 20);
        }
        String name = switch (funct3) {
            case 0 -> privileged(bits);
            case 4 -> hypervisorLoadStore(bits);
            default -> null;
        };
        return name != null ? name : String.format("instruction 0x%08x", bits);
    }

    /** The SYSTEM instructions with funct3 = 0, by their funct7/rs2 fields (rd and, for fences, rs1/rs2 free). */
    private static String privileged(int bits) {
        int funct12 = bits >>> 20;
        int funct7 = bits >>> 25;
        if ((bits & 0x000f_8f80) == 0) { // rs1 = rd = 0
            switch (funct12) {
                case 0x000: return "ecall";
                case 0x001: return "ebreak";
                case 0x102: return "sret";
                case 0x302: return "mret";
                case 0x105: return "wfi";
                case 0x180: return "sfence.w.inval";
                case 0x181: return "sfence.inval.ir";
                default: break;
            }
        }
        if ((bits & 0xf80) != 0) {
            return null;
        }
        return switch (funct7) {
            case 0x09 -> "sfence.vma";
            case 0x11 -> "hfence.vvma";
            case 0x31 -> "hfence.gvma";
            case 0x0b -> "sinval.vma";
            case 0x13 -> "hinval.vvma";
            case 0x33 -> "hinval.gvma";
            default -> null;
        };
    }

    /** HLV, HLVX and HSV (SYSTEM, funct3 = 4): funct7 holds the size (bits 2:1) and whether it stores (bit 0). */
    private static String hypervisorLoadStore(int bits) {
        int funct7 = bits >>> 25;
        int rs2 = (bits >>> 20) & 31;
        if ((funct7 & 0x78) != 0x30) {
            return null;
        }
        String size = String.valueOf("bhwd".charAt((funct7 >>> 1) & 3));
        if ((funct7 & 1) != 0) {
            return ((bits >>> 7) & 31) == 0 ? "hsv." + size : null;
        }
        return switch (rs2) {
            case 0 -> "hlv." + size;
            case 1 -> size.equals("d") ? null : "hlv." + size + "u";
            case 3 -> size.equals("h") || size.equals("w") ? "hlvx." + size + "u" : null;
            default -> null;
        };
    }

    private record Ecall(int cause, long a7) {
    }
}
