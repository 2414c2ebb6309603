package org.labelprop.cuda;

import java.util.function.IntSupplier;
import jcuda.CudaException;
import jcuda.driver.CUresult;
import jcuda.jcusparse.cusparseStatus;

/**
 * Runs one CUDA call and turns its failure into a {@link CudaFailure} naming the call. JCuda's exceptions
 * are enabled (they carry the error but not the call), and a nonzero status is checked as well in case a
 * library's exceptions are not.
 */
final class CudaCalls {
    private CudaCalls() {
    }

    static void driver(String call, IntSupplier op) {
        check(call, op, CUresult::stringFor);
    }

    static void cublas(String call, IntSupplier op) {
        check(call, op, CublasStatus::name);
    }

    static void cusparse(String call, IntSupplier op) {
        check(call, op, cusparseStatus::stringFor);
    }

    private static void check(String call, IntSupplier op, java.util.function.IntFunction<String> name) {
        int status;
        try {
            status = op.getAsInt();
        } catch (CudaException e) {
            throw new CudaFailure(call + ": " + firstLine(e));
        }
        if (status != 0) {
            throw new CudaFailure(call + ": " + name.apply(status));
        }
    }

    private static final java.util.regex.Pattern MISSING_LIBRARY =
            java.util.regex.Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    /**
     * Why a native library did not load, in one line: JCuda's error lists every attempt over many lines,
     * and the useful part is the shared object the dynamic linker could not find (libcuda.so.1 without a
     * driver, libcublas.so.12 without the CUDA 12 libraries).
     */
    static String linkFailure(LinkageError e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            java.util.regex.Matcher m = MISSING_LIBRARY.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return m.group(1) + " not found";
            }
        }
        return firstLine(e);
    }

    /** The first line of the innermost message: native-library errors run over several lines. */
    static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
