package io.vmmlab.runtime.loader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SymbolTableTest {
    private static final long BASE = 0x8020_0000L;

    @TempDir
    Path directory;

    private static SymbolTable table(ElfBuilder builder) {
        return ElfImage.parse("test.elf", builder.load(BASE, new byte[16]).build()).codeSymbols();
    }

    @Test
    void namesAnAddressInsideAFunctionByItsOffset() {
        SymbolTable symbols = table(new ElfBuilder().function("trap_entry", BASE + 0x100, 0x40)
                .function("memset", BASE + 0x200, 0x80));

        assertThat(symbols.nameOf(BASE + 0x100)).contains("trap_entry");
        assertThat(symbols.nameOf(BASE + 0x11c)).contains("trap_entry+0x1c");
        assertThat(symbols.nameOf(BASE + 0x27e)).contains("memset+0x7e");
    }

    @Test
    void anAddressPastAFunctionsEndOrBelowEverySymbolHasNoName() {
        SymbolTable symbols = table(new ElfBuilder().function("trap_entry", BASE + 0x100, 0x40));

        assertThat(symbols.nameOf(BASE + 0x140)).isEmpty();
        assertThat(symbols.nameOf(BASE + 0xfe)).isEmpty();
        assertThat(symbols.nameOf(0xffff_ffff_ffff_fff0L)).isEmpty();
    }

    @Test
    void aLabelWithoutSizeReachesSixtyFourKibibytes() {
        SymbolTable symbols = table(new ElfBuilder().symbol("_start", BASE));

        assertThat(symbols.nameOf(BASE + SymbolTable.LABEL_REACH - 2)).contains("_start+0xfffe");
        assertThat(symbols.nameOf(BASE + SymbolTable.LABEL_REACH)).isEmpty();
    }

    @Test
    void addressesCompareUnsignedSoKernelAddressesAboveTwoToTheSixtyThreeWork() {
        long kernel = 0xffff_ffff_8000_0000L;
        SymbolTable symbols = table(new ElfBuilder().function("low", BASE, 0x10)
                .function("_raw_spin_lock_irqsave", kernel + 0x1000, 0x20));

        assertThat(symbols.nameOf(kernel + 0x1006)).contains("_raw_spin_lock_irqsave+0x6");
        assertThat(symbols.nameOf(BASE + 4)).contains("low+0x4");
    }

    @Test
    void atASharedAddressTheFunctionWinsOverALabel() {
        SymbolTable symbols = table(new ElfBuilder().symbol("label_first", BASE + 0x10)
                .function("the_function", BASE + 0x10, 8));

        assertThat(symbols.nameOf(BASE + 0x12)).contains("the_function+0x2");
    }

    @Test
    void dataSectionFileAbsoluteUndefinedAndLocalAssemblerSymbolsAreLeftOut() {
        SymbolTable symbols = table(new ElfBuilder()
                .symbol("an_object", 0x11, 1, BASE + 0x10, 8) // STT_OBJECT
                .symbol("a_section", 0x03, 1, BASE + 0x20, 0) // STT_SECTION
                .symbol("file.c", 0x04, 0xfff1, 0, 0) // STT_FILE, SHN_ABS
                .symbol("an_absolute", 0x10, 0xfff1, BASE + 0x30, 0)
                .symbol("undefined", 0x10, 0, BASE + 0x40, 0)
                .symbol(".L42", 0x00, 1, BASE + 0x50, 0)
                .symbol("$x", 0x00, 1, BASE + 0x60, 0));

        assertThat(symbols.size()).isZero();
        assertThat(symbols.nameOf(BASE + 0x60)).isEmpty();
    }

    @Test
    void readsAFileAndRefusesOneThatIsNotElfOnlyWhenAsked() throws IOException {
        Path elf = Files.write(directory.resolve("kernel.elf"),
                new ElfBuilder().function("main", BASE, 4).load(BASE, new byte[4]).build());
        Path raw = Files.write(directory.resolve("Image"), new byte[] {0x13, 0, 0, 0});

        assertThat(SymbolTable.read(elf, true).nameOf(BASE + 2)).contains("main+0x2");
        assertThat(SymbolTable.read(raw, false).size()).isZero();
        assertThatThrownBy(() -> SymbolTable.read(raw, true)).isInstanceOf(ImageException.class)
                .hasMessageContaining("Image: not an ELF file");
        assertThatThrownBy(() -> SymbolTable.read(directory.resolve("missing"), true))
                .isInstanceOf(ImageException.class).hasMessageContaining("no such file");
    }

    @Test
    void anElfWithoutASymbolTableHasAnEmptyOne() {
        assertThat(table(new ElfBuilder()).size()).isZero();
    }
}
