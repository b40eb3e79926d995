package io.vmmlab.cpu.translate;

import io.vmmlab.api.memory.AddressRange;
import io.vmmlab.cpu.decode.Block;
import io.vmmlab.cpu.mmu.Tlb;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CodeGeneratorTest {
    private static final long RAM_BASE = 0x8000_0000L;
    private static final int RAM_SIZE = 1 << 20;

    /**
     * The sample region the builder generates at start-up is a class the JVM accepts (its stack map frames are the
     * generator's own) and runs: with no budget it returns at once; with one, its first load misses the empty TLB
     * and it leaves before that instruction, having retired nothing.
     */
    @Test
    void theSampleRegionLoadsAndRuns() throws Throwable {
        long[] tlb = new long[4 * Tlb.LENGTH];
        Arrays.fill(tlb, -1L); // no tag matches
        byte[] classFile = CodeGenerator.sample(new AddressRange(RAM_BASE, RAM_SIZE), tlb.length);
        MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile,
                List.of(new byte[RAM_SIZE + 8], tlb), true);
        TranslatedCode code = (TranslatedCode) hidden.findConstructor(hidden.lookupClass(),
                MethodType.methodType(void.class, Block[].class)).invoke(new Block[0]);
        long[] x = new long[64];
        x[10] = RAM_BASE + 0x100; // a0
        RegionExit exit = new RegionExit();

        assertThat(code.run(x, 0, RAM_BASE, 0, 0, exit)).isEqualTo(TranslatedCode.AT_BOUNDARY);
        assertThat(exit.pc).isEqualTo(RAM_BASE);
        assertThat(code.run(x, 0, RAM_BASE, 0, 1000, exit)).isZero(); // member 0, instruction 0
        assertThat(exit.pc).isEqualTo(RAM_BASE);
        assertThat(exit.retired).isZero();
        assertThat(x[11]).isZero(); // a1 untouched
    }
}
