#!/usr/bin/env bash
# Runs every test: unit tests anywhere, integration tests (*IT) as root against the real kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export JAVA_HOME=${NIDO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The C helper's own proof first: plans encoded by a second, independent encoder (Python).
python3 native/test/planc.py selftest
mvn -B verify "$@"
