package io.vmmlab.cpu.exec;

import io.vmmlab.api.cpu.TrapCause;
import io.vmmlab.api.memory.MemoryAccessException;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.cpu.csr.CsrFile;
import io.vmmlab.cpu.csr.HypervisorCsrs;
import io.vmmlab.cpu.decode.HypervisorLoadStore;
import io.vmmlab.cpu.mmu.AccessType;
import io.vmmlab.cpu.mmu.Mmu;
import io.vmmlab.cpu.rv64.HartState;
import io.vmmlab.cpu.trap.TrapException;
import io.vmmlab.cpu.trap.TrapUnit;

import static io.vmmlab.cpu.csr.CsrAddress.*;
import static io.vmmlab.cpu.decode.Opcodes.*;

/**
 * SYSTEM and fence instructions: Zicsr, ECALL/EBREAK, MRET/SRET, WFI, SFENCE.VMA, FENCE.I and the H extension's
 * HFENCE and HLV/HSV (privileged volume: "Machine-Mode Privileged Instructions", "Supervisor Instructions",
 * "Hypervisor Instructions"; the mstatus TW/TVM/TSR and hstatus VTW/VTVM/VTSR traps).
 *
 * <p>Every instruction here ends the interpreter's block, so privilege, translation and interrupt changes take
 * effect before the next instruction. The decoded form does not keep raw bits; the illegal-instruction trap
 * value is rebuilt from the fields, which is exact for these fully determined encodings.
 */
public final class SystemExecutor {
    /** Keep running. */
    public static final int CONTINUE = 0;
    /** WFI executed: the hart may stall until an interrupt is pending. */
    public static final int WAIT = 1;
    /**
     * The interpreter stopped at a callout instruction for the hart's handler ({@link Interpreter#handleCallouts}):
     * pc points at it and it has not retired; {@link Interpreter#calloutBits} gives its bits.
     */
    public static final int CALLOUT = 2;

    private final HartState state;
    private final CsrFile csrs;
    private final HypervisorCsrs hypervisor;
    private final TrapUnit traps;
    private final Mmu mmu;
    private final AtomicExecutor atomics;
    private final TrapException trap;
    private final Counter hfences;

    /**
     * Wires the executor.
     *
     * @param state registers and privilege
     * @param csrs the CSR file
     * @param traps trap returns
     * @param mmu fences and HLV/HSV translation
     * @param atomics whose reservation xRET clears
     * @param trap the hart's reusable trap
     * @param hfences counts executed HFENCE.VVMA/GVMA instructions (the flush itself is counted by the MMU)
     */
    public SystemExecutor(HartState state, CsrFile csrs, TrapUnit traps, Mmu mmu, AtomicExecutor atomics,
                          TrapException trap, Counter hfences) {
        this.state = state;
        this.csrs = csrs;
        this.hypervisor = csrs.hypervisor();
        this.traps = traps;
        this.mmu = mmu;
        this.atomics = atomics;
        this.trap = trap;
        this.hfences = hfences;
    }

    /**
     * Executes one SYSTEM or fence instruction. On return {@code state.pc} holds the next pc.
     *
     * @param word the packed word
     * @param immediate the decoded immediate
     * @param next the pc of the following instruction
     * @return {@link #CONTINUE} or {@link #WAIT}
     */
    public int execute(int word, int immediate, long next) {
        int op = op(word);
        int rd = rd(word);
        int rs1 = rs1(word);
        int rs2 = rs2(word);
        switch (op) {
            case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> csr(op, rd, rs1, immediate);
            case ECALL -> throw trap.raise(environmentCallCause(), 0);
            case EBREAK -> throw trap.raise(TrapCause.BREAKPOINT, state.pc);
            case MRET -> {
                if (state.mode != HartState.MACHINE) {
                    throw illegal(0x30200073);
                }
                atomics.clearReservation();
                traps.machineReturn();
                return CONTINUE;
            }
            case SRET -> {
                supervisorReturn();
                return CONTINUE;
            }
            case WFI -> {
                checkWaitForInterrupt();
                state.pc = next;
                return WAIT;
            }
            case SFENCE_VMA -> {
                checkSupervisorFence(0x12000073 | rs2 << 20 | rs1 << 15, true);
                if (rs2 != 0) {
                    mmu.fenceVma(rs1 == 0 ? -1 : state.x[rs1], state.x[rs2]);
                } else if (rs1 == 0) {
                    mmu.fenceVma();
                } else {
                    mmu.fenceVma(state.x[rs1]);
                }
            }
            case HFENCE_VVMA, HFENCE_GVMA -> {
                int bits = (op == HFENCE_VVMA ? 0x22000073 : 0x62000073) | rs2 << 20 | rs1 << 15;
                checkHypervisorInstruction(bits);
                if (op == HFENCE_GVMA && state.mode == HartState.SUPERVISOR && (csrs.mstatus & STATUS_TVM) != 0) {
                    throw illegal(bits);
                }
                hfences.increment();
                mmu.fenceVma();
                if (op == HFENCE_GVMA) {
                    mmu.fenceGuestStage();
                }
            }
            case FENCE_I -> mmu.fenceInstructions();
            case HYPERVISOR_LOAD_STORE -> hypervisorLoadStore(rd, rs1, rs2, immediate);
            default -> throw new IllegalStateException("not a system operation: " + op);
        }
        state.pc = next;
        return CONTINUE;
    }

    private TrapException illegal(int bits) {
        return trap.raise(TrapCause.ILLEGAL_INSTRUCTION, bits & 0xffff_ffffL);
    }

    private TrapException virtualInstruction(int bits) {
        return trap.raise(TrapCause.VIRTUAL_INSTRUCTION, bits & 0xffff_ffffL);
    }

    private int environmentCallCause() {
        return switch (state.mode) {
            case HartState.USER -> TrapCause.ECALL_FROM_USER;
            case HartState.SUPERVISOR -> state.virtual ? TrapCause.ECALL_FROM_VIRTUAL_SUPERVISOR
                    : TrapCause.ECALL_FROM_SUPERVISOR;
            default -> TrapCause.ECALL_FROM_MACHINE;
        };
    }

    private void csr(int op, int rd, int rs1, int csr) {
        int funct3 = switch (op) {
            case CSRRW -> 1;
            case CSRRS -> 2;
            case CSRRC -> 3;
            case CSRRWI -> 5;
            case CSRRSI -> 6;
            default -> 7;
        };
        int bits = csr << 20 | rs1 << 15 | funct3 << 12 | (rd == SINK ? 0 : rd) << 7 | 0x73;
        long[] x = state.x;
        long operand = funct3 >= 5 ? rs1 : x[rs1];
        boolean writes = funct3 == 1 || funct3 == 5 || rs1 != 0;
        boolean reads = !(funct3 == 1 || funct3 == 5) || rd != SINK;
        long old = reads ? csrs.read(csr, bits) : 0;
        if (writes) {
            long value = switch (funct3) {
                case 1, 5 -> operand;
                case 2, 6 -> csrs.readModifyWriteBase(csr, old) | operand;
                default -> csrs.readModifyWriteBase(csr, old) & ~operand;
            };
            csrs.write(csr, value, bits);
        }
        x[rd] = old;
    }

    private void supervisorReturn() {
        int bits = 0x10200073;
        if (state.mode == HartState.USER) {
            throw state.virtual ? virtualInstruction(bits) : illegal(bits);
        }
        atomics.clearReservation();
        if (state.virtual) {
            if ((hypervisor.hstatus & HSTATUS_VTSR) != 0) {
                throw virtualInstruction(bits);
            }
            traps.virtualSupervisorReturn();
            return;
        }
        if (state.mode == HartState.SUPERVISOR && (csrs.mstatus & STATUS_TSR) != 0) {
            throw illegal(bits);
        }
        traps.supervisorReturn();
    }

    private void checkWaitForInterrupt() {
        int bits = 0x10500073;
        if (state.mode == HartState.MACHINE) {
            return;
        }
        if ((csrs.mstatus & STATUS_TW) != 0) {
            throw illegal(bits);
        }
        if (state.virtual) {
            if (state.mode == HartState.USER || (hypervisor.hstatus & HSTATUS_VTW) != 0) {
                throw virtualInstruction(bits);
            }
        } else if (state.mode == HartState.USER) {
            throw illegal(bits);
        }
    }

    private void checkSupervisorFence(int bits, boolean sfence) {
        if (state.mode == HartState.USER) {
            throw state.virtual ? virtualInstruction(bits) : illegal(bits);
        }
        if (state.virtual && sfence && (hypervisor.hstatus & HSTATUS_VTVM) != 0) {
            throw virtualInstruction(bits);
        }
        if (!state.virtual && state.mode == HartState.SUPERVISOR && (csrs.mstatus & STATUS_TVM) != 0) {
            throw illegal(bits);
        }
    }

    private void checkHypervisorInstruction(int bits) {
        if (state.virtual) {
            throw virtualInstruction(bits);
        }
        if (state.mode == HartState.USER) {
            throw illegal(bits);
        }
    }

    private void hypervisorLoadStore(int rd, int rs1, int rs2, int selector) {
        int bits = (selector >>> 5) << 25 | rs2 << 20 | rs1 << 15 | 4 << 12 | (rd == SINK ? 0 : rd) << 7 | 0x73;
        if (state.virtual) {
            throw virtualInstruction(bits);
        }
        if (state.mode == HartState.USER && (hypervisor.hstatus & HSTATUS_HU) == 0) {
            throw illegal(bits);
        }
        long[] x = state.x;
        long va = x[rs1];
        int size = HypervisorLoadStore.size(selector);
        boolean store = HypervisorLoadStore.isStore(selector);
        int access = store ? AccessType.STORE : AccessType.LOAD;
        int mode = (hypervisor.hstatus & HSTATUS_SPVP) != 0 ? HartState.SUPERVISOR : HartState.USER;
        if ((va & (size - 1)) != 0) {
            throw trap.raise(AccessType.misaligned(access), va).fromVirtualMachineAccess(transformed(bits));
        }
        try {
            long pa = mmu.translateVirtual(va, access, size, mode, HypervisorLoadStore.isExecuteRead(selector));
            if (store) {
                mmu.memory().write(pa, size, x[rs2]);
                return;
            }
            long value = mmu.memory().read(pa, size);
            if (!HypervisorLoadStore.isUnsigned(selector)) {
                int shift = 64 - 8 * size;
                value = value << shift >> shift;
            }
            x[rd] = value;
        } catch (MemoryAccessException e) {
            throw trap.raise(AccessType.accessFault(access), va).fromVirtualMachineAccess(transformed(bits));
        } catch (TrapException fault) {
            throw fault.fromVirtualMachineAccess(transformed(bits));
        }
    }

    /** The transformed HLV/HLVX/HSV for htinst: the instruction with rs1 replaced by the address offset, 0. */
    private static long transformed(int bits) {
        return bits & ~(0x1f << 15) & 0xffff_ffffL;
    }
}
