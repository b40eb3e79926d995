package io.vmmlab.paravirt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled PV kernel has no privileged instruction: its only way out of U-mode is ecall. */
final class PvKernelImageTest {
    private static final Path IMAGE = Path.of("../vmm-guests/src/main/resources/io/vmmlab/guests/kernel-pv.elf");
    private static final int SYSTEM_OPCODE = 0x73;
    private static final int ECALL = 0x73;
    private static final long SHF_EXECINSTR = 4;

    @Test
    void textHoldsNoPrivilegedInstruction() throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(IMAGE)).order(ByteOrder.LITTLE_ENDIAN);
        List<String> privileged = new ArrayList<>();
        int ecalls = 0;
        int instructions = 0;
        long sectionTable = elf.getLong(0x28);
        int entrySize = elf.getShort(0x3a) & 0xffff;
        int count = elf.getShort(0x3c) & 0xffff;
        for (int section = 0; section < count; section++) {
            int header = (int) (sectionTable + (long) section * entrySize);
            if ((elf.getLong(header + 8) & SHF_EXECINSTR) == 0 || elf.getInt(header + 4) != 1) {
                continue;
            }
            int offset = (int) elf.getLong(header + 0x18);
            int end = offset + (int) elf.getLong(header + 0x20);
            while (offset < end) {
                int low = elf.getShort(offset) & 0xffff;
                if ((low & 3) != 3) {
                    offset += 2;
                } else {
                    int word = elf.getInt(offset);
                    if ((word & 0x7f) == SYSTEM_OPCODE) {
                        if (word == ECALL) {
                            ecalls++;
                        } else {
                            privileged.add(String.format("0x%08x at file offset 0x%x", word, offset));
                        }
                    }
                    offset += 4;
                }
                instructions++;
            }
        }

        assertThat(instructions).isGreaterThan(1000);
        assertThat(privileged).as("csr*, sret, mret, wfi, sfence.vma").isEmpty();
        assertThat(ecalls).as("hypercalls").isPositive();
    }
}
