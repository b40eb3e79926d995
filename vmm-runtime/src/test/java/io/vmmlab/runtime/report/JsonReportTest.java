package io.vmmlab.runtime.report;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.IsaSpec;
import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.hypervisor.VmSpec;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.run.RunResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

final class JsonReportTest {

    @Test
    void quotesPlainText() {
        assertThat(JsonReport.quote("native")).isEqualTo("\"native\"");
        assertThat(JsonReport.quote("")).isEqualTo("\"\"");
    }

    @Test
    void escapesQuotesAndBackslashes() {
        assertThat(JsonReport.quote("say \"hi\" C:\\dir")).isEqualTo("\"say \\\"hi\\\" C:\\\\dir\"");
    }

    @Test
    void escapesControlCharacters() {
        assertThat(JsonReport.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        assertThat(JsonReport.quote("\u0000\u0001\b\f\u001f")).isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u001f\"");
    }

    @Test
    void leavesPrintableAndNonAsciiCharactersAlone() {
        assertThat(JsonReport.quote(" ~\u007fé€/")).isEqualTo("\" ~\u007fé€/\"");
    }

    @Test
    void rendersARunWithCountersSortedByName() {
        String json = JsonReport.format(Reports.sampleRun(), Reports.COST_MODEL);

        assertThat(json).isEqualTo("""
                {
                  "strategy": "fullvirt/trap",
                  "status": "powered_off",
                  "exitCode": 0,
                  "message": "tohost: test passed",
                  "instructions": 3000000,
                  "wallSeconds": 1.500000,
                  "instructionsPerSecond": 2000000,
                  "costModel": "test-model",
                  "modeledCycles": 3000210,
                  "counters": [
                    {"group": "cpu", "reason": "instructions", "category": "instruction", "value": 3000000},
                    {"group": "exit", "reason": "ecall", "category": "hypercall", "value": 1},
                    {"group": "exit", "reason": "mmio-write", "category": "trap_round_trip", "value": 2},
                    {"group": "tlb", "reason": "flush", "category": "tlb_flush", "value": 0}
                  ]
                }
                """);
    }

    /** A report says what produced it: the VM as asked for, after the run's own fields. */
    @Test
    void rendersTheVmThatRan() {
        VmSpec vm = new VmSpec("fullvirt", Optional.of("trap"), "interpreter", IsaSpec.parse("rv64imac_sstc"),
                AddressTranslation.SV48, 2, 256L << 20, Optional.empty(), Optional.empty(), "console=\"ttyS0\"",
                "builtin", List.of(), 0, Duration.ZERO, true);

        String json = JsonReport.format(Reports.sampleRun(), Reports.COST_MODEL, vm);

        assertThat(json).contains("  \"modeledCycles\": 3000210,\n  \"vm\": {\"strategy\": \"fullvirt\", "
                + "\"technique\": \"trap\", \"cpu\": \"interpreter\", "
                + "\"isa\": \"rv64imac_zicntr_zicsr_zifencei_sstc\", "
                + "\"mmu\": \"sv48\", \"harts\": 2, \"memoryBytes\": 268435456, \"firmware\": \"builtin\", "
                + "\"append\": \"console=\\\"ttyS0\\\"\", \"deterministic\": true},\n  \"counters\": [\n");
    }

    @Test
    void rendersAnEmptyCounterListAndEscapesTheMessage() {
        RunResult result = new RunResult("native",
                new GuestOutcome(GuestOutcome.Status.LIMIT_REACHED, "limit \"100\"\nreached"),
                0, 0, new CounterSnapshot(Map.of()));

        String json = JsonReport.format(result, Reports.COST_MODEL);

        assertThat(json).isEqualTo("""
                {
                  "strategy": "native",
                  "status": "limit_reached",
                  "exitCode": 124,
                  "message": "limit \\"100\\"\\nreached",
                  "instructions": 0,
                  "wallSeconds": 0.000000,
                  "instructionsPerSecond": 0,
                  "costModel": "test-model",
                  "modeledCycles": 0,
                  "counters": []
                }
                """);
    }
}
