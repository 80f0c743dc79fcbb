#!/usr/bin/env bash
# Builds target/nido.jar, target/nido-shim and target/nido-probe, then trains the AOT cache.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${NIDO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q package -DskipTests
bash scripts/aot-train.sh
