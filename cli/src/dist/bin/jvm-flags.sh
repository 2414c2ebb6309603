# The JVM flags both launchers pass: the source tree's ./labelprop and the distribution's bin/labelprop source
# this file (one place, so the two cannot drift). Given $java (a java command), it sets the array `flags`, or
# stops with one line when there is no java to run.

# The feature version of the JDK whose java command is $1: from its release file (no JVM start), else from
# `java -version`.
jdk_version() {
    local home
    home="$(dirname "$(dirname "$(readlink -f "$(command -v "$1")")")")"
    if [[ -f "$home/release" ]]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release"
    else
        "$1" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'
    fi
}

# Without JAVA_HOME, a newer JDK (21 or later) installed beside the one on PATH is preferred: JDK 25's C2 runs
# the AVX2 distance kernel 1.3x faster than 17's (0.85 against 0.65 of OpenBLAS, docs/benchmarks.md).
# JAVA_HOME pins a JDK.
if [[ -z "${JAVA_HOME:-}" ]]; then
    best="$(command -v "$java" >/dev/null && jdk_version "$java" || echo 0)"
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x "$candidate" ]] || continue
        v="$(jdk_version "$candidate")"
        if [[ "${v:-0}" -ge 21 && "${v:-0}" -gt "${best:-0}" ]]; then
            java="$candidate"
            best="$v"
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
version="$(jdk_version "$java")"
if [[ "${version:-0}" -ge 22 ]]; then
    flags+=(--enable-native-access=ALL-UNNAMED)
fi
