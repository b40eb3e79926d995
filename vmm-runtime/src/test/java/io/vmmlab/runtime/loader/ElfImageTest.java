package io.vmmlab.runtime.loader;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.vmmlab.runtime.loader.ElfBuilder.bytes;
import static io.vmmlab.runtime.loader.ElfBuilder.programHeader;
import static io.vmmlab.runtime.loader.ElfBuilder.putInt;
import static io.vmmlab.runtime.loader.ElfBuilder.putLong;
import static io.vmmlab.runtime.loader.ElfBuilder.putShort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ElfImageTest {
    private static final byte[] CODE = bytes(0x93, 0x00, 0x50, 0x00, 0x73, 0x00, 0x10, 0x00);

    private static byte[] valid() {
        return new ElfBuilder().entry(0x8000_0004L)
                .load(0x8000_0000L, CODE)
                .load(0x8000_1000L, bytes(1, 2, 3, 4), 0x40)
                .symbol("_start", 0x8000_0000L)
                .symbol("tohost", 0x8000_1000L)
                .build();
    }

    @Test
    void parsesEntrySegmentsAndSymbols() {
        byte[] file = valid();

        ElfImage elf = ElfImage.parse("k.elf", file);

        assertThat(elf.name()).isEqualTo("k.elf");
        assertThat(elf.entry()).isEqualTo(0x8000_0004L);
        long firstData = ElfBuilder.HEADER_SIZE + 2 * ElfBuilder.PROGRAM_HEADER_SIZE;
        assertThat(elf.segments()).containsExactly(
                new ElfImage.Segment(0x8000_0000L, firstData, 8, 8),
                new ElfImage.Segment(0x8000_1000L, firstData + 8, 4, 0x40));
        assertThat(elf.symbol("tohost")).contains(0x8000_1000L);
        assertThat(elf.symbol("_start")).contains(0x8000_0000L);
        assertThat(elf.symbol("fromhost")).isEmpty();
        assertThat(Arrays.copyOfRange(file, (int) firstData, (int) firstData + 8)).isEqualTo(CODE);
    }

    @Test
    void aFileWithoutSectionHeadersHasNoSymbols() {
        ElfImage elf = ElfImage.parse("k.elf", new ElfBuilder().load(0x8000_0000L, CODE).build());

        assertThat(elf.symbol("tohost")).isEmpty();
        assertThat(elf.segments()).hasSize(1);
    }

    @Test
    void skipsNonLoadAndEmptySegments() {
        byte[] file = new ElfBuilder().note(bytes(9, 9, 9, 9)).load(0x8000_2000L, new byte[0], 0)
                .load(0x8000_0000L, CODE).build();

        ElfImage elf = ElfImage.parse("k.elf", file);

        assertThat(elf.segments()).extracting(ElfImage.Segment::physicalAddress).containsExactly(0x8000_0000L);
    }

    @Test
    void acceptsPositionIndependentExecutables() {
        byte[] file = new ElfBuilder().type(3).load(0x8000_0000L, CODE).build();

        assertThat(ElfImage.parse("k.elf", file).segments()).hasSize(1);
    }

    @Test
    void recognisesTheMagic() {
        assertThat(ElfImage.isElf(valid())).isTrue();
        assertThat(ElfImage.isElf(bytes(0x7f, 'E', 'L'))).isFalse();
        assertThat(ElfImage.isElf(bytes(0x7f, 'E', 'L', 'G'))).isFalse();
        assertThat(ElfImage.isElf(new byte[0])).isFalse();
    }

    @Test
    void refusesAFileThatIsNotElf() {
        assertRefused("hello, world".getBytes(StandardCharsets.US_ASCII),
                "k.elf: not an ELF file");
    }

    @Test
    void refusesATruncatedHeader() {
        assertRefused(Arrays.copyOf(valid(), 63), "k.elf: truncated ELF header (63 bytes)");
        assertRefused(Arrays.copyOf(valid(), 4), "k.elf: truncated ELF header (4 bytes)");
    }

    @Test
    void refuses32BitFiles() {
        byte[] file = valid();
        file[ElfBuilder.E_CLASS] = 1;

        assertRefused(file, "k.elf: not a 64-bit ELF file (RV64 needs ELFCLASS64)");
    }

    @Test
    void refusesBigEndianFiles() {
        byte[] file = valid();
        file[ElfBuilder.E_DATA] = 2;

        assertRefused(file, "k.elf: not a little-endian ELF file");
    }

    @Test
    void refusesOtherMachines() {
        assertRefused(new ElfBuilder().machine(62).load(0x8000_0000L, CODE).build(),
                "k.elf: ELF machine 62 is not RISC-V (243)");
    }

    @Test
    void refusesRelocatableObjects() {
        assertRefused(new ElfBuilder().type(1).load(0x8000_0000L, CODE).build(),
                "k.elf: ELF type 1 is not an executable");
    }

    @Test
    void refusesAProgramHeaderTablePastTheEnd() {
        byte[] file = valid();
        putLong(file, ElfBuilder.E_PHOFF, file.length - 100);

        assertRefused(file, String.format(
                "k.elf: truncated: program header table at 0x%x+0x70 lies past the end (0x%x bytes)",
                file.length - 100, file.length));
    }

    @Test
    void refusesAProgramHeaderTableAtANegativeOffset() {
        byte[] file = valid();
        putLong(file, ElfBuilder.E_PHOFF, -8);

        assertThatThrownBy(() -> ElfImage.parse("k.elf", file))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("k.elf: truncated: program header table at 0xfffffffffffffff8+0x70");
    }

    @Test
    void refusesTooSmallProgramHeaders() {
        byte[] file = valid();
        putShort(file, ElfBuilder.E_PHENTSIZE, 32);

        assertRefused(file, "k.elf: corrupt ELF program header size 32");
    }

    @Test
    void refusesASegmentWhoseBytesLiePastTheEnd() {
        byte[] file = valid();
        long offset = ElfBuilder.HEADER_SIZE + 2 * ElfBuilder.PROGRAM_HEADER_SIZE;
        putLong(file, programHeader(0) + ElfBuilder.P_FILESZ, file.length);
        putLong(file, programHeader(0) + ElfBuilder.P_MEMSZ, file.length);

        assertRefused(file, String.format("k.elf: truncated: segment 0 needs bytes up to 0x%x, file has 0x%x",
                offset + file.length, file.length));
    }

    @Test
    void refusesASegmentWhoseOffsetOverflows() {
        byte[] file = valid();
        putLong(file, programHeader(1) + ElfBuilder.P_OFFSET, Long.MAX_VALUE);

        assertThatThrownBy(() -> ElfImage.parse("k.elf", file))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("k.elf: corrupt: segment 1 has offset 0x7fffffffffffffff and file size 0x");
        putLong(file, programHeader(1) + ElfBuilder.P_OFFSET, -4096);
        assertThatThrownBy(() -> ElfImage.parse("k.elf", file))
                .hasMessageStartingWith("k.elf: corrupt: segment 1 has offset 0xfffffffffffff000");
    }

    @Test
    void refusesSegmentsLoadedOverEachOther() {
        byte[] file = new ElfBuilder().entry(0x8000_0000L)
                .load(0x8000_1000L, bytes(1, 2, 3, 4), 0x40)
                .load(0x8000_0000L, CODE, 0x1001)
                .build();

        assertRefused(file, "k.elf: segments at 0x80000000 (0x1001 bytes) and 0x80001000 overlap");
        byte[] touching = new ElfBuilder().entry(0x8000_0000L)
                .load(0x8000_1000L, bytes(1, 2, 3, 4), 0x40)
                .load(0x8000_0000L, CODE, 0x1000)
                .build();
        assertThat(ElfImage.parse("k.elf", touching).segments()).hasSize(2);
        byte[] wrapping = new ElfBuilder().entry(0x8000_0000L)
                .load(0xffff_ffff_ffff_f000L, CODE, 0x2000)
                .build();
        assertRefused(wrapping, "k.elf: corrupt: segment at 0xfffffffffffff000 (0x2000 bytes) runs past the end of "
                + "the address space");
    }

    @Test
    void refusesAFileSizeAboveTheMemorySize() {
        byte[] file = valid();
        putLong(file, programHeader(1) + ElfBuilder.P_MEMSZ, 2);

        assertRefused(file, "k.elf: segment 1 has file size 0x4 above memory size 0x2");
    }

    @Test
    void aMemorySizeWithTheTopBitSetIsTooLargeNotBelowTheFileSize() {
        byte[] file = valid();
        putLong(file, programHeader(1) + ElfBuilder.P_MEMSZ, -1);

        assertThatThrownBy(() -> ElfImage.parse("k.elf", file)).isInstanceOf(ImageException.class)
                .hasMessageStartingWith("k.elf: corrupt: segment at 0x")
                .hasMessageEndingWith(" (0xffffffffffffffff bytes) runs past the end of the address space");
    }

    @Test
    void refusesAFileWithoutLoadableSegments() {
        assertRefused(new ElfBuilder().note(bytes(1, 2, 3, 4)).build(), "k.elf: ELF file has no loadable segment");
        assertRefused(new ElfBuilder().build(), "k.elf: ELF file has no loadable segment");
    }

    @Test
    void refusesASectionHeaderTablePastTheEnd() {
        byte[] file = valid();
        putLong(file, ElfBuilder.E_SHOFF, file.length - 64);

        assertRefused(file, String.format(
                "k.elf: truncated: section header table at 0x%x+0xc0 lies past the end (0x%x bytes)",
                file.length - 64, file.length));
    }

    @Test
    void refusesASymbolTableLinkedToAMissingSection() {
        byte[] file = valid();
        int shoff = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF);
        putInt(file, shoff + ElfBuilder.SECTION_HEADER_SIZE + 40, 7);

        assertRefused(file, "k.elf: corrupt symbol table header");
    }

    @Test
    void refusesASymbolTableLinkedToANegativeSection() {
        byte[] file = valid();
        int shoff = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF);
        putInt(file, shoff + ElfBuilder.SECTION_HEADER_SIZE + 40, -1000);

        assertRefused(file, "k.elf: corrupt symbol table header");
    }

    @Test
    void refusesASymbolTableWhoseEntrySizeOverflowsItsBounds() {
        byte[] file = valid();
        int shoff = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF);
        putLong(file, shoff + ElfBuilder.SECTION_HEADER_SIZE + 56, 0x7fff_ffff_ffff_fff0L);

        assertRefused(file, "k.elf: corrupt symbol table header");
    }

    @Test
    void readsNoSymbolFromATableSmallerThanOneEntry() {
        byte[] file = valid();
        int shoff = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF);
        putLong(file, shoff + ElfBuilder.SECTION_HEADER_SIZE + 56, 0x1000_0000L);

        assertThat(ElfImage.parse("k.elf", file).symbol("tohost")).isEmpty();
    }

    @Test
    void refusesASymbolTableLinkedToASectionThatIsNotAStringTable() {
        byte[] file = valid();
        int shoff = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF);
        putInt(file, shoff + ElfBuilder.SECTION_HEADER_SIZE + 40, 1); // itself

        assertRefused(file, "k.elf: corrupt symbol table header");
    }

    @Test
    void refusesANameThatRunsToTheEndOfItsStringTable() {
        byte[] file = valid();
        int strtab = (int) ElfBuilder.getLong(file, ElfBuilder.E_SHOFF) + 2 * ElfBuilder.SECTION_HEADER_SIZE;
        int offset = (int) ElfBuilder.getLong(file, strtab + 24);
        long size = ElfBuilder.getLong(file, strtab + 32);
        file[offset + (int) size - 1] = 'x'; // "tohost" loses its terminator

        assertRefused(file, "k.elf: corrupt string table: a name at index 8 is not terminated within 4096 bytes");
    }

    @Test
    void refusesANameLongerThanFourKibibytesButReadsOneThatFits() {
        String fits = "f".repeat(StringTable.MAX_NAME);
        ElfImage elf = ElfImage.parse("k.elf", new ElfBuilder().load(0x8000_0000L, CODE).symbol(fits, 0x8000_0000L)
                .build());
        assertThat(elf.symbol(fits)).contains(0x8000_0000L);

        byte[] tooLong = new ElfBuilder().load(0x8000_0000L, CODE)
                .symbol("g".repeat(StringTable.MAX_NAME + 1), 0x8000_0000L).build();
        assertRefused(tooLong, "k.elf: corrupt string table: a name at index 1 is not terminated within 4096 bytes");
    }

    private static void assertRefused(byte[] file, String message) {
        assertThatThrownBy(() -> ElfImage.parse("k.elf", file))
                .isInstanceOf(ImageException.class)
                .hasMessage(message);
    }
}
