"""The I/O benchmark still runs end to end (at a small size; its figures are not asserted: it is not a timed test)."""
import runpy
from pathlib import Path

def test_io_benchmark_runs(capsys):
    bench = runpy.run_path(str(Path(__file__).resolve().parent.parent / "bench" / "io.py"), run_name="bench_io")
    res = bench["main"](["--n", "50", "--steps", "20", "--repeat", "1", "--no-write"])
    assert set(res) == {"parquet", "jsonl", "baseline", "ratio"}
    assert "faster than the baseline" in capsys.readouterr().out
