"""Property tests: any valid trajectory survives every storage route unchanged (hypothesis)."""
import warnings
from hypothesis import given, settings, strategies as st, HealthCheck

from mirothinker.record.files import *
from mirothinker.record.schema import *
from mirothinker.record.table import *

text = st.text(max_size=40)
opt = lambda s: st.none() | s
json_val = st.recursive(st.none() | st.booleans() | st.integers(-10**9, 10**9) | text,
                        lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=3), max_leaves=6)
calls = st.builds(ToolCall, tool=text, server=opt(text), arguments=st.dictionaries(text, json_val, max_size=3), raw=opt(text), dialect=opt(text))
obs = st.builds(Observation, content=opt(text), error=opt(text), truncated=st.booleans(),
                duration=opt(st.floats(0, 1e6, allow_nan=False)))
flags = st.builds(Flags, format_error=st.booleans(), rollback=st.booleans(), repaired=st.booleans(), reason=opt(text))

@st.composite
def trajectories(draw):
    n = draw(st.integers(0, 6))
    steps = [Step(index=i, text=draw(text), thought=draw(opt(text)), tool_call=draw(opt(calls)), observation=draw(opt(obs)),
                  tokens_in=draw(opt(st.integers(0, 10**6))), answer=draw(opt(text)), flags=draw(flags),
                  hidden=draw(st.lists(st.integers(0, 5), max_size=3)), kind=draw(st.sampled_from(["act", "summary", "failure"])),
                  turn_of=draw(opt(st.integers(0, 5))), refused=draw(st.booleans()), over_budget=draw(st.booleans()),
                  attempt=draw(st.integers(1, 3))) for i in range(n)]
    t = Trajectory(id=draw(text), task=Task(id=draw(text), question=draw(text), metadata=draw(st.dictionaries(text, json_val, max_size=2))),
                   model=ModelInfo(name=draw(opt(text)), sampling=draw(st.dictionaries(text, json_val, max_size=2))),
                   steps=steps, outcome=Outcome(status=draw(st.sampled_from(sorted(STATUSES))), answer=draw(opt(text)),
                                                   end_reason=draw(opt(text)), reason=draw(opt(text))), system_prompts=draw(st.dictionaries(text, text, max_size=2)))
    if draw(st.booleans()): t.custom_field = draw(json_val)          # unknown fields are kept
    return t

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(trajectories(), min_size=1, max_size=3, unique_by=lambda t: t.id))
def test_every_route_round_trips(tmp_path, ts):
    s = TrajectorySet.from_trajectories(ts)
    assert list(s) == ts
    assert list(TrajectorySet.read_parquet(s.to_parquet(tmp_path / "a.parquet"))) == ts
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_jsonl(write_jsonl(ts, tmp_path / "a.jsonl")) == ts
    assert list(TrajectorySet.from_dataset(s.to_dataset())) == ts
    assert [t.model_dump() for t in TrajectorySet.from_frames(s.runs, s.steps)] == [t.model_dump() for t in ts]
