package org.labelprop.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.labelprop.core.DataException;

/** The input formats, told apart by file name; gzip itself is detected from the content. */
enum FileFormat {
    TEXT, NPY, IDX;

    static final String ACCEPTED = ".csv, .tsv or .txt (comma, tab or whitespace separated), .npy, "
            + "or IDX (name containing 'idx' or ending in -ubyte), each optionally gzipped (.gz)";

    static FileFormat of(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory; expected a file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return TEXT;
        }
        if (name.endsWith(".npy")) {
            return NPY;
        }
        if (name.contains("idx") || name.endsWith("-ubyte")) {
            return IDX;
        }
        throw new DataException(file + ": unknown file format; accepted: " + ACCEPTED);
    }
}
