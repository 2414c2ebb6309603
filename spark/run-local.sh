#!/usr/bin/env bash
# labelprop on Apache Spark in local[*] mode, from the Maven jars: no Spark distribution needed.
#   spark/run-local.sh propagate --features F --labels L --out O [options]   (--help lists them)
# The same options as `spark-submit --class org.labelprop.spark.Main labelprop-spark_2.13-*-submit.jar`.
# Environment: JAVA_HOME (else java on PATH), SPARK_MASTER (default local[*]), DRIVER_MEMORY (default 4g).
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/java-env.sh"
exec "$java" "${opens[@]}" -Xmx"${DRIVER_MEMORY:-4g}" \
    -Dspark.master="${SPARK_MASTER:-local[*]}" -Dspark.ui.enabled=false \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dlog4j2.configurationFile="$spark_dir/log4j2.properties" \
    -cp "$jar:$classpath" org.labelprop.spark.Main "$@"
