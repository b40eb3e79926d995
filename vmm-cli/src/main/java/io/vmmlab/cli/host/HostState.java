package io.vmmlab.cli.host;

import io.vmmlab.cli.OutputFiles;
import io.vmmlab.runtime.loader.InputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The resident host's state file: the loopback port it listens on and the secret token a client must send, one
 * line ({@code PORT TOKEN PID}), readable by its owner only. The launcher reads it to reach the host; the host ends
 * when the file no longer names it (removed by a clean build, or by the launcher when the jars changed).
 *
 * @param port the TCP port on 127.0.0.1
 * @param token the secret, in hexadecimal
 * @param pid the host's process id
 */
public record HostState(int port, String token, long pid) {
    /**
     * Writes the file atomically, readable and writable by its owner only.
     *
     * @param file where
     * @throws IOException when it cannot be written, with a message naming the file and why (the system's own names
     *         only the temporary file beside it)
     */
    public void write(Path file) throws IOException {
        try {
            writeBeside(file);
        } catch (IOException e) {
            throw new IOException("cannot write the state file " + file + ": " + InputFiles.reason(e), e);
        }
    }

    private void writeBeside(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary;
        try {
            // A new file of a name no one can guess, made owner-only as it is created, written without following
            // a link that might have taken its place.
            temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot create a file readable by its owner only in " + directory, e);
        }
        try {
            Files.writeString(temporary, port + " " + token + " " + pid + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            OutputFiles.move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a state file.
     *
     * @param file where
     * @return the state, or empty when the file is missing or not a state file (nor a regular file: reading a named
     *         pipe would wait for a writer that never comes)
     */
    public static Optional<HostState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            if (fields.length != 3) {
                return Optional.empty();
            }
            return Optional.of(new HostState(Integer.parseInt(fields[0]), fields[1], Long.parseLong(fields[2])));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells whether a file still names this host.
     *
     * @param file the state file
     * @return true when it holds this state
     */
    public boolean isIn(Path file) {
        return read(file).filter(this::equals).isPresent();
    }

    /**
     * Removes the file if it still names this host (another host may have replaced it).
     *
     * @param file the state file
     * @return true when this call removed it
     */
    public boolean removeFrom(Path file) {
        if (isIn(file)) {
            try {
                return Files.deleteIfExists(file);
            } catch (IOException e) {
                // Nothing to do: a launcher that finds it cannot connect and runs the command itself.
            }
        }
        return false;
    }
}
