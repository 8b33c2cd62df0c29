"""Batch screening: customer files (CSV / Parquet) against the lists on all cores (`local`) or on a Spark
cluster (`spark`), and `rescreen`: only the designations added or changed since a snapshot, against a whole
customer file."""
