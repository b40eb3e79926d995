package io.vmmlab.cpu.testing;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.HartConfig;
import io.vmmlab.api.cpu.HartResources;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.memory.FlatRam;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.testing.ManualTime;
import io.vmmlab.api.testing.SimpleCounters;
import io.vmmlab.api.testing.SimpleMmioBus;
import io.vmmlab.cpu.rv64.Rv64Hart;
import io.vmmlab.cpu.translate.TranslatorConfig;

import java.util.Set;

/** A test helper: RAM at 0x8000_0000, an empty MMIO bus, a settable clock, counters and one hart. */
public final class TestBoard {
    /** Where RAM starts, as on QEMU's virt board. */
    public static final long RAM_BASE = 0x8000_0000L;

    private final GuestMemory memory;
    private final SimpleMmioBus mmio = new SimpleMmioBus();
    private final SimpleCounters counters = new SimpleCounters();
    private final ManualTime time = new ManualTime();
    private final Rv64Hart hart;
    private int harts = 1;

    /**
     * Builds a board.
     *
     * @param isa ISA string such as {@code "rv64imac"}
     * @param ramSize RAM bytes
     */
    public TestBoard(String isa, int ramSize) {
        this(isa, ramSize, (TranslatorConfig) null);
    }

    /**
     * Builds a board whose hart runs the translating engine.
     *
     * @param isa ISA string such as {@code "rv64imac"}
     * @param ramSize RAM bytes
     * @param translator translator settings, or null for the interpreter alone
     */
    public TestBoard(String isa, int ramSize, TranslatorConfig translator) {
        this(isa, new FlatRam(RAM_BASE, ramSize), translator);
    }

    /**
     * Builds a board on given RAM, whose hart runs the translating engine.
     *
     * @param isa ISA string such as {@code "rv64imac"}
     * @param memory the RAM, from {@link #RAM_BASE}
     * @param translator translator settings, or null for the interpreter alone
     */
    public TestBoard(String isa, GuestMemory memory, TranslatorConfig translator) {
        this(isa, memory, translator, AddressTranslation.SV57);
    }

    /**
     * Builds a board whose hart offers at most a given page-table mode.
     *
     * @param isa ISA string such as {@code "rv64imac"}
     * @param ramSize RAM bytes
     * @param translation the largest mode satp, vsatp and hgatp accept
     */
    public TestBoard(String isa, int ramSize, AddressTranslation translation) {
        this(isa, new FlatRam(RAM_BASE, ramSize), null, translation);
    }

    private TestBoard(String isa, GuestMemory memory, TranslatorConfig translator, AddressTranslation translation) {
        this.memory = memory;
        this.hart = new Rv64Hart(new HartConfig(0, IsaSpec.parse(isa), RAM_BASE, Set.of(), translation),
                new HartResources(memory, mmio, time, counters), translator);
    }

    /** Builds the default board: rv64imac with 1 MiB of RAM. */
    public TestBoard() {
        this("rv64imac", 1 << 20);
    }

    public GuestMemory memory() {
        return memory;
    }

    public SimpleMmioBus mmio() {
        return mmio;
    }

    public SimpleCounters counters() {
        return counters;
    }

    public ManualTime time() {
        return time;
    }

    public Rv64Hart hart() {
        return hart;
    }

    /**
     * Adds another hart over the same RAM and devices (it shares the first hart's {@code CodeCoherence}).
     *
     * @param translator translator settings, or null for the interpreter alone
     * @return the new hart, in its reset state at {@link #RAM_BASE}
     */
    public Rv64Hart addHart(TranslatorConfig translator) {
        return new Rv64Hart(new HartConfig(harts++, hart.isa(), RAM_BASE, Set.of()),
                new HartResources(memory, mmio, time, counters), translator);
    }

    /**
     * Writes instruction words into RAM.
     *
     * @param address where the first word goes
     * @param words 32-bit instruction words
     */
    public void load(long address, int... words) {
        for (int i = 0; i < words.length; i++) {
            memory.write32(address + 4L * i, words[i]);
        }
        hart.flushCaches();
    }
}
