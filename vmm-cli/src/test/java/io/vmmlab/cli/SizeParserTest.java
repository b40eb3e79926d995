package io.vmmlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

final class SizeParserTest {

    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "64k, 65536",
        "64K, 65536",
        "65536K, 67108864",
        "256M, 268435456",
        "256m, 268435456",
        "1G, 1073741824",
        "1GiB, 1073741824",
        "1gib, 1073741824",
        "512MB, 536870912",
        "512MiB, 536870912",
        "16KiB, 16384",
        "' 8M ', 8388608",
        "7B, 7",
        "8589934591G, 9223372035781033984",
    })
    void parsesSizes(String text, long bytes) {
        assertThat(SizeParser.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "M", "GiB", "12X", "-5", "+5", "1.5G", "1 G", "0x100", "1T", "12MM"})
    void refusesMalformedSizes(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse(text))
                .withMessage("bad size '" + text + "': use a number with K, M or G, such as 256M");
    }

    @Test
    void refusesZero() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("0"))
                .withMessage("bad size '0': out of range");
        assertThatIllegalArgumentException().isThrownBy(() -> SizeParser.parse("0M"))
                .withMessage("bad size '0M': out of range");
    }

    @Test
    void refusesSizesThatOverflowALong() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("8589934592G"))
                .withMessage("bad size '8589934592G': out of range");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("99999999999G"))
                .withMessage("bad size '99999999999G': out of range");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("9223372036854775807"))
                .withMessage("bad size '9223372036854775807': out of range");
    }

    @Test
    void refusesMoreThanTwelveDigits() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SizeParser.parse("1000000000000"))
                .withMessageStartingWith("bad size '1000000000000'");
    }
}
