package org.labelprop.core.io;

import it.unimi.dsi.fastutil.floats.FloatArrayList;
import java.io.IOException;
import java.nio.file.Path;
import org.labelprop.core.DataException;
import org.labelprop.core.FloatMatrix;

/**
 * Reads a feature matrix, one row per data point, from text (CSV, TSV or whitespace separated, with an
 * optional header line), .npy or IDX; see {@link FileFormat#ACCEPTED}. Every value must be finite: NaN or
 * infinity would silently poison every distance computed from its row.
 */
public final class FeatureReader {
    private FeatureReader() {
    }

    public static FloatMatrix read(Path file) throws IOException {
        FloatMatrix features = FileInput.naming(file, () -> switch (FileFormat.of(file)) {
            case TEXT -> readText(file);
            case NPY -> checkFinite(file.toString(), NpyFile.readMatrix(file));
            case IDX -> checkFinite(file.toString(), IdxFile.readMatrix(file));
        });
        if (features.rows() == 0 || features.cols() == 0) {
            throw new DataException(file + ": no data (" + features.rows() + " x " + features.cols() + " array)");
        }
        return features.requireDistanceScale(file.toString());
    }

    private static FloatMatrix readText(Path file) throws IOException {
        try (DelimitedText text = DelimitedText.open(file, false)) {
            if (!text.next()) {
                throw new DataException(file + ": file is empty; expected one row of numbers per data point");
            }
            if (text.isHeader() && !text.next()) {
                throw new DataException(file + ": only a header line, no data rows");
            }
            int cols = text.fieldCount();
            FloatArrayList values = new FloatArrayList();
            int rows = 0;
            do {
                if (text.fieldCount() != cols) {
                    throw DataException.atRow(text.file(), text.lineNumber(), text.fieldCount()
                            + " columns, expected " + cols + " like the first data row");
                }
                FloatMatrix.checkSize(rows + 1L, cols, text.file() + ": feature matrix");
                for (int c = 0; c < cols; c++) {
                    float value = text.floatAt(c);
                    if (!Float.isFinite(value)) {
                        throw nonFinite(text.file(), text.lineNumber(), c, value);
                    }
                    values.add(value);
                }
                rows++;
            } while (text.next());
            values.trim();
            return new FloatMatrix(rows, cols, values.elements());
        }
    }

    private static FloatMatrix checkFinite(String file, FloatMatrix matrix) {
        float[] data = matrix.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw nonFinite(file, i / matrix.cols() + 1L, i % matrix.cols(), data[i]);
            }
        }
        return matrix;
    }

    private static DataException nonFinite(String file, long row, int col, float value) {
        return DataException.atCell(file, row, col + 1, value + " is not a finite number; "
                + "impute or drop missing values before propagating labels");
    }
}
