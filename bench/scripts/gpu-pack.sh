#!/usr/bin/env bash
# Packs the project for a GPU host with no JDK (bench/scripts/gpu-check.sh runs there) and trims the pack
# under the device tool's 64 MiB transfer limit: ../shared/device/pack.sh copies every module's
# dependencies, the spark module's (~280 MiB: Spark, Hadoop, RocksDB) and the shaded JMH jar included,
# none of which a GPU check runs. Kept: the jars on the test class paths of core, cpu, cuda, cli and bench.
#   bash bench/scripts/gpu-pack.sh        (from the project root; needs ../shared/device/pack.sh)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
bash ../shared/device/pack.sh
keep=$(for m in core cpu cuda cli bench; do
  (cd "$m" && mvn -o -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout); echo
done | tr ':' '\n' | xargs -rn1 basename | sort -u)
for jar in .device/lib/*.jar; do
  name=$(basename "$jar")
  case $name in
    labelprop-spark*|benchmarks.jar) rm "$jar" ;;
    labelprop-*) ;;
    *) grep -qxF "$name" <<<"$keep" || rm "$jar" ;;
  esac
done
rm -f .device/test/spark-tests.jar
echo "gpu-pack: $(du -sm .device | cut -f1) MiB in .device (limit 64 MiB with the source tree)"
