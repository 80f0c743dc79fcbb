#!/usr/bin/env bash
# Builds target/nido.jar, target/nido-shim, target/nido-probe and (as root) the AOT cache
# target/nido.aot that bin/nido-runtime uses for a fast start.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${NIDO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q package -DskipTests
