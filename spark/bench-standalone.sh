#!/usr/bin/env bash
# Starts a Spark standalone master and workers on 127.0.0.1 from the Maven jars (no Spark distribution),
# runs org.labelprop.spark.SparkBench on them, and stops them again.
#   spark/bench-standalone.sh WORKERS EXECUTOR_MEMORY fashion-mnist [ROWS] [ivf]
#   spark/bench-standalone.sh 4 3g sbm ROWS DEGREE BLOCKS class|random ITERATIONS
# One executor of one core per worker; shuffle blocks cross between executor JVMs over the network
# (spark.shuffle.readHostLocalDisk=false), as they would between machines.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/java-env.sh"
workers="${1:?workers}"; memory="${2:?executor memory, e.g. 3g}"; shift 2
home="$(mktemp -d /tmp/labelprop-spark-home.XXXXXX)"
mkdir -p "$home/jars" "$home/logs" "$home/work"
# SPARK_HOME/jars is where workers take the executors' classpath from.
for entry in $jar ${classpath//:/ }; do ln -sf "$entry" "$home/jars/"; done
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOG_DIR="$home/logs" SPARK_WORKER_DIR="$home/work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT
port=$((17000 + RANDOM % 1000))
"$java" "${opens[@]}" -Xmx512m -cp "$jar:$classpath" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port $((port + 1)) >"$home/logs/master.log" 2>&1 &
pids+=($!)
for w in $(seq 1 "$workers"); do
    "$java" "${opens[@]}" -Xmx256m -cp "$jar:$classpath" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores 1 --memory "$memory" --webui-port $((port + 1 + w)) \
        --work-dir "$home/work" "spark://127.0.0.1:$port" >"$home/logs/worker-$w.log" 2>&1 &
    pids+=($!)
done
sleep 5
executor_opts="${opens[*]}"
"$java" "${opens[@]}" -Xmx"${DRIVER_MEMORY:-6g}" -cp "$jar:$classpath" \
    -Dspark.master="spark://127.0.0.1:$port" -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dspark.ui.enabled=false -Dspark.executor.memory="$memory" -Dspark.executor.cores=1 \
    -Dspark.cores.max="$workers" -Dspark.default.parallelism="$workers" \
    -Dspark.shuffle.readHostLocalDisk=false -Dspark.executor.extraJavaOptions="$executor_opts" \
    -Dlog4j2.configurationFile="$spark_dir/log4j2.properties" org.labelprop.spark.SparkBench "$@"
