"""Screening accuracy on the dev evaluation sets, baselines beside (thin wrapper over `sanctions.evaluate`).

.venv/bin/python bench/quality.py --out docs     # full run, rewrites docs/ACCURACY.md + docs/accuracy-pr.png
.venv/bin/python bench/quality.py --quick        # subsample, prints the report
"""

from sanctions.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main())
