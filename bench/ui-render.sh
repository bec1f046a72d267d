#!/usr/bin/env bash
# Render times of the web UI's heaviest pages: the home page over 10,000 repositories and a
# repository with 5,000 tags (issue 4 asks for each under 100 ms). Prints median and p95 wall time
# and median CPU time per page, and leaves them in target/bench/ui-render-h2.txt. Pass
# -Dberth.test.postgresql.skip=false to bench the PostgreSQL of the test suite too
# (target/bench/ui-render-postgresql.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp verify -Dberth.test.postgresql.skip=true -Dit.test=UiRenderBench -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat target/bench/ui-render-*.txt
