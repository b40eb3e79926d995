package io.vmmlab.runtime.run;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.PendingTrap;
import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.sbi.SbiExtensionNames;

import java.util.HashMap;
import java.util.Map;

/**
 * Names the reason of an exit for an {@link ExitProfile}: the trap's cause ({@link TrapCause}'s report names), with
 * the instruction for illegal- and virtual-instruction traps (a privileged instruction the VMM emulates, such as
 * {@code csrrc sstatus}) and the a7 value of an ecall (an SBI extension, or a paravirtual hypercall's number).
 * Instruction encodings from the ISA manual: Zicsr's CSR instructions and the privileged volume's SYSTEM
 * instructions.
 */
final class ExitLabels {
    private static final int SYSTEM = 0x73;
    private static final String[] CSR_OPS = {null, "csrrw", "csrrs", "csrrc", null, "csrrwi", "csrrsi", "csrrci"};
    private static final Map<Integer, String> CSR_NAMES = csrNames();

    // Labels made so far, by cause and instruction bits (or a7): a profile asks again for every exit.
    private final Map<Long, String> instructionLabels = new HashMap<>();
    private final Map<Ecall, String> ecallLabels = new HashMap<>();
    private final Map<Integer, String> calloutLabels = new HashMap<>();

    /**
     * Returns the reason of a trap exit.
     *
     * @param trap the trap the hart handed over
     * @param hart the hart, for an ecall's a7
     * @return such as {@code "illegal-instruction: csrrs sstatus"}, {@code "ecall-from-s a7=0x54494d45 (sbi time)"}
     */
    String of(PendingTrap trap, Hart hart) {
        if (trap.isInterrupt()) {
            return "interrupt: " + TrapCause.interruptName(trap.code());
        }
        int code = trap.code();
        return switch (code) {
            case TrapCause.ILLEGAL_INSTRUCTION, TrapCause.VIRTUAL_INSTRUCTION -> instructionLabels.computeIfAbsent(
                    (long) code << 32 | (trap.tval() & 0xffff_ffffL), key -> withInstruction(code, trap.tval()));
            case TrapCause.ECALL_FROM_USER, TrapCause.ECALL_FROM_SUPERVISOR, TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR,
                 TrapCause.ECALL_FROM_MACHINE -> ecall(code, hart.register(17));
            default -> TrapCause.exceptionName(code);
        };
    }

    /**
     * Returns the reason of a callout: the instruction translated code called the VMM for.
     *
     * @param instruction the guest instruction
     * @return such as {@code "callout: csrrci sstatus"}
     */
    String ofCallout(int instruction) {
        return calloutLabels.computeIfAbsent(instruction, bits -> "callout: " + describe(bits));
    }

    private String ecall(int code, long a7) {
        return ecallLabels.computeIfAbsent(new Ecall(code, a7), key -> {
            String name = SbiExtensionNames.of(a7);
            // Legacy SBI numbers (0-8) are also paravirtual hypercall numbers: only named extensions are told apart.
            String known = a7 > 8 && !name.startsWith("unknown") ? " (sbi " + name + ")" : "";
            return TrapCause.exceptionName(code) + " a7=0x" + Long.toHexString(a7) + known;
        });
    }

    private static String withInstruction(int code, long tval) {
        String instruction = describe((int) tval);
        return instruction.isEmpty() ? TrapCause.exceptionName(code) : TrapCause.exceptionName(code) + ": " + instruction;
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
        if ((bits & 0x7f) != SYSTEM) {
            return String.format("instruction 0x%08x", bits);
        }
        int funct3 = (bits >>> 12) & 7;
        if (CSR_OPS[funct3] != null) {
            int csr = bits >>> 20;
            return CSR_OPS[funct3] + " " + CSR_NAMES.getOrDefault(csr, String.format("0x%03x", csr));
        }
        if (funct3 == 0) {
            String name = privileged(bits);
            if (name != null) {
                return name;
            }
        }
        return String.format("instruction 0x%08x", bits);
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
            default -> null;
        };
    }

    private static Map<Integer, String> csrNames() {
        Map<Integer, String> names = new HashMap<>();
        String[][] table = {
            {"001", "fflags"}, {"002", "frm"}, {"003", "fcsr"},
            {"c00", "cycle"}, {"c01", "time"}, {"c02", "instret"},
            {"100", "sstatus"}, {"104", "sie"}, {"105", "stvec"}, {"106", "scounteren"}, {"10a", "senvcfg"},
            {"140", "sscratch"}, {"141", "sepc"}, {"142", "scause"}, {"143", "stval"}, {"144", "sip"},
            {"14d", "stimecmp"}, {"180", "satp"},
            {"200", "vsstatus"}, {"204", "vsie"}, {"205", "vstvec"}, {"240", "vsscratch"}, {"241", "vsepc"},
            {"242", "vscause"}, {"243", "vstval"}, {"244", "vsip"}, {"24d", "vstimecmp"}, {"280", "vsatp"},
            {"600", "hstatus"}, {"602", "hedeleg"}, {"603", "hideleg"}, {"604", "hie"}, {"605", "htimedelta"},
            {"606", "hcounteren"}, {"607", "hgeie"}, {"60a", "henvcfg"}, {"643", "htval"}, {"644", "hip"},
            {"645", "hvip"}, {"64a", "htinst"}, {"680", "hgatp"}, {"e12", "hgeip"},
            {"300", "mstatus"}, {"301", "misa"}, {"302", "medeleg"}, {"303", "mideleg"}, {"304", "mie"},
            {"305", "mtvec"}, {"306", "mcounteren"}, {"30a", "menvcfg"}, {"320", "mcountinhibit"},
            {"340", "mscratch"}, {"341", "mepc"}, {"342", "mcause"}, {"343", "mtval"}, {"344", "mip"},
            {"34a", "mtinst"}, {"34b", "mtval2"}, {"b00", "mcycle"}, {"b02", "minstret"},
            {"f11", "mvendorid"}, {"f12", "marchid"}, {"f13", "mimpid"}, {"f14", "mhartid"},
        };
        for (String[] row : table) {
            names.put(Integer.parseInt(row[0], 16), row[1]);
        }
        return Map.copyOf(names);
    }

    private record Ecall(int cause, long a7) {
    }
}
