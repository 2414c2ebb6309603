# The JVM flags both launchers pass: the source tree's ./labelprop and the distribution's bin/labelprop source
# this file (one place, so the two cannot drift). Given $java (a java command), it sets the array `flags`, or
# stops with one line when there is no java to run.
if ! command -v "$java" >/dev/null; then
    echo "labelprop: no java found: set JAVA_HOME or put java (17 or newer) on PATH" >&2
    exit 1
fi

# The Vector API is an incubator module in JDK 17-25; the JVM prints one notice about it on stderr. Transparent
# huge pages cut TLB misses when propagation gathers rows of a large Y at random (1.5x per step on a 3M-row
# random graph).
flags=(-XX:+UseTransparentHugePages --add-modules jdk.incubator.vector)

# JDK 22 and later print four warnings when JCuda loads its native library, unless native access is granted
# to the class path; the feature version is read from the JDK's release file (no extra JVM start), or from
# `java -version` where the JDK has none.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")"
if [[ -f "$java_home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release")"
else
    version="$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
fi
if [[ "${version:-0}" -ge 22 ]]; then
    flags+=(--enable-native-access=ALL-UNNAMED)
fi
