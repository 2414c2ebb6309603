#!/usr/bin/env bash
# labelprop on Apache Spark in local[*] mode, from the Maven jars: no Spark distribution needed.
#   spark/run-local.sh propagate --features F --labels L --out O [options]   (--help lists them)
# The same options as `spark-submit --class org.labelprop.spark.Main labelprop-spark_2.13-*-submit.jar`.
# Environment: JAVA_HOME (else java on PATH), SPARK_MASTER (default local[*]), DRIVER_MEMORY (default 4g).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
classpath_file="$here/target/classpath.txt"
if [[ ! -f "$classpath_file" ]] || ! ls "$here"/target/labelprop-spark_2.13-*[0-9T].jar >/dev/null 2>&1; then
    echo "run-local.sh: building the spark module (once)..." >&2
    (cd "$here/.." && mvn -q -B -pl spark -am package -DskipTests) >&2
fi
jar="$(ls "$here"/target/labelprop-spark_2.13-*[0-9T].jar | head -1)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Spark's own module options (spark-launcher's JavaModuleOptions), as spark-submit adds them.
opens=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
exec "$java" "${opens[@]}" -Dio.netty.tryReflectionSetAccessible=true \
    -Xmx"${DRIVER_MEMORY:-4g}" \
    -Dspark.master="${SPARK_MASTER:-local[*]}" -Dspark.ui.enabled=false \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dlog4j2.level=warn \
    -cp "$jar:$(cat "$classpath_file")" org.labelprop.spark.Main "$@"
