"""Files written by format version 1 (mirothinker at commit 66fdef0, before the redesign) read as version 2.

`tests/data/v1/runs.jsonl` holds two agent runs written by that version: one that ended `too_many_errors` and was then
scored (version 1 scoring overwrote the loop's reason with the judge's), one that made a refused repeat.
`tests/data/v1/set.parquet` is a `TrajectorySet` of the bundled MiroFlow trace and those two runs, saved by that version."""
import shutil
from pathlib import Path

from mirothinker.loop.agent import Agent
from mirothinker.models.base import ScriptedModel
from mirothinker.record.files import read_jsonl
from mirothinker.record.schema import FORMAT_VERSION
from mirothinker.record.table import TrajectorySet

V1 = Path(__file__).parent / "data" / "v1"


def test_v1_jsonl_reads_as_the_current_version():
    errors, ok = read_jsonl(V1 / "runs.jsonl")
    assert (errors.version, ok.version) == (FORMAT_VERSION, FORMAT_VERSION)
    # the loop's own statuses and step kinds, now declared fields
    assert errors.outcome.status == "too_many_errors" and errors.steps[-1].kind == "summary"
    # version 1 scoring had overwritten the loop's reason: the judge's stays the judge's, the loop's is unknown
    assert (errors.outcome.judge, errors.outcome.reason, errors.outcome.end_reason) == ("exact", "no answer was given", None)
    # a refused repeat: written, not run, not counted
    assert [s.refused for s in ok.steps] == [False, True, False, False]
    assert (len(ok.calls), ok.n_calls, ok.outcome.answer) == (3, 2, "3")
    # version 1 never corrected tool names, and its policy now says so
    assert errors.policy.fix_names is False and ok.policy.fix_names is False


def test_v1_parquet_reads_as_the_current_version():
    ts = TrajectorySet.read_parquet(V1 / "set.parquet")
    assert len(ts) == 3 and set(ts.runs["version"]) == {FORMAT_VERSION}
    by_id = {t.id: t for t in ts}
    for t in read_jsonl(V1 / "runs.jsonl"):
        assert by_id[t.id].model_dump() == t.model_dump()
    assert ts.runs.set_index("id").loc["v1-ok", "n_calls"] == 2


def test_a_v1_run_cut_before_its_end_resumes(tmp_path):
    "A version 1 run whose outcome line never came is finished by today's agent from its recorded steps."
    lines = (V1 / "runs.jsonl").read_text().splitlines(keepends=True)
    ok = [l for l in lines if '"v1-ok"' in l]
    path = tmp_path / "cut.jsonl"
    path.write_text("".join(l for l in ok if '"type": "outcome"' not in l))
    done = Agent(ScriptedModel([]), []).resume(path)
    assert (done.outcome.status, done.outcome.answer, [s.index for s in done.steps]) == ("success", "3", [0, 1, 2, 3])
    assert read_jsonl(path)[0].outcome.status == "success"
