package io.vmmlab.runtime.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files a user names as input (images, cost models, saved comparisons): only regular files, whose size
 * is known up front. A pipe or a device could block forever or never end ({@code /dev/zero} filled the heap before
 * the read gave up); such a file, or one larger than the caller's limit, is refused before it is read.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Reads a whole file.
     *
     * @param file the file
     * @param limit the most bytes it may hold (at most {@code Integer.MAX_VALUE - 16})
     * @return its bytes
     * @throws IOException when it is missing, not a regular file, larger than the limit or unreadable; its message
     *                     is a reason for a one-line error ({@link #reason})
     */
    public static byte[] read(Path file, long limit) throws IOException {
        // Missing (NoSuchFileException), a directory on the way that cannot be searched (AccessDeniedException), a
        // name too long...: the file system says which.
        Files.readAttributes(file, BasicFileAttributes.class);
        if (!Files.isRegularFile(file)) {
            throw new IOException(Files.isDirectory(file) ? "it is a directory" : "not a regular file");
        }
        int most = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        if (Files.size(file) > most) {
            throw new IOException("larger than " + most + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(most + 1);
            if (bytes.length > most) { // it grew meanwhile
                throw new IOException("larger than " + most + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Reads a whole text file in UTF-8.
     *
     * @param file the file
     * @param limit the most bytes it may hold
     * @return its text
     * @throws IOException as {@link #read}, and when it is not UTF-8 text
     */
    public static String readText(Path file, long limit) throws IOException {
        byte[] bytes = read(file, limit);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
    }

    /**
     * Says why a file operation failed, for a one-line message (the JDK's own message is often just the path).
     *
     * @param e the failure
     * @return the reason
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failure && failure.getReason() != null) {
            String reason = failure.getReason(); // the system's words ("File name too long"), without the path
            return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
