#!/usr/bin/env bash
# Starts a Spark standalone master and workers on 127.0.0.1 from the Maven jars (no Spark distribution),
# runs org.labelprop.spark.SparkBench on them, and stops them again.
#   spark/bench-standalone.sh WORKERS EXECUTOR_MEMORY fashion-mnist [ROWS] [ivf]
#   spark/bench-standalone.sh 4 3g sbm ROWS DEGREE BLOCKS class|random ITERATIONS
#       (edge-list pipeline: every edge generated, shuffled, summed and shuffled again to its block)
#   spark/bench-standalone.sh 4 3g ring ROWS RING CROSS BLOCKS ITERATIONS
#       (generated in place, no edge shuffled; the scale proof: DRIVER_MEMORY=1g GC_LOG_DIR=/tmp/gc \
#        spark/bench-standalone.sh 4 3g ring 20000000 5 1 16 30)
# One executor of one core per worker; shuffle blocks cross between executor JVMs over the network
# (spark.shuffle.readHostLocalDisk=false), as they would between machines. The first job waits for all
# executors (minRegisteredResourcesRatio 1), so that blocks spread over all of them; the driver collects
# garbage every minute, so that the shuffle files of finished steps are deleted during long runs.
# Environment: DRIVER_MEMORY (default 6g); GC_LOG_DIR: a GC log per JVM there (heap before/after each GC).
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
driver_opts=()
if [[ -n "${GC_LOG_DIR:-}" ]]; then
    # One GC log per JVM (%p: its pid): heap before and after every collection, the evidence of peak heap.
    mkdir -p "$GC_LOG_DIR"
    executor_opts+=" -Xlog:gc:file=$GC_LOG_DIR/executor-%p.log:uptime"
    driver_opts+=("-Xlog:gc:file=$GC_LOG_DIR/driver-%p.log:uptime")
fi
"$java" "${opens[@]}" "${driver_opts[@]}" -Xmx"${DRIVER_MEMORY:-6g}" -cp "$jar:$classpath" \
    -Dspark.master="spark://127.0.0.1:$port" -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dspark.ui.enabled=false -Dspark.executor.memory="$memory" -Dspark.executor.cores=1 \
    -Dspark.cores.max="$workers" -Dspark.default.parallelism="$workers" \
    -Dspark.shuffle.readHostLocalDisk=false -Dspark.executor.extraJavaOptions="$executor_opts" \
    -Dspark.cleaner.periodicGC.interval=1min -Dspark.scheduler.minRegisteredResourcesRatio=1.0 \
    -Dlog4j2.configurationFile="$spark_dir/log4j2.properties" org.labelprop.spark.SparkBench "$@"
