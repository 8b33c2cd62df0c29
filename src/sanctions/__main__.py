from sanctions.cli import run

run()
