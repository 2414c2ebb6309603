package org.labelprop.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The kernels that src-native/build.sh compiled into this module's resources: per source file NAME.cu, a
 * NAME.ptx (JIT-compiled by the driver on any GPU from compute capability 8.0 on) and a NAME.fatbin
 * (machine code for sm_80 and sm_90). Read from the class path, so they load the same from a jar.
 */
final class KernelImages {
    /** Each module (a .cu file) and the entry points the Java side launches from it. */
    static final Map<String, List<String>> ENTRIES = Map.of(
            "knn", List.of("sq_norms_f32", "distance_tile_f32", "topk_merge_f32", "dot_tile128_f32",
                    "distance_tile128_f32", "knn_tile128_f32", "knn_tile128_tf32", "rerank_f32"),
            "propagate", List.of("propagate_step_f32", "propagate_step_slots_f32", "step_update_f32"),
            "limits", List.of("read_probe_f32", "gather_probe_f32"));

    /** The largest k the top-k kernel handles (TOPK_MAX in knn.cu); larger k goes to the CPU. */
    static final int TOPK_MAX = 128;

    private KernelImages() {
    }

    /** The resource's bytes, or null when the build had no nvcc. */
    static byte[] read(String module, String extension) {
        try (InputStream in = KernelImages.class.getResourceAsStream(module + "." + extension)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + module + "." + extension, e);
        }
    }

    /** True when every module's PTX is on the class path. */
    static boolean built() {
        return ENTRIES.keySet().stream().allMatch(m -> KernelImages.class.getResource(m + ".ptx") != null);
    }
}
