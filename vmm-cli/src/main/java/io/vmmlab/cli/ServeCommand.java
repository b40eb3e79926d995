package io.vmmlab.cli;

import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.Option;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.cli.args.UsageException;
import io.vmmlab.cli.args.ValueType;
import io.vmmlab.cli.host.ClientStreams;
import io.vmmlab.cli.host.HostControl;
import io.vmmlab.cli.host.HostServer;
import io.vmmlab.cli.host.HostState;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code vmm serve}: keeps a resident host running, a warm JVM that runs the commands the launcher sends it, so a
 * guest starts without a new JVM's start-up and with the hart's code already compiled.
 */
final class ServeCommand implements Command {
    private static final Option<Path> STATE = Option.of("--state", "FILE", ValueType.PATH,
            "Where to name the host's port and token for the launcher (./vmm gives its checkout's).");
    private static final Option<Double> IDLE = Option.of("--idle-timeout", "SECONDS", ValueType.DOUBLE,
            "End after this long with no command running; 0 for never.").withDefault("3600");
    private static final long MAX_IDLE_SECONDS = 366L * 24 * 3600;
    private static final Option<Boolean> WARM_UP = Option.negatableFlag("--warm-up",
            "Before taking commands, run the bundled guests natively on both engines, quietly, so the first "
            + "command finds the hart's code compiled.").withDefaultInDescription("true");
    /**
     * The warm-up: the guest suite natively on each engine and the bare-metal benchmark. Native only: a warm-up under
     * every strategy (the start-up cache's training run) left a warm host's Linux boots on the translator about
     * 10-30 ms slower than none at all (its call sites had seen every strategy's classes), where native runs are the
     * common case and other strategies warm up with their own first run.
     */
    private static final List<List<String>> WARM_UP_COMMANDS = List.of(
            List.of("run", "--quiet"),
            List.of("run", "--quiet", "--cpu", "interpreter"),
            List.of("run", "--quiet", "--bios", "none", "--kernel", "bundled:bench-small"));

    private static final Option<Boolean> STATUS = Option.flag("--status",
            "Say whether a host of the checkout runs (its pid and port), and exit.");
    private static final Option<Boolean> STOP = Option.flag("--stop",
            "Stop the checkout's host: it takes no more commands and ends once those it runs finish (waited for up "
            + "to 10 s), and exit.");
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private static final CommandSyntax SYNTAX = CommandSyntax.of("serve", List.of(
            "Keep a resident host running: './vmm' then runs its commands in this warm JVM instead of starting "
                + "a new one.",
            "Runs in the foreground until interrupted, idle for --idle-timeout, or its state file goes (a rebuild "
                + "seen by './vmm', 'mvn clean', 'vmm serve --stop'). Set VMM_HOST=off to make './vmm' start its own "
                + "JVM anyway."),
            List.of(STATE, IDLE, WARM_UP, STATUS, STOP));

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        Path state = arguments.optionalValue(STATE).orElseThrow(() -> new UsageException(
                "'vmm serve' needs --state FILE (./vmm passes its checkout's)"));
        if (arguments.value(STATUS) && arguments.value(STOP)) {
            throw new UsageException("--status and --stop do not go together");
        }
        if (arguments.value(STATUS)) {
            out.println(status(new HostControl(state)));
            return ExitCodes.SUCCESS;
        }
        if (arguments.value(STOP)) {
            out.println(stop(new HostControl(state)));
            return ExitCodes.SUCCESS;
        }
        Duration idle = idleLimit(arguments.value(IDLE));
        Path directory = Optional.ofNullable(state.toAbsolutePath().getParent()).orElseThrow();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("cannot write " + state + ": no such directory " + directory);
        }
        refuseOtherFiles(state);
        HostServer host = new HostServer(state, idle, ServeCommand::runSession, System.err); // dates its code now
        if (arguments.value(WARM_UP)) {
            warmUp(err);
        }
        err.flush();
        try {
            host.serve();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serve: " + e.getMessage());
        }
        return ExitCodes.SUCCESS;
    }

    /**
     * Refuses a state file name that holds something else (a directory, a user's file): the host replaces the file
     * and removes it when it ends, which would lose what it held. A state file of an earlier host may be replaced.
     */
    private static void refuseOtherFiles(Path state) {
        if (Files.isDirectory(state)) {
            throw new IllegalArgumentException("cannot use " + state + " as the state file: it is a directory");
        }
        if (Files.exists(state, LinkOption.NOFOLLOW_LINKS) && HostState.read(state).isEmpty()) {
            throw new IllegalArgumentException("cannot use " + state + " as the state file: it exists and is not a "
                    + "resident host's state file");
        }
    }

    /** Runs the warm-up commands in this JVM, their output discarded; a command that fails is only reported. */
    private static void warmUp(PrintWriter err) {
        long start = System.nanoTime();
        Invocation detached = Invocation.remote(Path.of("").toAbsolutePath(), InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), raw -> { }, () -> false);
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream(), true);
        for (List<String> command : WARM_UP_COMMANDS) {
            StringWriter errors = new StringWriter();
            int code = Vmm.execute(command.toArray(String[]::new), detached, nowhere, new PrintWriter(errors, true));
            if (code != ExitCodes.SUCCESS) {
                // Its first line says why (a broken plugin on the class path, say).
                String why = errors.toString().lines().filter(line -> line.startsWith("vmm: ")).findFirst()
                        .map(line -> ": " + line.substring("vmm: ".length())).orElse("");
                err.println("vmm serve: warm-up command '" + String.join(" ", command) + "' exited " + code + why);
            }
        }
        err.printf("vmm serve: warmed up in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static String status(HostControl control) {
        return control.running().map(host -> "vmm serve: a host runs (pid " + host.pid() + ", 127.0.0.1:"
                + host.port() + ")").orElse("vmm serve: no host runs for this checkout");
    }

    private static String stop(HostControl control) {
        HostControl.Stop stop = control.stop(STOP_WAIT);
        return switch (stop.outcome()) {
            case NONE_RUNNING -> "vmm serve: no host runs for this checkout"
                    + (stop.staleFileRemoved() ? " (removed the state file of one that is gone)" : "");
            case STOPPED -> "vmm serve: stopped the host (pid " + stop.pid() + ")";
            case ENDING -> "vmm serve: the host (pid " + stop.pid() + ") takes no more commands and ends once those "
                    + "it runs finish";
        };
    }

    private static Duration idleLimit(double seconds) {
        if (seconds > MAX_IDLE_SECONDS) {
            throw new IllegalArgumentException("--idle-timeout must be at most " + MAX_IDLE_SECONDS
                    + " seconds (a year); 0 for never");
        }
        return WallTimeLimit.of(seconds, "--idle-timeout");
    }

    /** Runs one client's command line as {@code vmm} would in its own process. */
    private static int runSession(List<String> arguments, ClientStreams client) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(client.out(), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(client.err(), StandardCharsets.UTF_8), true);
        if (!arguments.isEmpty() && arguments.get(0).equals("serve")) {
            err.println("vmm: 'serve' cannot run inside the resident host");
            return ExitCodes.USAGE;
        }
        // The console writes through a PrintStream, as System.out in a JVM of its own: a client whose output was
        // closed early (`| head`) loses the output, and the guest goes on.
        Invocation invocation = Invocation.remote(client.directory(), client.in(), new PrintStream(client.out()),
                client::terminalMode, client::abandoned);
        return Vmm.execute(arguments.toArray(String[]::new), invocation, out, err);
    }
}
