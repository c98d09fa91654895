"""METR's headline time-horizon method (METR/eval-analysis-public, `reports/time-horizon-1-1`, figure `headline`),
recomputed here from its definitions and compared with `fit_horizon(method="metr")`.

METR's code is not a dependency. What it does is written out below the slow, literal way: the run weights from
`compute_task_weights.py` (1 / (runs of the task x sqrt(tasks in its family)), normalised to sum to 1), the objective of
scikit-learn's `LogisticRegression(C=10)` (sum of weighted log-losses + slope^2 / (2C), intercept free) minimised by a
generic optimiser on the raw runs, and the hierarchical bootstrap of `wrangle/bootstrap.py` (families, then tasks in
each drawn family, then runs of each task pooled over its copies; resample i from `default_rng(42 + i)`), transcribed
as loops over pandas groups. Run beside METR's own code in a scratch folder on the family study below, the project's
estimates agreed to 4 significant digits (scikit-learn stops at tol=1e-4) and every resample was the same multiset of
runs (see the issue 18 report).
"""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from mirothinker.analysis.fits import _metr_resample, _simulate_family_study, _simulate_horizon_study, fit_horizon, metr_weights


def weights_by_definition(df):
    "1 / (runs of the task x sqrt(tasks in its family)), each run in turn, then normalised."
    runs = df.task_id.value_counts().to_dict()
    fam_tasks = df.groupby("family").task_id.apply(lambda s: len(set(s))).to_dict()
    w = np.array([1 / (runs[t] * math.sqrt(fam_tasks[f])) for t, f in zip(df.task_id, df.family)])
    return w / w.sum()


def resample_by_definition(df, rng):
    "METR's hierarchical draw, transcribed step by step: families, tasks within each drawn family, runs within each task."
    rows, fam, tsk = np.arange(len(df)), df.family.to_numpy(), df.task_id.to_numpy()
    fams = sorted(set(fam))                                   # np.unique order
    groups = [rows[fam == fams[j]] for j in rng.choice(len(fams), size=len(fams), replace=True)]
    picked = []
    for g in groups:                                                # one task draw per drawn family copy, in draw order
        tasks = sorted(set(tsk[g]))
        for j in rng.choice(len(tasks), size=len(tasks), replace=True):
            picked += [r for r in g if tsk[r] == tasks[j]]
    keys = [str(tsk[r]) + "|||agent" for r in picked]
    u = rng.random(len(picked))                                     # one uniform per drawn run, consumed group by group
    out, pos = [], 0
    for key in sorted(set(keys)):                                   # groups in sorted key order, pooled over copies
        members = [r for r, k in zip(picked, keys) if k == key]
        out += [members[int(u[pos + i] * len(members))] for i in range(len(members))]
        pos += len(members)
    return np.array(out)


def fit_by_definition(df, w, C=10.0):
    "Minimise sum_i w_i logloss_i + b^2 / (2C) over (a, b) on the raw runs, with a generic optimiser."
    z, y = np.log2(df.hops.to_numpy(float)), df.correct.to_numpy(float)
    def obj(t):                                                     # the objective and its gradient, from the definition
        eta = t[0] + t[1] * z
        r = w * (1 / (1 + np.exp(-eta)) - y)
        return np.sum(w * (np.logaddexp(0, eta) - y * eta)) + t[1] ** 2 / (2 * C), np.array([r.sum(), np.sum(r * z) + t[1] / C])
    r = optimize.minimize(obj, [0.0, 0.0], jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 1000})
    a, b = r.x
    return a, b, {q: 2 ** ((math.log(q / (1 - q)) - a) / b) for q in (0.5, 0.8)}


@pytest.fixture(scope="module")
def fam():
    return _simulate_family_study(n_families=25, seed=3)


def test_weights_by_hand_and_by_definition(fam):
    tiny = pd.DataFrame({"task_id": ["a", "a", "b", "c", "c", "c", "c"], "family": ["F", "F", "F", "G", "G", "G", "G"]})
    raw = np.array([1 / (2 * math.sqrt(2))] * 2 + [1 / math.sqrt(2)] + [1 / 4] * 4)
    np.testing.assert_allclose(metr_weights(tiny), raw / raw.sum(), rtol=1e-14)
    np.testing.assert_allclose(metr_weights(fam), weights_by_definition(fam), rtol=1e-12)
    assert math.isclose(metr_weights(fam).sum(), 1.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_resample_is_metrs_draw(seed):
    # task ids that sort differently as text and with the separator ("t1" vs "t10"), a family of one task, integer families
    d = _simulate_family_study(n_families=12, seed=seed)
    d = d.assign(task_id=d.task_id.str.replace("/t", "_t"), family=d.family.str[1:].astype(int))
    fam, tsk = d.family.to_numpy(), d.task_id.to_numpy()
    key = np.char.add(tsk.astype(str), "|||agent")
    for i in range(15):
        ours = _metr_resample(fam, tsk, key, np.random.default_rng(42 + i))
        theirs = resample_by_definition(d, np.random.default_rng(42 + i))
        np.testing.assert_array_equal(ours, theirs)


def test_point_estimate_and_intervals_from_the_definitions(fam):
    n_boot = 40
    f = fit_horizon(fam, method="metr", family="family", n_boot=n_boot)
    a, b, h = fit_by_definition(fam, weights_by_definition(fam))
    assert f["intercept"] == pytest.approx(a, rel=1e-6) and f["slope"] == pytest.approx(b, rel=1e-6)
    assert f["h50"] == pytest.approx(h[0.5], rel=1e-5) and f["h80"] == pytest.approx(h[0.8], rel=1e-5)
    w = weights_by_definition(fam)                                  # not renormalised after a draw, as METR
    boot = []
    for i in range(n_boot):
        idx = resample_by_definition(fam, np.random.default_rng(42 + i))
        boot.append(fit_by_definition(fam.iloc[idx], w[idx])[2])
    for q, name in ((0.5, "h50"), (0.8, "h80")):
        lo, hi = np.nanquantile([d[q] for d in boot], [0.025, 0.975])    # METR: linear quantiles of the resampled horizons
        assert f.ci[name][0] == pytest.approx(lo, rel=1e-4) and f.ci[name][1] == pytest.approx(hi, rel=1e-4)
    assert f.n_boot_failed == 0 and len(f.boot) == n_boot


def test_equal_settings_give_the_plain_fit():
    d = _simulate_horizon_study(seed=2).groupby("task_id").head(1)
    plain = fit_horizon(d, n_boot=0)
    metr = fit_horizon(d.assign(family=d.task_id), method="metr", family="family", C=1e12, n_boot=0)
    assert metr["slope"] == pytest.approx(plain["slope"], rel=1e-7) and metr["h50"] == pytest.approx(plain["h50"], rel=1e-7)


def test_what_the_defaults_move():
    "The three defaults on the family study of `analysis.fits`: the slope shrinks, h80 falls, the intervals widen."
    d = _simulate_family_study()
    mle, metr = fit_horizon(d), fit_horizon(d, method="metr", family="family")
    shrink, h80 = 1 - metr["slope"] / mle["slope"], metr["h80"] / mle["h80"] - 1
    width = math.log(metr.ci["h50"][1] / metr.ci["h50"][0]) / math.log(mle.ci["h50"][1] / mle.ci["h50"][0])
    print(f"slope {mle['slope']:.4f} -> {metr['slope']:.4f} ({100 * shrink:.1f}% shrink); h80 {mle['h80']:.3f} -> "
          f"{metr['h80']:.3f} ({100 * h80:+.1f}%); log-width of the h50 interval x{width:.2f}")
    assert 0 < shrink and h80 < 0 and width > 1.3
    assert "METR" in metr.method and "bootstrap over tasks" in mle.method
