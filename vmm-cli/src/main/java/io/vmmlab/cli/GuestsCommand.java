package io.vmmlab.cli;

import io.vmmlab.cli.args.CommandSyntax;
import io.vmmlab.cli.args.ParsedArguments;
import io.vmmlab.runtime.loader.BundledGuests;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Lists the guest images bundled with VMMLab: one line each, {@code bundled:NAME}, tab, description.
 */
final class GuestsCommand implements Command {
    private static final CommandSyntax SYNTAX = CommandSyntax.of("guests",
            List.of("List bundled guest images (use them as --kernel bundled:NAME)."), List.of());

    @Override
    public CommandSyntax syntax() {
        return SYNTAX;
    }

    @Override
    public int run(ParsedArguments arguments, PrintWriter out, PrintWriter err) {
        Map<String, String> guests = new BundledGuests(Thread.currentThread().getContextClassLoader()).list();
        guests.forEach((name, description) -> out.println(BundledGuests.PREFIX + name + "\t" + description));
        return ExitCodes.SUCCESS;
    }
}
