package io.vmmlab.cli;

import io.vmmlab.runtime.loader.BundledGuests;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;

/**
 * Lists the guest images bundled with VMMLab: one line each, {@code bundled:NAME}, tab, description.
 */
@Command(name = "guests", description = "List bundled guest images (use them as --kernel bundled:NAME).")
final class GuestsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Map<String, String> guests = new BundledGuests(Thread.currentThread().getContextClassLoader()).list();
        guests.forEach((name, description) ->
                spec.commandLine().getOut().println(BundledGuests.PREFIX + name + "\t" + description));
    }
}
