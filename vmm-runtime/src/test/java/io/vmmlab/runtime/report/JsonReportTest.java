package io.vmmlab.runtime.report;

import io.vmmlab.api.hypervisor.GuestOutcome;
import io.vmmlab.api.metrics.CounterSnapshot;
import io.vmmlab.runtime.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

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
