package io.vmmlab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of the {@code vmm} launcher's start-up cache (JDK 25 and newer: an AOT cache holds the classes,
 * linked call sites and method profiles that one training run used). It runs, in one JVM, the kinds of {@code vmm run}
 * whose start-up users wait for: the bundled guest suite (the default command) under every bundled strategy (its PV
 * build under paravirt), and a bare-metal image with {@code --bios none}, a report and the summary (which every run
 * without {@code --quiet} prints at its end), as the benchmark comparison runs it. Trained on the suite alone, a
 * four-instruction guest run the second way took 0.228 s instead of 0.221 s (lambdas, method handle forms and classes
 * of its path spun or loaded at run time); trained natively only, Linux reached init under fullvirt 40-48 ms later
 * (0.59-0.61 vs 0.55-0.56 s, nine interleaved runs twice: the strategy's classes came from the jars and its methods
 * had no profile). The commands' own messages go nowhere (the guests' console output goes to standard output, which
 * the launcher discards); the exit code is the worst of the commands'.
 */
public final class AotTraining {
    private AotTraining() {
    }

    /**
     * The commands of the training run.
     *
     * @param report a scratch file for the report
     * @return the argument lists
     */
    static List<List<String>> commands(Path report) {
        return List.of(
                List.of("run", "--quiet"),
                List.of("run", "--quiet", "--strategy", "hwassist"),
                List.of("run", "--quiet", "--strategy", "fullvirt"),
                List.of("run", "--quiet", "--strategy", "paravirt"),
                List.of("run", "--bios", "none", "--mem", "128M", "--kernel", "bundled:bench-small",
                        "--report", report.toString()));
    }

    /**
     * Runs the training commands and exits with the highest of their exit codes.
     *
     * @param args ignored
     * @throws IOException when the scratch report file cannot be made
     */
    public static void main(String[] args) throws IOException {
        Vmm.configureLibraries();
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream(), true);
        Path report = Files.createTempFile("vmm-training", ".json");
        int worst = ExitCodes.SUCCESS;
        try {
            for (List<String> command : commands(report)) {
                worst = Math.max(worst, Vmm.execute(command.toArray(String[]::new), nowhere, nowhere));
            }
        } finally {
            Files.deleteIfExists(report);
        }
        System.exit(worst);
    }
}
