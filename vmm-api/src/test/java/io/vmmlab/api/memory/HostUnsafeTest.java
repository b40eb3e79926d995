package io.vmmlab.api.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class HostUnsafeTest {
    /** Only JDKs before 23, and later ones started with --sun-misc-unsafe-memory-access=allow, qualify. */
    @Test
    void permittedWhereTheJvmAllowsItQuietly() {
        assertThat(HostUnsafe.permitted(17, null)).isTrue();
        assertThat(HostUnsafe.permitted(22, null)).isTrue();
        assertThat(HostUnsafe.permitted(23, null)).isFalse();
        assertThat(HostUnsafe.permitted(25, "warn")).isFalse();
        assertThat(HostUnsafe.permitted(25, "deny")).isFalse();
        assertThat(HostUnsafe.permitted(25, "allow")).isTrue();
    }
}
