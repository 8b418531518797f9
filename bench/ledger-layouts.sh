#!/usr/bin/env bash
# Why the trail is written in pages: the CPU of one night's trail in the default job repository (H2 file), per
# check (number x platform), for four layouts (bench/LedgerLayouts.java), as the margin between two night sizes
# (start-up and the JIT's warm-up cancel out), with README's production JVM options. About 5 minutes.
#
#   bench/ledger-layouts.sh                   the four layouts
#   BENCH_SKIP_BUILD=1 bench/ledger-layouts.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/number-audit.jar
WORK=$(mktemp -d "${TMPDIR:-/tmp}/number-audit-layouts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [[ ${BENCH_SKIP_BUILD:-0} != 1 || ! -f $JAR ]]; then
    (cd "$ROOT" && mvn -q -B package -DskipTests) > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
(cd "$WORK" && mkdir jar && cd jar && jar xf "$JAR")
CP="$WORK/jar/BOOT-INF/classes:$WORK/jar/BOOT-INF/lib/*"
javac -d "$WORK/classes" -cp "$CP" "$ROOT/bench/LedgerLayouts.java"

echo "ledger layouts: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure() {  # measure LAYOUT N1 N2
    local cpu1 cpu2
    cpu1=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$WORK/classes:$CP" LedgerLayouts "$1" "$2" "$WORK/$1-$2" | cut -d' ' -f3)
    cpu2=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$WORK/classes:$CP" LedgerLayouts "$1" "$3" "$WORK/$1-$3" | cut -d' ' -f3)
    python3 -c "import sys; c1, c2, n1, n2 = map(float, sys.argv[1:5]); print(f'{sys.argv[5]:9s} CPU {c1:.2f} s at {int(n1)}, {c2:.2f} s at {int(n2)} numbers: {(c2 - c1) / ((n2 - n1) * 16) * 1e6:.3f} us per check')" \
        "$cpu1" "$cpu2" "$2" "$3" "$1"
}
measure answers 10000 30000
measure numbers 100000 300000
measure appended 100000 300000
measure pages 100000 300000
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
