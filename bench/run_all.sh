#!/usr/bin/env bash
# Run every benchmark once, in sequence (they compete for the 2 cores otherwise), printing each report.
# Sizes can be cut for a quick pass: ROWS=100000 bash bench/run_all.sh
set -uo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
rows=${ROWS:-1000000}
run() { echo; echo "### $*"; "$@"; }
run $py bench/load_current.py
run $py bench/history_import.py
run $py bench/search_latency.py
run $py bench/api_load.py --workers 2 --concurrency 4
run $py bench/batch_throughput.py --rows "$rows"
run $py bench/rescreen.py --rows "$rows"
