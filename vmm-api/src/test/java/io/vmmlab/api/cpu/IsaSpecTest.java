package io.vmmlab.api.cpu;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class IsaSpecTest {

    @Test
    void parsesSingleLettersIntoCanonicalOrderAndAddsImpliedExtensions() {
        IsaSpec isa = IsaSpec.parse("rv64camI");

        assertThat(isa.xlen()).isEqualTo(64);
        assertThat(isa.singleLetter()).isEqualTo("imac");
        assertThat(isa.multiLetter()).containsExactlyInAnyOrder("zicsr", "zifencei", "zicntr");
        assertThat(isa.canonical()).startsWith("rv64imac_");
        assertThat(isa.canonical().substring("rv64imac_".length()).split("_"))
                .containsExactlyInAnyOrder("zicntr", "zicsr", "zifencei");
        assertThat(isa.toString()).isEqualTo(isa.canonical());
    }

    @Test
    void zExtensionsAreOrderedByCategoryThenAlphabetically() {
        assertThat(IsaSpec.parse("rv64imac_zbs_zba_zihintpause_sstc_zbc").canonical())
                .isEqualTo("rv64imac_zicntr_zicsr_zifencei_zihintpause_zba_zbc_zbs_sstc");
    }

    @Test
    void zicondAndTheCryptographyExtensionsAreOrderedAsQemuWritesThem() {
        assertThat(IsaSpec.parse("rv64imac_zksh_zicond_zknh_zbkx_zbkb").canonical())
                .isEqualTo("rv64imac_zicntr_zicond_zicsr_zifencei_zbkb_zbkx_zknh_zksh");
    }

    @Test
    void zknAndZksBringTheExtensionsTheyStandFor() {
        assertThat(IsaSpec.parse("rv64imac_zkn").canonical())
                .isEqualTo("rv64imac_zicntr_zicsr_zifencei_zbkb_zbkc_zbkx_zkn_zknd_zkne_zknh");
        assertThat(IsaSpec.parse("rv64imac_zks").canonical())
                .isEqualTo("rv64imac_zicntr_zicsr_zifencei_zbkb_zbkc_zbkx_zks_zksed_zksh");
        // a member named too is no mistake (ISA manual: Zkn is shorthand for them)
        assertThat(IsaSpec.parse("rv64imac_zbkb_zkn_zks").multiLetter()).contains("zbkb", "zkn", "zks", "zknd",
                "zksed");
        assertThat(IsaSpec.parse("rv64imac_zbkb").has("zbkc")).isFalse();
        // built directly, as a library user may, the spec says the same
        assertThat(new IsaSpec(64, "imac", Set.of("zks", "zicsr", "zifencei", "zicntr")))
                .isEqualTo(IsaSpec.parse("rv64imac_zks"));
    }

    @Test
    void trimsAndLowercasesTheWholeString() {
        IsaSpec isa = IsaSpec.parse("  RV64IMAC_SSTC ");

        assertThat(isa.singleLetter()).isEqualTo("imac");
        assertThat(isa.multiLetter()).containsExactlyInAnyOrder("sstc", "zicntr", "zicsr", "zifencei");
    }

    @Test
    void expandsGToImafd() {
        IsaSpec isa = IsaSpec.parse("rv64gc");

        assertThat(isa.singleLetter()).isEqualTo("imafdc");
    }

    @Test
    void refusesAnExtensionNamedTwice() {
        assertThatIllegalArgumentException().isThrownBy(() -> IsaSpec.parse("rv64imaac"))
                .withMessage("extension 'a' appears twice in ISA string 'rv64imaac'");
        assertThatIllegalArgumentException().isThrownBy(() -> IsaSpec.parse("rv64gim"))
                .withMessage("extension 'i' appears twice in ISA string 'rv64gim' (g stands for imafd)");
        assertThatIllegalArgumentException().isThrownBy(() -> IsaSpec.parse("rv64imac_c"))
                .withMessage("extension 'c' appears twice in ISA string 'rv64imac_c'");
        assertThatIllegalArgumentException().isThrownBy(() -> IsaSpec.parse("rv64imac_sstc_SSTC"))
                .withMessage("extension 'sstc' appears twice in ISA string 'rv64imac_sstc_SSTC'");
        assertThatIllegalArgumentException().isThrownBy(() -> IsaSpec.parse("rv64imaac_zbkg"))
                .withMessage("extension 'a' appears twice in ISA string 'rv64imaac_zbkg'");
        assertThat(IsaSpec.parse("rv64imac_zicsr_zifencei").multiLetter()).contains("zicsr", "zifencei");
    }

    @Test
    void acceptsSingleLetterExtensionsAfterAnUnderscore() {
        IsaSpec isa = IsaSpec.parse("rv64imac_h");

        assertThat(isa.singleLetter()).isEqualTo("imach");
        assertThat(isa.has('h')).isTrue();
        assertThat(isa.has('H')).isTrue();
    }

    @Test
    void keepsMultiLetterExtensions() {
        IsaSpec isa = IsaSpec.parse("rv64imac_zifencei_sstc_svinval_xvendor");

        assertThat(isa.multiLetter())
                .containsExactlyInAnyOrder("sstc", "svinval", "xvendor", "zicntr", "zicsr", "zifencei");
        assertThat(isa.has("sstc")).isTrue();
        assertThat(isa.has("SSTC")).isTrue();
        assertThat(isa.has("svnapot")).isFalse();
    }

    @Test
    void tellsWhichSingleLettersArePresent() {
        IsaSpec isa = IsaSpec.parse("rv64imac");

        assertThat(isa.has('c')).isTrue();
        assertThat(isa.has('h')).isFalse();
        assertThat(isa.has('f')).isFalse();
    }

    @Test
    void misaExtensionsHasOneBitPerLetter() {
        long a = 1L, c = 1L << 2, d = 1L << 3, f = 1L << 5, h = 1L << 7, i = 1L << 8, m = 1L << 12;

        assertThat(IsaSpec.parse("rv64imac").misaExtensions()).isEqualTo(i | m | a | c);
        assertThat(IsaSpec.parse("rv64gch").misaExtensions()).isEqualTo(i | m | a | f | d | c | h);
        assertThat(IsaSpec.parse("rv64i").misaExtensions()).isEqualTo(0x100L);
    }

    @Test
    void constructorRefusesOtherXlens() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IsaSpec(32, "i", Set.of()))
                .withMessage("only RV64 is supported, not RV32");
    }

    @Test
    void constructorFreezesTheMultiLetterSet() {
        IsaSpec isa = new IsaSpec(64, "i", new HashSet<>(Set.of("sstc")));

        assertThat(isa.multiLetter()).containsExactly("sstc");
        assertThatThrownBy(() -> isa.multiLetter().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesRv32() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv32i"))
                .withMessage("ISA string must start with rv64: 'rv32i'");
    }

    @Test
    void refusesAMissingBase() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64"))
                .withMessage("ISA string has no base extension: 'rv64'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64_sstc"))
                .withMessage("ISA string has no base extension: 'rv64_sstc'");
    }

    @Test
    void refusesAnEmptyExtensionBetweenUnderscores() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64imac__sstc"))
                .withMessage("empty extension in ISA string: 'rv64imac__sstc'");
    }

    @Test
    void refusesUnknownLetters() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64iq?x"))
                .withMessage("unknown extension '?' in ISA string 'rv64iq?x'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64imaz"))
                .withMessage("unknown extension 'z' in ISA string 'rv64imaz'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64imac_y"))
                .withMessage("unknown extension 'y' in ISA string 'rv64imac_y'");
    }

    @Test
    void refusesMultiLetterExtensionsWithAnUnknownPrefix() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64imac_hsstc"))
                .withMessage("unknown extension 'hsstc' in ISA string 'rv64imac_hsstc'");
    }

    @Test
    void refusesAStringWithoutTheIBase() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IsaSpec.parse("rv64mac"))
                .withMessage("ISA string needs the I base: 'rv64mac'");
    }

    @Test
    void acceptsTheEBase() {
        assertThat(IsaSpec.parse("rv64emc").singleLetter()).isEqualTo("emc");
    }
}
