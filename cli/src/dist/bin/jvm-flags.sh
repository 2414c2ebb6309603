# The JVM flags both launchers pass: the source tree's ./labelprop and the distribution's bin/labelprop source
# this file (one place, so the two cannot drift). Given $java (a java command), it sets the array `flags`, or
# stops with one line when there is no java to run.

# Sets jdk_feature to the feature version of the JDK whose java command is $1 (0 when it cannot tell): from its
# release file (no JVM start), else from `java -version`. In bash itself but for one readlink, and without a
# subshell: every launch calls this once per JDK installed, and with a process per dirname and sed it cost
# 0.2 s of a 1.2 s small job.
jdk_version() {
    local path line
    jdk_feature=0
    path="$(readlink -f "$(type -P "$1")")" || return 0
    if [[ -f "${path%/bin/*}/release" ]]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
                jdk_feature="${BASH_REMATCH[1]}"
                return 0
            fi
        done < "${path%/bin/*}/release"
    fi
    line="$("$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p' || true)"
    jdk_feature="${line:-0}"
}

# Without JAVA_HOME, a newer JDK (21 or later) installed beside the one on PATH is preferred: JDK 25's C2 runs
# the AVX2 distance kernel 1.3x faster than 17's (0.85 against 0.65 of OpenBLAS, docs/benchmarks.md).
# JAVA_HOME pins a JDK.
if [[ -z "${JAVA_HOME:-}" ]]; then
    best=0
    if command -v "$java" >/dev/null; then
        jdk_version "$java"
        best="$jdk_feature"
    fi
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x "$candidate" ]] || continue
        jdk_version "$candidate"
        if [[ "$jdk_feature" -ge 21 && "$jdk_feature" -gt "$best" ]]; then
            java="$candidate"
            best="$jdk_feature"
        fi
    done
fi

if ! command -v "$java" >/dev/null; then
    echo "labelprop: no java found: set JAVA_HOME or put java (17 or newer) on PATH" >&2
    exit 1
fi

# The Vector API is an incubator module in JDK 17-25; the JVM prints one notice about it on stderr. Transparent
# huge pages cut TLB misses when propagation gathers rows of a large Y at random (1.5x per step on a 3M-row
# random graph).
flags=(-XX:+UseTransparentHugePages --add-modules jdk.incubator.vector)

# JDK 22 and later print four warnings when JCuda loads its native library, unless native access is granted
# to the class path.
jdk_version "$java"
if [[ "$jdk_feature" -ge 22 ]]; then
    flags+=(--enable-native-access=ALL-UNNAMED)
fi
