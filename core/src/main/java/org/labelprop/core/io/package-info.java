/**
 * Reading inputs (features, labels, edge lists as CSV/TSV/whitespace text, NumPy .npy or IDX, optionally
 * gzipped) and writing outputs (predictions, .npy arrays) without ever leaving a half-written file.
 *
 * <p>Bad input is reported as a {@link org.labelprop.core.DataException} naming the file and, where there
 * is one, the row (the line number in text files, the array row counted from 1 in binary files) and column.
 */
package org.labelprop.core.io;
