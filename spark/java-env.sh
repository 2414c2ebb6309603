# Sourced by run-local.sh and bench-standalone.sh: builds the module once, then sets
#   java      the JVM ($JAVA_HOME/bin/java, else java on PATH)
#   opens     Spark's module options (spark-launcher's JavaModuleOptions, as spark-submit adds them) and the
#             Vector API module, for every JVM started here
#   jar       this module's jar;  classpath  its compile and provided dependencies (Spark from Maven)
spark_dir="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
if [[ ! -f "$spark_dir/target/classpath.txt" ]] || ! ls "$spark_dir"/target/labelprop-spark_2.13-*[0-9T].jar >/dev/null 2>&1; then
    echo "building the spark module (once)..." >&2
    (cd "$spark_dir/.." && mvn -q -B -pl spark -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) >&2
fi
jar="$(ls "$spark_dir"/target/labelprop-spark_2.13-*[0-9T].jar | head -1)"
classpath="$(cat "$spark_dir/target/classpath.txt")"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
opens=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector -Dio.netty.tryReflectionSetAccessible=true)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
# Every Spark service started from here (driver, web UIs, block managers) listens on 127.0.0.1 only.
export SPARK_LOCAL_IP=127.0.0.1
