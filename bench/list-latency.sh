#!/usr/bin/env bash
# Latency of tag-list and catalog pages over 100,000 tags in one repository and 100,000
# repositories (issue 6 asks for each page under 50 ms). Prints median and p95 wall time per
# request and leaves them in target/bench/list-latency-h2.txt. Pass
# -Dberth.test.postgresql.skip=false to bench the PostgreSQL of the test suite too
# (target/bench/list-latency-postgresql.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp verify -Dberth.test.postgresql.skip=true -Dit.test=ListLatencyBench -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat target/bench/list-latency-*.txt
