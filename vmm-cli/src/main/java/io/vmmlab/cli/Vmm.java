package io.vmmlab.cli;

import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code vmm} command: build, run and compare hypervisors on the emulated RISC-V board.
 */
@Command(name = "vmm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Build, run and compare hypervisors on an emulated RISC-V RV64 board.",
        subcommands = {StrategiesCommand.class, CpusCommand.class, DevicesCommand.class, GuestsCommand.class,
                RunCommand.class,
                CompareCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success; the guest powered off cleanly or reported success",
            " 1:the guest reported a failure",
            " 2:usage error or bad input",
            " 3:internal error",
            "124:the instruction limit or the timeout was reached"})
public final class Vmm implements Runnable {
    /** SLF4J's simple logger reads its level from this property (default in simplelogger.properties). */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        String logLevel = System.getenv("VMM_LOG_LEVEL");
        if (logLevel != null && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, logLevel.toLowerCase(java.util.Locale.ROOT));
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Plugins plugins;
        try {
            plugins = Plugins.discover();
        } catch (IllegalStateException e) {
            err.println("vmm: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        CommandLine commandLine = new CommandLine(new Vmm(), new CommandFactory(plugins));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ErrorHandler());
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try 'vmm --help'");
    }
}
