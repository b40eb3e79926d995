package io.vmmlab.cpu.rv64;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.vmmlab.cpu.testing.Assembler.*;

/**
 * A fuzzing helper for {@link LongFuzzCampaign}: one random program of one generator dimension, as items (2- or
 * 4-byte instructions, some with targets resolved at layout), plus the initial state it runs from.
 *
 * <p>Registers: x1, x3..x7, x9..x21 are random (the only ones random instructions write); x2 and x8 point into the
 * data area (compressed SP- and x8-relative accesses), x22 = program + 0x800 (self-modifying stores), x23 the word
 * a self-modifying store writes, x24/x25 loop counters, x26 the trap log's base, x27/x29 the handler's scratch,
 * x28 the log pointer, x30 the data area, x31 the edge pointer (near a page boundary, the end of RAM, ...).
 */
final class FuzzProgram {
    enum Dim { BASE, LOOPS, RVC, ATOMIC, EDGE, SMC, CSR, TRAPS, INTERRUPTS, NOC, X0, LONG, PAGING }

    static final long BASE_ADDRESS = 0x8000_0000L;
    static final long HANDLER = BASE_ADDRESS + 0x3000;
    static final long LOG = BASE_ADDRESS + 0x3800;
    static final long DATA = BASE_ADDRESS + 0xc000;
    static final int[] POOL = {1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
    static final int[] CPOOL = {9, 10, 11, 12, 13, 14, 15};

    // Item kinds.
    static final int FIXED = 0;
    static final int BRANCH = 1; // a = funct3, b = rs1, c = rs2
    static final int JAL = 2; // a = rd
    static final int CBRANCH = 3; // a = 6 (beqz) or 7 (bnez), b = rs1'
    static final int CJ = 4;
    static final int JALR = 5; // after an AUIPC rT item: a = rd, b = rT, partner = the AUIPC's index
    static final int ADDI_TARGET = 6; // after an AUIPC rT item: b = rT, target relative to the AUIPC
    static final int SMC_STORE = 7; // sw x23, target - (prog + 0x800)(x22)

    static final class Item {
        int kind;
        int size;
        int word;
        int a;
        int b;
        int c;
        int target = -1; // item index (items.size() = the final WFI)
        int partner = -1;
        int perturb;
        boolean noTarget; // inside a sequence that jumps must not enter (auipc+jalr, the SMC's li+store)
        boolean replaceable; // a plain ALU instruction a self-modifying store may overwrite
        String note = "";

        Item(int kind, int size, int word) {
            this.kind = kind;
            this.size = size;
            this.word = word;
        }
    }

    final Dim dim;
    final boolean compressed;
    final long seed;
    final List<Item> items = new ArrayList<>();
    final long[] registers = new long[32];
    long mscratch;
    long prog;
    int ramSize;
    int ramKind; // 0 FlatRam, 1 OffHeapRam
    long edge;
    long dataSeed;
    long scheduleSeed;
    // PAGING: the leaf PTEs of the eight data pages at VA_DATA (Sv39; root, L1 and L0 tables at PT_ROOT..PT_L0).
    final long[] dataPtes = new long[8];
    // PAGING: the L1 entry after the data pages' table (PT_L1 + 8): a 2 MiB leaf at VA_SUPER onto RAM's first 2 MiB.
    long superPte;
    static final long VA_DATA = 0x1_0000_0000L;
    static final long VA_SUPER = VA_DATA + 0x20_0000;
    static final long PT_ROOT = BASE_ADDRESS + 0x4000;
    static final long PT_L1 = BASE_ADDRESS + 0x5000;
    static final long PT_L0 = BASE_ADDRESS + 0x6000;
    // Loops: [start item, end item] of each loop body, inclusive (the end is the closing branch).
    final List<int[]> loops = new ArrayList<>();

    private final Random random;

    FuzzProgram(long seed, Dim dim) {
        this.seed = seed;
        this.dim = dim;
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + dim.ordinal());
        this.compressed = dim != Dim.NOC;
        generate();
    }

    /** A copy with the same state and items (for shrinking), items deep-copied. */
    FuzzProgram(FuzzProgram other) {
        this.seed = other.seed;
        this.dim = other.dim;
        this.random = new Random(0);
        this.compressed = other.compressed;
        for (Item item : other.items) {
            Item copy = new Item(item.kind, item.size, item.word);
            copy.a = item.a;
            copy.b = item.b;
            copy.c = item.c;
            copy.target = item.target;
            copy.partner = item.partner;
            copy.perturb = item.perturb;
            copy.replaceable = item.replaceable;
            copy.noTarget = item.noTarget;
            copy.note = item.note;
            items.add(copy);
        }
        System.arraycopy(other.registers, 0, registers, 0, 32);
        mscratch = other.mscratch;
        prog = other.prog;
        ramSize = other.ramSize;
        ramKind = other.ramKind;
        edge = other.edge;
        dataSeed = other.dataSeed;
        scheduleSeed = other.scheduleSeed;
        System.arraycopy(other.dataPtes, 0, dataPtes, 0, 8);
        superPte = other.superPte;
        loops.addAll(other.loops);
    }

    String isa() {
        return compressed ? "rv64imac" : "rv64ima";
    }

    boolean referenceSupported() {
        return dim != Dim.CSR && dim != Dim.INTERRUPTS && dim != Dim.PAGING;
    }

    // ---- layout and encoding ----

    long[] addresses() {
        long[] addresses = new long[items.size() + 1];
        long address = prog;
        for (int i = 0; i < items.size(); i++) {
            addresses[i] = address;
            address += items.get(i).size;
        }
        addresses[items.size()] = address;
        return addresses;
    }

    /** The program's bytes from {@link #prog}, ending with WFI. */
    byte[] encode() {
        long[] at = addresses();
        int length = (int) (at[items.size()] - prog) + 4;
        byte[] bytes = new byte[length];
        for (int n = 0; n < items.size(); n++) {
            Item item = items.get(n);
            int word = encodeItem(item, n, at);
            int offset = (int) (at[n] - prog);
            for (int k = 0; k < item.size; k++) {
                bytes[offset + k] = (byte) (word >>> (8 * k));
            }
        }
        int end = (int) (at[items.size()] - prog);
        int wfi = wfi();
        for (int k = 0; k < 4; k++) {
            bytes[end + k] = (byte) (wfi >>> (8 * k));
        }
        return bytes;
    }

    private int encodeItem(Item item, int n, long[] at) {
        int offset = item.target >= 0 ? (int) (at[item.target] - at[n]) + item.perturb : 0;
        return switch (item.kind) {
            case BRANCH -> bType(item.a, item.b, item.c, offset);
            case JAL -> jal(item.a, offset);
            case CBRANCH -> cBranch(item.a, item.b, offset);
            case CJ -> cJ(offset);
            case JALR -> jalr(item.a, item.b, (int) (at[item.target] - at[item.partner]) + item.perturb);
            case ADDI_TARGET -> addi(item.b, item.b, (int) (at[item.target] - at[item.partner]) + item.perturb);
            case SMC_STORE -> sw(23, 22, (int) (at[item.target] - (prog + 0x800)));
            default -> item.word;
        };
    }

    // ---- compressed encoders (the generator's own; FuzzReference decodes independently) ----

    static int cBranch(int funct3, int rs1, int offset) {
        return funct3 << 13 | ((offset >> 8) & 1) << 12 | ((offset >> 3) & 3) << 10 | (rs1 - 8) << 7
                | ((offset >> 6) & 3) << 5 | ((offset >> 1) & 3) << 3 | ((offset >> 5) & 1) << 2 | 1;
    }

    static int cJ(int offset) {
        return 5 << 13 | ((offset >> 11) & 1) << 12 | ((offset >> 4) & 1) << 11 | ((offset >> 8) & 3) << 9
                | ((offset >> 10) & 1) << 8 | ((offset >> 6) & 1) << 7 | ((offset >> 7) & 1) << 6
                | ((offset >> 1) & 7) << 3 | ((offset >> 5) & 1) << 2 | 1;
    }

    private static int ci(int funct3, int rd, int imm6, int op) {
        return funct3 << 13 | ((imm6 >> 5) & 1) << 12 | rd << 7 | (imm6 & 31) << 2 | op;
    }

    private int compressedPlain() {
        int rd = pick(POOL);
        int rdp = pick(CPOOL);
        int rs2p = 8 + random.nextInt(8);
        int imm6 = random.nextInt(64) - 32;
        switch (random.nextInt(16)) {
            case 0:
                return ci(0, rd, imm6 == 0 ? 1 : imm6, 1); // C.ADDI
            case 1:
                return ci(1, rd, imm6, 1); // C.ADDIW
            case 2:
                return ci(2, rd, imm6, 1); // C.LI
            case 3:
                return ci(3, rd, imm6 == 0 ? 5 : imm6, 1); // C.LUI
            case 4: {
                int shamt = 1 + random.nextInt(63);
                int funct2 = random.nextInt(3); // SRLI, SRAI, ANDI
                int value = funct2 == 2 ? imm6 : shamt;
                return 4 << 13 | ((value >> 5) & 1) << 12 | funct2 << 10 | (rdp - 8) << 7 | (value & 31) << 2 | 1;
            }
            case 5: {
                boolean word = random.nextInt(3) == 0;
                int f = random.nextInt(word ? 2 : 4);
                return 4 << 13 | (word ? 1 : 0) << 12 | 3 << 10 | (rdp - 8) << 7 | f << 5 | (rs2p - 8) << 2 | 1;
            }
            case 6:
                return ci(0, rd, 1 + random.nextInt(63), 2); // C.SLLI
            case 7:
                return 0x8000 | rd << 7 | pick(POOL) << 2 | 2; // C.MV
            case 8:
                return 0x9000 | rd << 7 | (random.nextInt(31) + 1) << 2 | 2; // C.ADD
            case 9: {
                int uimm = 4 * random.nextInt(64); // C.LWSP
                return 2 << 13 | ((uimm >> 5) & 1) << 12 | rd << 7 | ((uimm >> 2) & 7) << 4 | ((uimm >> 6) & 3) << 2 | 2;
            }
            case 10: {
                int uimm = 8 * random.nextInt(64); // C.LDSP
                return 3 << 13 | ((uimm >> 5) & 1) << 12 | rd << 7 | ((uimm >> 3) & 3) << 5 | ((uimm >> 6) & 7) << 2 | 2;
            }
            case 11: {
                int uimm = 4 * random.nextInt(64); // C.SWSP
                return 6 << 13 | ((uimm >> 2) & 15) << 9 | ((uimm >> 6) & 3) << 7 | (random.nextInt(32)) << 2 | 2;
            }
            case 12: {
                int uimm = 8 * random.nextInt(64); // C.SDSP
                return 7 << 13 | ((uimm >> 3) & 7) << 10 | ((uimm >> 6) & 7) << 7 | (random.nextInt(32)) << 2 | 2;
            }
            case 13: {
                boolean store = random.nextBoolean();
                boolean doubleword = random.nextBoolean();
                int funct3 = (store ? 6 : 2) + (doubleword ? 1 : 0);
                int reg = store ? rs2p : rdp;
                if (doubleword) {
                    int uimm = 8 * random.nextInt(32);
                    return funct3 << 13 | ((uimm >> 3) & 7) << 10 | 0 << 7 | ((uimm >> 6) & 3) << 5 | (reg - 8) << 2;
                }
                int uimm = 4 * random.nextInt(32);
                return funct3 << 13 | ((uimm >> 3) & 7) << 10 | 0 << 7 | ((uimm >> 2) & 1) << 6
                        | ((uimm >> 6) & 1) << 5 | (reg - 8) << 2;
            }
            case 14: {
                int uimm = 4 * (1 + random.nextInt(255)); // C.ADDI4SPN
                return ((uimm >> 4) & 3) << 11 | ((uimm >> 6) & 15) << 7 | ((uimm >> 2) & 1) << 6
                        | ((uimm >> 3) & 1) << 5 | (rdp - 8) << 2;
            }
            default: {
                int nz = 16 * (random.nextInt(8) - 4); // C.ADDI16SP (small, keeps sp near the data)
                if (nz == 0) {
                    nz = 16;
                }
                return 3 << 13 | ((nz >> 9) & 1) << 12 | 2 << 7 | ((nz >> 4) & 1) << 6 | ((nz >> 6) & 1) << 5
                        | ((nz >> 7) & 3) << 3 | ((nz >> 5) & 1) << 2 | 1;
            }
        }
    }

    // ---- generation ----

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }

    private Item add(Item item) {
        items.add(item);
        return item;
    }

    private Item fixed(int word) {
        return add(new Item(FIXED, (word & 3) == 3 ? 4 : 2, word));
    }

    private void generate() {
        ramSize = random.nextInt(4) == 0 ? 60 << 10 : 64 << 10;
        ramKind = random.nextInt(4) == 0 ? 1 : 0;
        boolean crossPage = (dim == Dim.RVC || dim == Dim.EDGE || dim == Dim.SMC) && random.nextInt(3) == 0;
        prog = crossPage ? BASE_ADDRESS + 0x1000 - 2 * (1 + random.nextInt(compressed ? 256 : 128)) * (compressed ? 1 : 2)
                : BASE_ADDRESS + 0x800 + 4 * random.nextInt(64);
        dataSeed = random.nextLong();
        scheduleSeed = random.nextLong();
        mscratch = random.nextLong();
        for (int r : POOL) {
            registers[r] = DifferentialTest.interesting(random);
        }
        registers[2] = DATA + 0x800;
        registers[8] = DATA + 0x400;
        registers[22] = prog + 0x800;
        registers[24] = random.nextInt(4);
        registers[25] = random.nextInt(4);
        registers[26] = LOG;
        registers[28] = LOG;
        registers[30] = DATA;
        edge = switch (dim == Dim.EDGE || dim == Dim.ATOMIC ? random.nextInt(4) : 9) {
            case 0 -> DATA + 0x1000 - 8 + random.nextInt(16); // a page boundary inside RAM
            case 1 -> BASE_ADDRESS + ramSize - 16 + random.nextInt(24); // the end of RAM
            case 2 -> BASE_ADDRESS - 8 + random.nextInt(16); // the start of RAM
            default -> DATA + 0x100;
        };
        registers[31] = edge;
        if (dim == Dim.PAGING) {
            for (int i = 0; i < 8; i++) {
                dataPtes[i] = randomPte();
            }
            registers[30] = VA_DATA + 0x1000L * random.nextInt(6);
            registers[2] = VA_DATA + 0x800 + 0x1000L * random.nextInt(6);
            registers[8] = VA_DATA + 0x400 + 0x1000L * random.nextInt(7);
            edge = VA_DATA + 0x1000L * (1 + random.nextInt(7)) - 8 + random.nextInt(16);
            registers[31] = edge;
            registers[22] = PT_L0;
            superPte = randomSuperPte();
            if (random.nextBoolean()) {
                // the data pages through the superpage, at two pages of it: a fence at x8's must reach x2's too
                registers[8] = VA_SUPER + 0xb400 + 0x1000L * random.nextInt(3);
                registers[2] = registers[8] + 0x1000 + 0x400;
            }
        }
        int length = 60 + random.nextInt(200);
        emitBody(length, 0);
        // Keep self-modifying offsets and the program inside their ranges.
        while (addresses()[items.size()] - prog > 0xf00) {
            items.remove(items.size() - 1);
        }
        resolveTargets();
    }

    /** Emits about {@code count} items at loop depth {@code depth}. */
    private void emitBody(int count, int depth) {
        int end = items.size() + count;
        while (items.size() < end) {
            emitOne(depth);
        }
    }

    private void emitOne(int depth) {
        int choice = random.nextInt(100);
        switch (dim) {
            case LOOPS -> {
                if (choice < 8 && depth < 2) {
                    emitLoop(depth);
                    return;
                }
            }
            case RVC -> {
                if (choice < 45) {
                    fixed(compressedPlain()).replaceable = false;
                    return;
                }
                if (choice < 52) {
                    Item branch = add(new Item(CBRANCH, 2, 0));
                    branch.a = random.nextBoolean() ? 6 : 7;
                    branch.b = 8 + random.nextInt(8);
                    branch.target = -2;
                    return;
                }
                if (choice < 55) {
                    add(new Item(CJ, 2, 0)).target = -2;
                    return;
                }
                if (choice < 58) {
                    // auipc rT; addi rT, rT, target; c.jr/c.jalr rT
                    int rT = pick(POOL);
                    int auipcIndex = items.size();
                    fixed(auipc(rT, 0));
                    Item addi = add(new Item(ADDI_TARGET, 4, 0));
                    addi.b = rT;
                    addi.partner = auipcIndex;
                    addi.target = -3; // forward, past the jump
                    addi.perturb = random.nextInt(3) == 0 ? 1 : 0; // bit 0 is cleared by the jump
                    addi.noTarget = true;
                    fixed((random.nextBoolean() ? 0x8002 : 0x9002) | rT << 7).noTarget = true;
                    return;
                }
                if (choice < 60) {
                    fixed(random.nextInt(3) == 0 ? 0x9002 : 0x0001); // C.EBREAK, C.NOP
                    return;
                }
                if (choice < 63 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            case ATOMIC -> {
                if (choice < 25) {
                    emitAtomic();
                    return;
                }
            }
            case EDGE -> {
                if (choice < 25) {
                    int rd = pick(POOL);
                    int disp = random.nextInt(48) - 24;
                    int baseRegister = random.nextInt(8) == 0 ? pick(POOL) : 31;
                    fixed(random.nextBoolean() ? load(random.nextInt(7), rd, baseRegister, disp)
                            : sType(random.nextInt(4), baseRegister, pick(POOL), disp));
                    return;
                }
                if (choice < 28) {
                    fixed(addi(31, 31, random.nextInt(33) - 16)); // walk the edge pointer
                    return;
                }
                if (choice < 32 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            case SMC -> {
                if (choice < 10) {
                    Item hi;
                    int word = compressed && random.nextInt(3) == 0
                            ? (compressedPlain() & 0xffff) | compressedPlain() << 16 : plainAlu();
                    int low = (word << 20) >> 20;
                    int high = (word - low) >>> 12;
                    hi = fixed(lui(23, high));
                    hi.note = "smc";
                    Item lo = fixed(addi(23, 23, low));
                    lo.note = "smc";
                    lo.noTarget = true;
                    Item store = add(new Item(SMC_STORE, 4, 0));
                    store.noTarget = true;
                    store.target = random.nextInt(3) == 0 ? -5 : -4; // -4: a later item; -5: any item
                    store.note = String.format("writes %08x", word);
                    return;
                }
                if (choice < 16 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
                if (compressed && choice < 25) {
                    fixed(compressedPlain()).replaceable = false;
                    return;
                }
            }
            case CSR -> {
                if (choice < 20) {
                    emitCsr();
                    return;
                }
                if (choice < 24 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            case TRAPS -> {
                if (choice < 10) {
                    int[] traps = {ecall(), ebreak(), 0xffffffff, 0x0000707f, 0x00000000,
                        csr(2, pick(POOL), 0x7c5, 0), csr(1, 0, 0xc00, pick(POOL)), 0x0001, 0x9002};
                    int word = traps[random.nextInt(compressed ? traps.length : traps.length - 2)];
                    if (word == 0x0001 || word == 0x9002) {
                        fixed(word);
                    } else if (word == 0) {
                        add(new Item(FIXED, compressed && random.nextBoolean() ? 2 : 4, 0));
                    } else {
                        fixed(word);
                    }
                    return;
                }
                if (choice < 14 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            case INTERRUPTS -> {
                if (choice < 4) {
                    fixed(csr(6, 0, 0x300, 8)); // csrrsi x0, mstatus, MIE
                    return;
                }
                if (choice < 8 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            case X0 -> {
                if (choice < 6) {
                    // loads and AMOs into x0 still access memory (and fault)
                    int baseRegister = random.nextInt(4) == 0 ? 0 : 31;
                    fixed(load(random.nextInt(7), 0, baseRegister, random.nextInt(4096) - 2048));
                    return;
                }
                if (choice < 10) {
                    fixed(amo(new int[] {0x00, 0x01, 0x08}[random.nextInt(3)], random.nextBoolean(), 0, 30, pick(POOL)));
                    return;
                }
                if (choice < 13) {
                    Item jump = add(new Item(JAL, 4, 0));
                    jump.a = 0;
                    jump.target = -2;
                    return;
                }
            }
            case LONG -> {
                if (choice < 3 && depth < 1) {
                    // a long straight-line stretch (blocks and regions split by their size limits), in a loop
                    int counter = 24;
                    fixed(addi(counter, 0, 1 + random.nextInt(4)));
                    int start = items.size();
                    int stretch = 60 + random.nextInt(200);
                    for (int k = 0; k < stretch; k++) {
                        if (compressed && random.nextInt(4) == 0) {
                            fixed(compressedPlain());
                        } else {
                            emitStraight();
                        }
                    }
                    fixed(addi(counter, counter, -1));
                    Item close = add(new Item(BRANCH, 4, 0));
                    close.a = 1;
                    close.b = counter;
                    close.c = 0;
                    close.target = start;
                    loops.add(new int[] {start, items.size() - 1});
                    return;
                }
            }
            case PAGING -> {
                if (choice < 4) {
                    // rewrite a data page's PTE, then SFENCE.VMA that orders the rewrite: all, or that page when x30
                    // points into it; for odd pages with rs2 = x22, PT_L0, whose low 16 bits are satp's ASID (that
                    // address space only: data PTEs are never global). A run whose TLB is flushed before every
                    // instruction must then agree with the others (LongFuzzCampaign.TLB_FREE).
                    int dataPage = (int) ((registers[30] - VA_DATA) >>> 12);
                    int page = random.nextInt(8);
                    int pte = (int) randomPte();
                    int low = (pte << 20) >> 20;
                    int high = (pte - low) >>> 12;
                    fixed(lui(23, high));
                    Item lo = fixed(addi(23, 23, low));
                    lo.noTarget = true;
                    fixed(sd(23, 22, 8 * page)).noTarget = true;
                    int asid = (page & 1) != 0 ? 22 << 20 : 0;
                    boolean pageFence = random.nextBoolean() && page == dataPage;
                    fixed((pageFence ? 0x12000073 | 30 << 15 : 0x12000073) | asid).noTarget = true;
                    return;
                }
                if (choice >= 22 && choice < 26) {
                    // rewrite the superpage's leaf (PT_L1 + 8, beyond x22's reach: x22 steps back and forth), then
                    // SFENCE.VMA: all, or at x8 when x8 points into the superpage (any of its pages orders the leaf);
                    // with or without the ASID
                    int pte = (int) randomSuperPte();
                    int low = (pte << 20) >> 20;
                    int high = (pte - low) >>> 12;
                    fixed(lui(23, high));
                    fixed(addi(23, 23, low)).noTarget = true;
                    fixed(addi(22, 22, -2048)).noTarget = true;
                    fixed(sd(23, 22, (int) (PT_L1 + 8 - (PT_L0 - 2048)))).noTarget = true;
                    fixed(addi(22, 22, 2047)).noTarget = true;
                    fixed(addi(22, 22, 1)).noTarget = true;
                    boolean inSuperpage = registers[8] >= VA_SUPER && registers[8] < VA_SUPER + 0x20_0000;
                    boolean pageFence = random.nextBoolean() && inSuperpage;
                    int asid = random.nextBoolean() ? 22 << 20 : 0;
                    fixed((pageFence ? 0x12000073 | 8 << 15 : 0x12000073) | asid).noTarget = true;
                    return;
                }
                if (choice < 12) {
                    int rd = pick(POOL);
                    int disp = random.nextInt(48) - 24;
                    fixed(random.nextBoolean() ? load(random.nextInt(7), rd, 31, disp)
                            : sType(random.nextInt(4), 31, pick(POOL), disp));
                    return;
                }
                if (choice < 14) {
                    fixed(0x12000073); // SFENCE.VMA
                    return;
                }
                if (choice < 18 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
                if (choice < 22) {
                    emitAtomic();
                    return;
                }
            }
            case NOC -> {
                if (choice < 8) {
                    // auipc rT, 0; jalr rd, rT, target (+1: bit 0 cleared; +2: misaligned without C)
                    int rT = pick(POOL);
                    int auipcIndex = items.size();
                    fixed(auipc(rT, 0));
                    Item jump = add(new Item(JALR, 4, 0));
                    jump.a = pick(POOL);
                    jump.b = rT;
                    jump.partner = auipcIndex;
                    jump.target = -3;
                    jump.perturb = new int[] {0, 0, 1, 2, 3}[random.nextInt(5)];
                    jump.noTarget = true;
                    return;
                }
                if (choice < 12 && depth < 1) {
                    emitLoop(depth);
                    return;
                }
            }
            default -> {
            }
        }
        emitBase();
    }

    private void emitLoop(int depth) {
        int counter = depth == 0 ? 24 : 25;
        int trips = new int[] {0, 1, 1, 2, 3, 5, 8, 17, 40}[random.nextInt(9)];
        fixed(addi(counter, 0, trips + 1));
        int start = items.size();
        emitBody(1 + random.nextInt(depth == 0 ? 24 : 8), depth + 1);
        if (compressed && random.nextBoolean()) {
            fixed(ci(0, counter, -1, 1)); // C.ADDI counter, -1
        } else {
            fixed(addi(counter, counter, -1));
        }
        Item close = add(new Item(BRANCH, 4, 0));
        close.a = random.nextInt(4) == 0 ? 5 : 1; // BNE counter, x0 (or BGE: also while >= 0... bounded below)
        if (close.a == 5) {
            // bge x0, counter: taken while counter <= 0 would not end; use blt x0, counter (taken while counter > 0)
            close.a = 4;
            close.b = 0;
            close.c = counter;
        } else {
            close.b = counter;
            close.c = 0;
        }
        close.target = start;
        loops.add(new int[] {start, items.size() - 1});
    }

    private int plainAlu() {
        int rd = pick(POOL);
        int rs1 = random.nextInt(32);
        int rs2 = random.nextInt(32);
        if (random.nextBoolean()) {
            int[][] operations = {{0, 0}, {0, 0x20}, {1, 0}, {4, 0}, {5, 0x20}, {6, 0}, {7, 0}, {0, 1}, {4, 1}};
            int[] operation = operations[random.nextInt(operations.length)];
            return op(operation[0], operation[1], rd, rs1, rs2);
        }
        return iType(0x13, new int[] {0, 4, 6, 7}[random.nextInt(4)], rd, rs1, random.nextInt(4096) - 2048);
    }

    private void emitBase() {
        int rd = dim == Dim.X0 && random.nextInt(3) == 0 ? 0 : pick(POOL);
        int rs1 = random.nextInt(32);
        int rs2 = random.nextInt(32);
        int kind = random.nextInt(100);
        if (kind < 30) {
            fixed(DifferentialTest.registerOperation(random, rd, rs1, rs2)).replaceable = true;
            return;
        }
        if (kind < 50) {
            int funct3 = new int[] {0, 2, 3, 4, 6, 7, 1, 5}[random.nextInt(8)];
            int imm = random.nextInt(4096) - 2048;
            if (funct3 == 1 || funct3 == 5) {
                imm = random.nextInt(64) | (funct3 == 5 && random.nextBoolean() ? 0x400 : 0);
            }
            if (random.nextInt(4) == 0) {
                fixed(random.nextBoolean() ? addiw(rd, rs1, imm)
                        : iType(0x1b, funct3 == 1 ? 1 : 5, rd, rs1, (imm & 31) | (imm & 0x400))).replaceable = true;
                return;
            }
            if (random.nextInt(20) == 0) {
                fixed(random.nextBoolean() ? lui(rd, random.nextInt(1 << 20)) : auipc(rd, random.nextInt(1 << 20)));
                return;
            }
            fixed(iType(0x13, funct3, rd, rs1, imm)).replaceable = true;
            return;
        }
        if (kind < 62) {
            fixed(DifferentialTest.multiplyOperation(random, rd, rs1, rs2)).replaceable = true;
            return;
        }
        if (kind < 72) {
            int baseRegister = new int[] {30, 30, 2, 8, 31}[random.nextInt(5)];
            int disp = baseRegister == 30 ? random.nextInt(2040) : random.nextInt(1024) - 512;
            fixed(load(random.nextInt(7), rd, baseRegister, disp));
            return;
        }
        if (kind < 82) {
            int baseRegister = new int[] {30, 30, 2, 8, 31}[random.nextInt(5)];
            int disp = baseRegister == 30 ? random.nextInt(2040) : random.nextInt(1024) - 512;
            fixed(sType(random.nextInt(4), baseRegister, rs2, disp));
            return;
        }
        if (kind < 92) {
            if (random.nextInt(4) == 0) {
                Item jump = add(new Item(JAL, 4, 0));
                jump.a = rd;
                jump.target = -2;
                return;
            }
            Item branch = add(new Item(BRANCH, 4, 0));
            branch.a = new int[] {0, 1, 4, 5, 6, 7}[random.nextInt(6)];
            branch.b = rs1;
            branch.c = rs2;
            branch.target = -2;
            if (dim == Dim.NOC && random.nextInt(3) == 0) {
                branch.perturb = 2; // misaligned target when taken
            }
            return;
        }
        if (kind < 99) {
            int funct3 = new int[] {1, 2, 3, 5, 6, 7}[random.nextInt(6)];
            fixed(csr(funct3, rd, 0x340, funct3 >= 5 ? random.nextInt(32) : rs1));
            return;
        }
        fixed(random.nextBoolean() ? 0xffffffff : 0x0000707f);
    }

    /** A leaf PTE for a data page: mostly readable and writable, sometimes read-only, invalid, without D, user. */
    private long randomSuperPte() {
        long ppn = BASE_ADDRESS >>> 12; // 2 MiB aligned
        return switch (random.nextInt(6)) {
            case 0 -> ppn << 10 | 0x43; // read-only
            case 1 -> 0; // invalid
            case 2 -> (ppn + 1) << 10 | 0xc7; // a misaligned superpage: page faults
            case 3 -> ppn << 10 | 0x47; // not dirty
            default -> ppn << 10 | 0xc7;
        };
    }

    private long randomPte() {
        long[] pages = {0xb000, 0xc000, 0xd000, 0xe000, 0xc000};
        long ppn = (BASE_ADDRESS + pages[random.nextInt(pages.length)]) >>> 12;
        long flags = switch (random.nextInt(10)) {
            case 0 -> 0x43; // V R A: read-only
            case 1 -> 0; // invalid
            case 2 -> 0x47; // V R W A, not dirty
            case 3 -> 0xd7; // user page: S-mode access faults (SUM clear)
            case 4 -> 0x05; // V W: reserved combination
            default -> 0xc7; // V R W A D
        };
        return ppn << 10 | flags;
    }

    /** A base instruction that is no branch or jump. */
    private void emitStraight() {
        while (true) {
            int before = items.size();
            emitBase();
            Item last = items.get(items.size() - 1);
            if (last.kind == FIXED) {
                return;
            }
            while (items.size() > before) {
                items.remove(items.size() - 1);
            }
        }
    }

    private void emitAtomic() {
        int rT = pick(POOL);
        int offset = 8 * random.nextInt(250);
        int misalign = random.nextInt(8) == 0 ? new int[] {1, 2, 4, 6}[random.nextInt(4)] : 0;
        int baseRegister = random.nextInt(8) == 0 ? 31 : 30;
        fixed(addi(rT, baseRegister, baseRegister == 31 ? (random.nextInt(32) - 16) : offset + misalign));
        boolean doubleword = random.nextBoolean();
        int aqrl = random.nextInt(4);
        if (random.nextInt(3) == 0) {
            // LR ... SC
            fixed(amo(0x02, doubleword, pick(POOL), rT, 0) | aqrl << 25);
            int between = random.nextInt(4);
            for (int k = 0; k < between; k++) {
                if (random.nextInt(3) == 0) {
                    // a plain store to the reserved word, or near it
                    fixed(sType(doubleword ? 3 : 2, rT, pick(POOL), random.nextInt(3) == 0 ? 8 : 0));
                } else {
                    emitBase();
                }
            }
            boolean sameSize = random.nextInt(6) != 0;
            fixed(amo(0x03, sameSize == doubleword, pick(POOL), random.nextInt(6) == 0 ? pick(POOL) : rT,
                    random.nextInt(32)) | aqrl << 25);
            return;
        }
        int[] functions = {0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c};
        int rd = random.nextInt(10) == 0 ? 0 : pick(POOL);
        fixed(amo(functions[random.nextInt(functions.length)], doubleword, rd, rT, random.nextInt(32)) | aqrl << 25);
    }

    private void emitCsr() {
        int[] csrs = {0x340, 0x341, 0x342, 0x343, 0x300, 0x304, 0x344, 0xc00, 0xc01, 0xc02, 0xb00, 0xb02, 0x320,
            0xf14, 0x301, 0x140, 0x141, 0x302, 0x7c5, 0x5ff, 0xfff, 0x800, 0xc03};
        int number = csrs[random.nextInt(csrs.length)];
        int funct3 = new int[] {1, 2, 3, 5, 6, 7}[random.nextInt(6)];
        int rd = random.nextInt(4) == 0 ? 0 : pick(POOL);
        int source = random.nextInt(3) == 0 ? 0 : (funct3 >= 5 ? random.nextInt(32) : random.nextInt(32));
        if (number == 0x300 && funct3 < 5 && source != 0) {
            // mstatus from a register: keep MPP at M most of the time, and avoid TVM/TW/TSR surprises? No: random.
            source = pick(POOL);
        }
        fixed(csr(funct3, rd, number, source));
    }

    /** Chooses targets: -2 a forward target within 16 items; -3 forward past the next item; -4/-5 SMC targets. */
    private void resolveTargets() {
        int n = items.size();
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            if (item.target == -2 || item.target == -3) {
                int first = item.target == -3 ? i + 2 : i + 1;
                List<Integer> candidates = new ArrayList<>();
                for (int j = first; j <= Math.min(n, first + 15); j++) {
                    if (allowedTarget(i, j)) {
                        candidates.add(j);
                    }
                }
                if (candidates.isEmpty()) {
                    candidates.add(n); // the WFI, outside every loop
                    if (!allowedTarget(i, n)) {
                        throw new IllegalStateException();
                    }
                }
                item.target = candidates.get(random.nextInt(candidates.size()));
                if (item.kind == CBRANCH || item.kind == CJ) {
                    // Keep within the compressed ranges (always true for 16 items ahead).
                    item.perturb = 0;
                }
            } else if (item.target == -4 || item.target == -5) {
                List<Integer> candidates = new ArrayList<>();
                int from = item.target == -4 ? i + 1 : 0;
                int to = item.target == -4 ? Math.min(n - 1, i + 6 + random.nextInt(40)) : n - 1;
                for (int j = from; j <= to; j++) {
                    if (items.get(j).replaceable && items.get(j).size == 4) {
                        candidates.add(j);
                    }
                }
                if (candidates.isEmpty()) {
                    item.kind = FIXED;
                    item.word = addi(0, 0, 0);
                    item.target = -1;
                    continue;
                }
                item.target = candidates.get(random.nextInt(candidates.size()));
            }
        }
    }

    /** A forward jump from i to j may not enter a loop that does not contain i. */
    private boolean allowedTarget(int i, int j) {
        if (j < items.size() && items.get(j).noTarget) {
            return false;
        }
        for (int[] loop : loops) {
            boolean targetInside = j >= loop[0] && j <= loop[1];
            boolean sourceInside = i >= loop[0] && i <= loop[1];
            if (targetInside && !sourceInside) {
                return false;
            }
        }
        return true;
    }

    /** The trap handler: logs mcause, mepc, mtval, minstret, then resumes after the trapping instruction. */
    static int[] handler() {
        return new int[] {
            csr(2, 29, 0x342, 0), // 0: csrr x29, mcause
            sd(29, 28, 0), // 4
            csr(2, 29, 0x341, 0), // 8: mepc
            sd(29, 28, 8), // 12
            csr(2, 29, 0x343, 0), // 16: mtval
            sd(29, 28, 16), // 20
            csr(2, 29, 0xb02, 0), // 24: minstret
            sd(29, 28, 24), // 28
            addi(28, 28, 32), // 32
            andi(28, 28, 0x7ff), // 36
            or(28, 28, 26), // 40
            csr(2, 29, 0x342, 0), // 44: mcause
            blt(29, 0, 56), // 48: interrupt -> 104
            addi(27, 0, 1), // 52
            beq(29, 27, 64), // 56: fetch access fault -> 120 (stop)
            addi(27, 0, 12), // 60
            beq(29, 27, 56), // 64: fetch page fault -> 120 (stop)
            csr(2, 29, 0x341, 0), // 68: mepc
            lhu(27, 29, 0), // 72
            andi(27, 27, 3), // 76
            addi(29, 29, 2), // 80
            addi(27, 27, -3), // 84
            bne(27, 0, 8), // 88 -> 96
            addi(29, 29, 2), // 92
            csr(1, 0, 0x341, 29), // 96: csrw mepc, x29
            mret(), // 100
            addi(29, 0, 128), // 104: interrupt: clear MPIE (interrupts stay off until the program sets MIE)
            csr(3, 0, 0x300, 29), // 108: csrc mstatus, x29
            csr(1, 0, 0x344, 0), // 112: csrw mip, x0 (software bits)
            mret(), // 116
            wfi(), // 120: stop
        };
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        long[] at = addresses();
        byte[] bytes = encode();
        for (int n = 0; n < items.size(); n++) {
            Item item = items.get(n);
            int offset = (int) (at[n] - prog);
            long word = 0;
            for (int k = item.size - 1; k >= 0; k--) {
                word = word << 8 | (bytes[offset + k] & 0xff);
            }
            boolean nop = item.size == 4 ? word == 0x13 : word == 0x1;
            if (nop) {
                continue;
            }
            text.append(String.format("  %08x: %s %s%s%n", at[n], item.size == 4 ? String.format("%08x", word)
                    : String.format("    %04x", word), kindName(item), item.note.isEmpty() ? "" : " ; " + item.note));
        }
        text.append(String.format("  %08x: wfi (end)%n", at[items.size()]));
        return text.toString();
    }

    private String kindName(Item item) {
        return switch (item.kind) {
            case BRANCH -> "branch -> #" + item.target;
            case JAL -> "jal -> #" + item.target;
            case CBRANCH -> "c.branch -> #" + item.target;
            case CJ -> "c.j -> #" + item.target;
            case JALR -> "jalr -> #" + item.target + "+" + item.perturb;
            case ADDI_TARGET -> "addi target #" + item.target;
            case SMC_STORE -> "smc store -> #" + item.target;
            default -> "";
        };
    }
}
