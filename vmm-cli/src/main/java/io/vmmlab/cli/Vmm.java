package io.vmmlab.cli;

import io.vmmlab.cli.args.ArgumentParser;
import io.vmmlab.cli.args.CommandHelp;
import io.vmmlab.cli.args.Option;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.cli.args.UsageException;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code vmm} command: build, run and compare hypervisors on the emulated RISC-V board. It reads its own
 * options ({@code --help}, {@code --version}) up to the command's name, then hands the rest to the command.
 */
public final class Vmm {
    /** The program's name, as usage and help show it. */
    static final String PROGRAM = "vmm";
    /** What the program does, as its help shows it. */
    static final String DESCRIPTION = "Build, run and compare hypervisors on an emulated RISC-V RV64 board.";
    /** {@code -V, --version}: an option of {@code vmm} itself. */
    static final Option<Boolean> VERSION = Option.flag("--version", "Print version information and exit.")
            .withShortName("-V");

    /** SLF4J's simple logger reads its level from this property (default in simplelogger.properties). */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /**
     * Guice generates classes for fast constructor calls and method interception unless told not to; VMMLab uses no
     * interception, and plain reflection saves the generation at start-up (about 15 ms of {@code vmm run}).
     */
    private static final String GUICE_BYTECODE_PROPERTY = "guice_bytecode_gen_option";
    /**
     * SLF4J looks its provider up with a ServiceLoader scan of every jar unless this names it: the command line ships
     * the simple logger, and naming it saves the scan (about 5 ms of start-up). Set it to use another provider.
     */
    static final String SLF4J_PROVIDER_PROPERTY = "slf4j.provider";
    private static final String SIMPLE_LOGGER_PROVIDER = "org.slf4j.simple.SimpleServiceProvider";
    /** SLF4J's own messages below this level are not printed (it announces a provider named as above at INFO). */
    static final String SLF4J_VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private Vmm() {
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        configureLibraries();
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(StandardOutput.checked(code, System.out, System.err, StandardOutput.DESCRIPTOR));
    }

    /** Sets the system properties the logger and Guice read, unless given: what the command line runs with. */
    static void configureLibraries() {
        String logLevel = System.getenv("VMM_LOG_LEVEL");
        if (logLevel != null && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, logLevel.toLowerCase(Locale.ROOT));
        }
        if (System.getProperty(GUICE_BYTECODE_PROPERTY) == null) {
            System.setProperty(GUICE_BYTECODE_PROPERTY, "DISABLED");
        }
        if (System.getProperty(SLF4J_PROVIDER_PROPERTY) == null) {
            System.setProperty(SLF4J_PROVIDER_PROPERTY, SIMPLE_LOGGER_PROVIDER);
        }
        if (System.getProperty(SLF4J_VERBOSITY_PROPERTY) == null) {
            System.setProperty(SLF4J_VERBOSITY_PROPERTY, "WARN");
        }
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
        return execute(args, Invocation.local(), out, err);
    }

    /**
     * Runs the command line for an invocation from elsewhere (the resident host's client), without exiting.
     *
     * @param args the arguments
     * @param invocation the working directory, console streams and terminal of whoever invoked it
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int execute(String[] args, Invocation invocation, PrintWriter out, PrintWriter err) {
        try {
            return dispatch(Arrays.asList(args), new CommandFactory(new PluginsOnDemand(), invocation), out, err);
        } catch (RuntimeException e) {
            return new ErrorHandler(err).handle(e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            return new ErrorHandler(err).handle(e);
        } catch (LinkageError | AssertionError e) { // a plugin's class missing, failing to initialize, asserting
            return new ErrorHandler(err).handleError(e);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, CommandFactory commands, PrintWriter out, PrintWriter err) {
        int commandIndex = 0;
        while (commandIndex < args.size() && args.get(commandIndex).startsWith("-")) {
            commandIndex++;
        }
        List<String> options = args.subList(0, commandIndex);
        if (options.stream().anyMatch(Option.HELP.names()::contains)) {
            out.print(new HelpCommand(commands).mainHelp());
            return ExitCodes.SUCCESS;
        }
        if (options.stream().anyMatch(VERSION.names()::contains)) {
            VersionProvider.version().forEach(out::println);
            return ExitCodes.SUCCESS;
        }
        if (!options.isEmpty()) {
            throw new UsageException("Unknown option: '" + options.get(0) + "'");
        }
        if (args.isEmpty()) {
            throw new UsageException("missing command; try 'vmm --help'");
        }
        Command command = commands.require(args.get(0));
        ParsedArguments arguments = ArgumentParser.parse(command.syntax(), args.subList(1, args.size()));
        if (arguments.isHelpRequested()) {
            out.print(CommandHelp.format(PROGRAM, command.syntax()));
            return ExitCodes.SUCCESS;
        }
        return command.run(arguments, out, err);
    }
}
