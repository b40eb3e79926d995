package io.vmmlab.cpu.rv64;

import io.vmmlab.api.cpu.HartExit;
import io.vmmlab.api.cpu.HartInterrupt;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.memory.OffHeapRam;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.testing.TestBoard;
import io.vmmlab.cpu.translate.TranslatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long differential fuzzing campaign (not part of the build's tests: surefire's default patterns do not match the
 * name, and it runs only with {@code -Dfuzz.seconds=N}): random programs of one generator dimension at a time
 * ({@link FuzzProgram.Dim}) on the interpreter and the translator (every block translated at once), whole and in
 * random slices, and on {@link FuzzReference} where it models the dimension; registers, pc, CSRs, retired
 * instructions and all of RAM (with the trap handler's log of every trap) must agree.
 *
 * <p>{@code mvn -pl vmm-cpu test -Dtest=LongFuzzCampaign -Dfuzz.seconds=3600 [-Dfuzz.dims=RVC,SMC]
 * [-Dfuzz.firstSeed=0] [-Dfuzz.out=/tmp/fuzz]}. Divergences are shrunk (instructions turned into NOPs while the
 * same pair still disagrees) and written to {@code fuzz.out}; the test fails at the end if any was found.
 */
final class LongFuzzCampaign {
    static final long TOTAL = 20_000;
    private static final int[] CSRS = {CsrAddress.MSCRATCH, CsrAddress.MEPC, CsrAddress.MCAUSE, CsrAddress.MTVAL,
        CsrAddress.MSTATUS, CsrAddress.MIE, CsrAddress.MIP, CsrAddress.MCYCLE, CsrAddress.MINSTRET,
        CsrAddress.MCOUNTINHIBIT, 0x140, 0x141, 0x302};
    private static final String[] CSR_NAMES = {"mscratch", "mepc", "mcause", "mtval", "mstatus", "mie", "mip",
        "mcycle", "minstret", "mcountinhibit", "sscratch", "sepc", "medeleg"};

    /** One way to run a program. */
    record Config(String name, TranslatorConfig translator, boolean sliced, int scheduleSalt, boolean tlbFree) {
        Config(String name, TranslatorConfig translator, boolean sliced, int scheduleSalt) {
            this(name, translator, sliced, scheduleSalt, false);
        }
    }

    static final Config INTERPRETER = new Config("interp", null, false, 0);
    static final Config INTERPRETER_SLICED = new Config("interp-sliced", null, true, 1);
    static final Config TRANSLATOR = new Config("trans", new TranslatorConfig(0, 8192), false, 0);
    static final Config TRANSLATOR_SLICED = new Config("trans-sliced", new TranslatorConfig(0, 8192), true, 1);
    static final Config TRANSLATOR_TINY = new Config("trans-tiny", new TranslatorConfig(1, 4), false, 0);
    static final Config TRANSLATOR_WARM_SLICED = new Config("trans-warm-sliced", new TranslatorConfig(3, 16), true, 2);
    /**
     * One instruction at a time with every TLB entry dropped before each (a host flush): translations come from the
     * page tables as they are, so the TLB's keeping anything past a fence that orders it shows as a difference.
     */
    static final Config TLB_FREE = new Config("interp-no-tlb", null, true, 3, true);
    // Interrupt runs: all sliced with one schedule (line changes between slices).
    static final Config INTERRUPT_INTERPRETER = new Config("irq-interp", null, true, 7);
    static final Config INTERRUPT_TRANSLATOR = new Config("irq-trans", new TranslatorConfig(0, 8192), true, 7);
    static final Config INTERRUPT_TINY = new Config("irq-trans-tiny", new TranslatorConfig(1, 4), true, 7);

    /** The final state of a run. */
    static final class Snapshot {
        String config;
        long[] x = new long[32];
        long pc;
        long instret;
        long[] csrs;
        String exit;
        byte[] memory;
        List<String> trace = new ArrayList<>();
        long regions;

        /** The first difference from another snapshot, or null. */
        String diff(Snapshot other, boolean withCsrs, boolean withTrace) {
            for (int r = 0; r < 32; r++) {
                if (x[r] != other.x[r]) {
                    return String.format("x%d %016x vs %016x", r, x[r], other.x[r]);
                }
            }
            if (pc != other.pc) {
                return String.format("pc %x vs %x", pc, other.pc);
            }
            if (instret != other.instret) {
                return "instret " + instret + " vs " + other.instret;
            }
            if (!exit.equals(other.exit)) {
                return "exit " + exit + " vs " + other.exit;
            }
            if (csrs != null && other.csrs != null) {
                for (int k = 0; k < csrs.length; k++) {
                    if ((withCsrs || k < 4) && csrs[k] != other.csrs[k]) {
                        return String.format("%s %x vs %x", CSR_NAMES[k], csrs[k], other.csrs[k]);
                    }
                }
            }
            int length = Math.min(memory.length, other.memory.length);
            for (int i = 0; i < length; i++) {
                if (memory[i] != other.memory[i]) {
                    return String.format("memory at %x: %02x vs %02x", FuzzProgram.BASE_ADDRESS + i,
                            memory[i] & 0xff, other.memory[i] & 0xff);
                }
            }
            if (withTrace && !trace.equals(other.trace)) {
                for (int i = 0; i < Math.min(trace.size(), other.trace.size()); i++) {
                    if (!trace.get(i).equals(other.trace.get(i))) {
                        return "slice " + i + ": " + trace.get(i) + " vs " + other.trace.get(i);
                    }
                }
                return "trace length " + trace.size() + " vs " + other.trace.size();
            }
            return null;
        }
    }

    // ---- running ----

    static byte[] initialMemory(FuzzProgram p) {
        byte[] memory = new byte[p.ramSize];
        byte[] code = p.encode();
        System.arraycopy(code, 0, memory, (int) (p.prog - FuzzProgram.BASE_ADDRESS), code.length);
        int[] handler = FuzzProgram.handler();
        for (int i = 0; i < handler.length; i++) {
            for (int k = 0; k < 4; k++) {
                memory[(int) (FuzzProgram.HANDLER - FuzzProgram.BASE_ADDRESS) + 4 * i + k] =
                        (byte) (handler[i] >>> (8 * k));
            }
        }
        if (p.dim == FuzzProgram.Dim.PAGING) {
            // 1 GiB, RWX, global: ASID fences keep its entries (the code's), which must not matter.
            putLong(memory, FuzzProgram.PT_ROOT + 8 * 2, (FuzzProgram.BASE_ADDRESS >>> 12) << 10 | 0xef);
            putLong(memory, FuzzProgram.PT_ROOT + 8 * 4, (FuzzProgram.PT_L1 >>> 12) << 10 | 1);
            putLong(memory, FuzzProgram.PT_L1, (FuzzProgram.PT_L0 >>> 12) << 10 | 1);
            putLong(memory, FuzzProgram.PT_L1 + 8, p.superPte);
            for (int i = 0; i < 8; i++) {
                putLong(memory, FuzzProgram.PT_L0 + 8 * i, p.dataPtes[i]);
            }
        }
        Random data = new Random(p.dataSeed);
        for (int i = 0xb000; i < 0xe000; i++) {
            memory[i] = (byte) data.nextInt();
        }
        return memory;
    }

    private static void putLong(byte[] memory, long address, long value) {
        for (int k = 0; k < 8; k++) {
            memory[(int) (address - FuzzProgram.BASE_ADDRESS) + k] = (byte) (value >>> (8 * k));
        }
    }

    static Snapshot runReference(FuzzProgram p) {
        FuzzReference reference = new FuzzReference(initialMemory(p), FuzzProgram.BASE_ADDRESS, p.prog,
                FuzzProgram.HANDLER, p.compressed);
        System.arraycopy(p.registers, 0, reference.x, 0, 32);
        reference.mscratch = p.mscratch;
        reference.run(TOTAL);
        Snapshot s = new Snapshot();
        s.config = "reference";
        System.arraycopy(reference.x, 0, s.x, 0, 32);
        s.pc = reference.pc;
        s.instret = reference.retired;
        s.exit = reference.stopped ? "WAIT_FOR_INTERRUPT" : "BUDGET_EXHAUSTED";
        s.csrs = new long[] {reference.mscratch, reference.mepc & (p.compressed ? ~1L : ~3L), reference.mcause,
            reference.mtval};
        s.memory = reference.memory();
        return s;
    }

    static Snapshot runHart(FuzzProgram p, Config config) {
        GuestMemory ram = p.ramKind == 1 ? new OffHeapRam(FuzzProgram.BASE_ADDRESS, p.ramSize)
                : new FlatRam(FuzzProgram.BASE_ADDRESS, p.ramSize);
        try {
            TestBoard board = new TestBoard(p.isa(), ram, config.translator());
            byte[] initial = initialMemory(p);
            for (int i = 0; i < initial.length; i += 8) {
                long value = 0;
                for (int k = 7; k >= 0; k--) {
                    value = value << 8 | (initial[i + k] & 0xff);
                }
                ram.write64(FuzzProgram.BASE_ADDRESS + i, value);
            }
            Rv64Hart hart = board.hart();
            hart.flushCaches();
            hart.setPc(p.prog);
            hart.writeCsr(CsrAddress.MTVEC, FuzzProgram.HANDLER);
            hart.writeCsr(CsrAddress.MSCRATCH, p.mscratch);
            boolean interrupts = p.dim == FuzzProgram.Dim.INTERRUPTS;
            if (interrupts) {
                hart.setCsrBits(CsrAddress.MSTATUS, CsrAddress.STATUS_MIE);
                hart.writeCsr(CsrAddress.MIE, CsrAddress.IP_MTIP | CsrAddress.IP_MSIP | CsrAddress.IP_MEIP);
            }
            for (int r = 1; r < 32; r++) {
                hart.setRegister(r, p.registers[r]);
            }
            if (p.dim == FuzzProgram.Dim.PAGING) {
                // ASID: the low bits of x22 (PT_L0), which the generator's fences for one address space name.
                hart.writeCsr(CsrAddress.SATP, 8L << 60 | (FuzzProgram.PT_L0 & 0xffff) << 44 | FuzzProgram.PT_ROOT >>> 12);
                hart.setPrivilege(io.vmmlab.api.cpu.PrivilegeMode.SUPERVISOR, false);
            }
            Snapshot s = new Snapshot();
            s.config = config.name();
            HartExit exit;
            if (!config.sliced()) {
                exit = hart.run(TOTAL);
            } else {
                Random schedule = new Random(p.scheduleSeed * 31 + config.scheduleSalt());
                int maxSlice = config.tlbFree() ? 1 : new int[] {1, 2, 3, 7, 13, 64, 500, 4096}[schedule.nextInt(8)];
                HartInterrupt[] lines = HartInterrupt.values();
                boolean[] levels = new boolean[lines.length];
                long used = 0;
                exit = HartExit.BUDGET_EXHAUSTED;
                while (used < TOTAL) {
                    int slice = (int) Math.min(1 + schedule.nextInt(maxSlice), TOTAL - used);
                    if (interrupts && schedule.nextInt(3) == 0) {
                        int line = schedule.nextInt(lines.length);
                        levels[line] = !levels[line];
                        hart.interruptLine(lines[line]).set(levels[line]);
                    }
                    long before = hart.instructionsRetired();
                    if (config.tlbFree()) {
                        hart.flushTranslations();
                    }
                    exit = hart.run(slice);
                    long ran = hart.instructionsRetired() - before;
                    if (ran > slice) {
                        throw new AssertionError(config.name() + ": slice of " + slice + " retired " + ran);
                    }
                    if (interrupts) {
                        s.trace.add(exit + "@" + hart.instructionsRetired() + "/" + Long.toHexString(hart.pc()));
                    }
                    if (exit != HartExit.BUDGET_EXHAUSTED) {
                        break;
                    }
                    used += slice;
                }
            }
            s.exit = exit.toString();
            for (int r = 0; r < 32; r++) {
                s.x[r] = hart.register(r);
            }
            s.pc = hart.pc();
            s.instret = hart.instructionsRetired();
            s.trace.add("privilege " + hart.privilege());
            s.csrs = new long[CSRS.length];
            for (int k = 0; k < CSRS.length; k++) {
                s.csrs[k] = hart.readCsr(CSRS[k]);
            }
            s.memory = new byte[p.ramSize];
            ram.read(FuzzProgram.BASE_ADDRESS, s.memory, 0, p.ramSize);
            s.regions = board.counters().snapshot().get("translator", "regions");
            return s;
        } finally {
            if (ram instanceof OffHeapRam offHeap) {
                offHeap.release();
            }
        }
    }

    static Snapshot run(FuzzProgram p, Config config) {
        try {
            return config == null ? runReference(p) : runHart(p, config);
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            Snapshot s = new Snapshot();
            s.config = config == null ? "reference" : config.name();
            s.exit = "THREW " + e;
            s.memory = new byte[0];
            return s;
        }
    }

    /** The configurations a program runs on; null stands for the reference. */
    static List<Config> configs(FuzzProgram p) {
        List<Config> configs = new ArrayList<>();
        if (p.dim == FuzzProgram.Dim.INTERRUPTS) {
            configs.add(INTERRUPT_INTERPRETER);
            configs.add(INTERRUPT_TRANSLATOR);
            if (p.seed % 4 == 0) {
                configs.add(INTERRUPT_TINY);
            }
            return configs;
        }
        if (p.referenceSupported()) {
            configs.add(null);
        }
        configs.add(INTERPRETER);
        configs.add(INTERPRETER_SLICED);
        configs.add(TRANSLATOR);
        configs.add(TRANSLATOR_SLICED);
        if (p.dim == FuzzProgram.Dim.PAGING) {
            configs.add(TLB_FREE);
        }
        if (p.seed % 4 == 1) {
            configs.add(TRANSLATOR_TINY);
        } else if (p.seed % 4 == 3) {
            configs.add(TRANSLATOR_WARM_SLICED);
        }
        return configs;
    }

    /** A divergence: the two configurations and the first difference. */
    record Divergence(Config left, Config right, String difference) {
        String pair() {
            return name(left) + " vs " + name(right);
        }

        static String name(Config config) {
            return config == null ? "reference" : config.name();
        }
    }

    /** Runs every configuration; returns the first divergence from the first configuration, or null. */
    static Divergence check(FuzzProgram p, List<Config> configs, long[] instructions) {
        Snapshot first = run(p, configs.get(0));
        if (instructions != null) {
            instructions[0] += first.instret;
        }
        Snapshot hartBaseline = configs.get(0) == null ? null : first;
        for (int k = 1; k < configs.size(); k++) {
            Snapshot other = run(p, configs.get(k));
            if (instructions != null) {
                instructions[k] += other.instret;
            }
            if (hartBaseline == null) {
                hartBaseline = other;
            }
            boolean againstReference = configs.get(0) == null;
            String difference = first.diff(other, !againstReference, !againstReference);
            if (difference == null && againstReference && other != hartBaseline) {
                // The harts among themselves: all CSRs too.
                difference = hartBaseline.diff(other, true, false);
                if (difference != null) {
                    return new Divergence(configs.get(1), configs.get(k), difference);
                }
            }
            if (difference != null) {
                return new Divergence(configs.get(0), configs.get(k), difference);
            }
        }
        return null;
    }

    static Divergence checkPair(FuzzProgram p, Divergence d) {
        return check(p, Arrays.asList(d.left(), d.right()), null);
    }

    /** Turns instructions into NOPs while the same pair still diverges. */
    static FuzzProgram shrink(FuzzProgram p, Divergence d, long deadline) {
        FuzzProgram current = p;
        boolean changed = true;
        while (changed && System.currentTimeMillis() < deadline) {
            changed = false;
            for (int i = current.items.size() - 1; i >= 0 && System.currentTimeMillis() < deadline; i--) {
                FuzzProgram.Item item = current.items.get(i);
                int nop = item.size == 4 ? 0x13 : 0x1;
                if (item.kind == FuzzProgram.FIXED && item.word == nop) {
                    continue;
                }
                FuzzProgram candidate = new FuzzProgram(current);
                FuzzProgram.Item replaced = candidate.items.get(i);
                replaced.kind = FuzzProgram.FIXED;
                replaced.word = nop;
                replaced.target = -1;
                replaced.note = "";
                Divergence still = checkPair(candidate, d);
                if (still != null && field(still.difference()).equals(field(d.difference()))) {
                    current = candidate;
                    changed = true;
                }
            }
        }
        return current;
    }

    private static String field(String difference) {
        return difference.substring(0, difference.indexOf(' '));
    }

    /** Replays one program ({@code -Dfuzz.replay=DIM:seed}): every configuration's first difference from the first. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.replay", matches = ".+")
    void replay() {
        String[] spec = System.getProperty("fuzz.replay").split(":");
        FuzzProgram p = new FuzzProgram(Long.parseLong(spec[1]), FuzzProgram.Dim.valueOf(spec[0]));
        List<Config> configs = configs(p);
        List<Config> all = new ArrayList<>(configs);
        all.add(TRANSLATOR_TINY);
        all.add(TRANSLATOR_WARM_SLICED);
        Snapshot first = run(p, all.get(0));
        System.out.println("REPLAY " + p.dim + " seed " + p.seed + " isa " + p.isa() + String.format(" prog %x", p.prog));
        System.out.print(p.describe());
        System.out.printf("%s: exit %s pc %x instret %d%n", first.config, first.exit, first.pc, first.instret);
        Map<Long, Integer> causes = new java.util.TreeMap<>();
        for (int entry = 0; entry < 64 && first.memory.length > 0; entry++) {
            int at = (int) (FuzzProgram.LOG - FuzzProgram.BASE_ADDRESS) + 32 * entry;
            long cause = 0;
            for (int k = 7; k >= 0; k--) {
                cause = cause << 8 | (first.memory[at + k] & 0xff);
            }
            causes.merge(cause, 1, Integer::sum);
        }
        System.out.println("trap log causes (up to 64 entries, 0 = empty): " + causes + " " + first.trace);
        for (int k = 1; k < all.size(); k++) {
            Snapshot other = run(p, all.get(k));
            System.out.printf("%s: exit %s pc %x instret %d regions %d diff: %s%n", other.config, other.exit, other.pc,
                    other.instret, other.regions, first.diff(other, all.get(0) != null, false));
        }
    }

    /** Lockstep ({@code -Dfuzz.lockstep=DIM:seed}): the interpreter one step at a time against the reference. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.lockstep", matches = ".+")
    void lockstep() {
        String[] spec = System.getProperty("fuzz.lockstep").split(":");
        FuzzProgram p = new FuzzProgram(Long.parseLong(spec[1]), FuzzProgram.Dim.valueOf(spec[0]));
        FuzzReference reference = new FuzzReference(initialMemory(p), FuzzProgram.BASE_ADDRESS, p.prog,
                FuzzProgram.HANDLER, p.compressed);
        System.arraycopy(p.registers, 0, reference.x, 0, 32);
        reference.mscratch = p.mscratch;
        GuestMemory ram = new FlatRam(FuzzProgram.BASE_ADDRESS, p.ramSize);
        TestBoard board = new TestBoard(p.isa(), ram, null);
        byte[] initial = initialMemory(p);
        for (int i = 0; i < initial.length; i++) {
            ram.write8(FuzzProgram.BASE_ADDRESS + i, initial[i]);
        }
        Rv64Hart hart = board.hart();
        hart.flushCaches();
        hart.setPc(p.prog);
        hart.writeCsr(CsrAddress.MTVEC, FuzzProgram.HANDLER);
        hart.writeCsr(CsrAddress.MSCRATCH, p.mscratch);
        for (int r = 1; r < 32; r++) {
            hart.setRegister(r, p.registers[r]);
        }
        for (int step = 0; step < TOTAL; step++) {
            long pc = hart.pc();
            int word = ram.read32(pc >= FuzzProgram.BASE_ADDRESS ? pc : FuzzProgram.BASE_ADDRESS);
            reference.run(1);
            hart.run(1);
            String difference = null;
            for (int r = 0; r < 32 && difference == null; r++) {
                if (hart.register(r) != reference.x[r]) {
                    difference = String.format("x%d hart %x reference %x", r, hart.register(r), reference.x[r]);
                }
            }
            if (difference == null && hart.pc() != reference.pc) {
                difference = String.format("pc hart %x reference %x", hart.pc(), reference.pc);
            }
            if (difference == null && hart.instructionsRetired() != reference.retired) {
                difference = "instret hart " + hart.instructionsRetired() + " reference " + reference.retired;
            }
            if (difference != null) {
                System.out.printf("LOCKSTEP step %d at pc %x word %08x: %s; mcause %x/%x mtval %x/%x%n", step, pc,
                        word, difference, hart.readCsr(CsrAddress.MCAUSE), reference.mcause,
                        hart.readCsr(CsrAddress.MTVAL), reference.mtval);
                return;
            }
        }
        System.out.println("LOCKSTEP no difference");
    }

    @Test
    @EnabledIfSystemProperty(named = "fuzz.seconds", matches = "\\d+")
    void campaign() throws IOException {
        long seconds = Long.parseLong(System.getProperty("fuzz.seconds"));
        long firstSeed = Long.parseLong(System.getProperty("fuzz.firstSeed", "0"));
        String dimsProperty = System.getProperty("fuzz.dims", "");
        Path out = Path.of(System.getProperty("fuzz.out", "/tmp/fuzz"));
        Files.createDirectories(out);
        List<FuzzProgram.Dim> dims = new ArrayList<>();
        if (dimsProperty.isBlank()) {
            dims.addAll(Arrays.asList(FuzzProgram.Dim.values()));
        } else {
            for (String name : dimsProperty.split(",")) {
                dims.add(FuzzProgram.Dim.valueOf(name.trim()));
            }
        }
        PrintStream log = new PrintStream(Files.newOutputStream(out.resolve("campaign.log"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true);
        long end = System.currentTimeMillis() + seconds * 1000;
        Map<FuzzProgram.Dim, long[]> seeds = new EnumMap<>(FuzzProgram.Dim.class);
        Map<String, long[]> instructionsByConfig = new HashMap<>();
        Map<String, Integer> signatures = new HashMap<>();
        int divergences = 0;
        long seed = firstSeed;
        long lastReport = System.currentTimeMillis();
        while (System.currentTimeMillis() < end) {
            for (FuzzProgram.Dim dim : dims) {
                FuzzProgram p = new FuzzProgram(seed, dim);
                List<Config> configs = configs(p);
                long[] instructions = new long[configs.size()];
                Divergence d = check(p, configs, instructions);
                seeds.computeIfAbsent(dim, k -> new long[2])[0]++;
                for (int k = 0; k < configs.size(); k++) {
                    String key = dim + "/" + Divergence.name(configs.get(k));
                    long[] counts = instructionsByConfig.computeIfAbsent(key, x -> new long[2]);
                    counts[0]++;
                    counts[1] += instructions[k];
                }
                if (d != null) {
                    divergences++;
                    seeds.get(dim)[1]++;
                    String signature = dim + " " + d.pair() + " " + d.difference().replaceAll("[0-9a-f]{6,}", "#")
                            .replaceAll("\\d+", "#");
                    int seen = signatures.merge(signature, 1, Integer::sum);
                    log.printf("DIVERGENCE dim=%s seed=%d %s: %s%n", dim, seed, d.pair(), d.difference());
                    if (seen <= 2) {
                        FuzzProgram small = shrink(p, d, System.currentTimeMillis() + 60_000);
                        Divergence after = checkPair(small, d);
                        String report = String.format("dim=%s seed=%d isa=%s prog=%x ram=%d kind=%d edge=%x%n"
                                + "pair %s: %s%nshrunk: %s%n%s%nregisters:%s%n", dim, seed, p.isa(), p.prog,
                                p.ramSize, p.ramKind, p.edge, d.pair(), d.difference(),
                                after == null ? "(lost)" : after.difference(), small.describe(),
                                registers(small));
                        Files.writeString(out.resolve(dim + "-" + seed + ".txt"), report);
                        log.print(report);
                    }
                }
            }
            seed++;
            if (System.currentTimeMillis() - lastReport > 60_000) {
                lastReport = System.currentTimeMillis();
                log.printf("progress: next seed %d, divergences %d, %s%n", seed, divergences, summary(seeds));
            }
        }
        log.printf("DONE: seeds %d..%d, divergences %d%n%s%n", firstSeed, seed - 1, divergences, summary(seeds));
        instructionsByConfig.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                log.printf("  %-40s runs %8d  instructions %,d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        signatures.forEach((signature, count) -> log.printf("  signature x%d: %s%n", count, signature));
        log.close();
        assertThat(divergences).as("divergences (see " + out + ")").isZero();
    }

    private static String summary(Map<FuzzProgram.Dim, long[]> seeds) {
        StringBuilder text = new StringBuilder();
        seeds.forEach((dim, counts) -> text.append(dim).append('=').append(counts[0]).append('/')
                .append(counts[1]).append(' '));
        return text.toString();
    }

    private static String registers(FuzzProgram p) {
        StringBuilder text = new StringBuilder();
        for (int r = 1; r < 32; r++) {
            text.append(String.format(" x%d=%x", r, p.registers[r]));
        }
        return text.toString();
    }
}
