package io.vmmlab.cli.args;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The layout of help: lines, paragraphs and two-column tables (option and its description, command and its
 * summary), wrapped at {@value #WIDTH} columns.
 */
public final class HelpText {
    /** Help is wrapped to fit this many columns. */
    public static final int WIDTH = 80;
    private static final int INDENT = 2;
    private static final int GAP = 2;
    /** A wider key has its text start on the next line, so one long option does not push every text right. */
    private static final int MAX_KEY_WIDTH = 26;
    /** Continuation lines of a table's text are indented a little, so each row stands apart. */
    private static final int HANGING_INDENT = 2;

    private final List<String> lines = new ArrayList<>();

    /**
     * One row of a table.
     *
     * @param key the left column, such as {@code --mem=SIZE}
     * @param text the right column, wrapped as needed
     */
    public record Row(String key, String text) {
        /** Checks the values. */
        public Row {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(text, "text is null");
        }
    }

    /**
     * Adds a line as it is.
     *
     * @param line the line
     * @return this
     */
    public HelpText line(String line) {
        lines.add(line);
        return this;
    }

    /**
     * Adds an empty line.
     *
     * @return this
     */
    public HelpText blankLine() {
        return line("");
    }

    /**
     * Adds text wrapped at {@value #WIDTH} columns.
     *
     * @param paragraph the text
     * @return this
     */
    public HelpText paragraph(String paragraph) {
        lines.addAll(wrap(paragraph, WIDTH));
        return this;
    }

    /**
     * Adds a table: keys indented by two columns, texts aligned after the widest key that fits.
     *
     * @param rows the rows
     * @return this
     */
    public HelpText table(List<Row> rows) {
        int keyWidth = 0;
        for (Row row : rows) {
            if (row.key().length() <= MAX_KEY_WIDTH) {
                keyWidth = Math.max(keyWidth, row.key().length());
            }
        }
        int textColumn = INDENT + keyWidth + GAP;
        for (Row row : rows) {
            String key = " ".repeat(INDENT) + row.key();
            boolean keyFits = row.key().length() <= keyWidth;
            if (!keyFits) {
                lines.add(key);
            }
            List<String> text = wrap(row.text(), WIDTH - textColumn, WIDTH - textColumn - HANGING_INDENT);
            for (int i = 0; i < text.size(); i++) {
                String margin = i > 0 ? " ".repeat(textColumn + HANGING_INDENT)
                        : keyFits ? key + " ".repeat(textColumn - key.length()) : " ".repeat(textColumn);
                lines.add(margin + text.get(i));
            }
            if (text.isEmpty() && keyFits) {
                lines.add(key);
            }
        }
        return this;
    }

    /**
     * Returns the lines, each ended by the platform's line separator.
     *
     * @return the text
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * Breaks text into lines of at most {@code width} columns at spaces. A word longer than a line is broken after
     * its commas ({@code native,fullvirt/trap,...}), or else gets a line of its own.
     *
     * @param text the text
     * @param width the width
     * @return the lines; none for blank text
     */
    static List<String> wrap(String text, int width) {
        return wrap(text, width, width);
    }

    private static List<String> wrap(String text, int firstWidth, int otherWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split(" +")) {
            String separator = " ";
            for (String piece : word.length() > otherWidth ? word.split("(?<=,)") : new String[] {word}) {
                int width = lines.isEmpty() ? firstWidth : otherWidth;
                if (line.length() > 0 && line.length() + separator.length() + piece.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(separator);
                }
                line.append(piece);
                separator = "";
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
