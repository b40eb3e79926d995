package io.vmmlab.cli;

import io.vmmlab.runtime.discovery.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code vmm} command: build, run and compare hypervisors on the emulated RISC-V board.
 */
@Command(name = "vmm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Build, run and compare hypervisors on an emulated RISC-V RV64 board.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:success; the guest powered off cleanly or reported success",
            " 1:the guest reported a failure",
            " 2:usage error or bad input",
            " 3:internal error",
            "124:the instruction limit or the timeout was reached"})
public final class Vmm implements Runnable {
    /**
     * The subcommands, in the order help lists them. They are added by {@link #execute} rather than named in the
     * annotation, so that a run builds the model of the one it names only (picocli reads every option of every
     * subcommand it is given, a tenth of the start-up of {@code vmm run}).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(StrategiesCommand.class, CpusCommand.class,
            DevicesCommand.class, GuestsCommand.class, RunCommand.class, CompareCommand.class,
            CommandLine.HelpCommand.class);

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
        CommandFactory factory = new CommandFactory(plugins);
        CommandLine commandLine = new CommandLine(new Vmm(), factory);
        for (Class<?> subcommand : subcommandsFor(args)) {
            commandLine.addSubcommand(new CommandLine(subcommand, factory));
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ErrorHandler());
        return commandLine.execute(args);
    }

    /** The subcommand the arguments name, or all of them (for help, errors and anything else). */
    private static List<Class<?>> subcommandsFor(String[] args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                String name = subcommand.getAnnotation(Command.class).name();
                if (name.equals(args[0]) && subcommand != CommandLine.HelpCommand.class) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try 'vmm --help'");
    }
}
