package org.labelprop.cuda;

import org.labelprop.core.backend.BackendException;

/** A CUDA call failed; the message names the call and the error, e.g. "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY". */
public class CudaFailure extends BackendException {
    private static final long serialVersionUID = 1L;

    public CudaFailure(String message) {
        super(message);
    }
}
