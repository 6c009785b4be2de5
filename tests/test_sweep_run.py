"""Running sweeps: resume after an interruption, identical results on every executor,
learning rates chosen on validation. Tiny models, fixed step counts."""

import json
import os

import pytest

from osp.errors import OspInputError
from osp.harness.provenance import git_commit
from osp.report.measured import load_dir
from osp.sweep import executors, plan
from osp.sweep.runner import SweepOptions, run_sweep
from osp.sweep.spec import parse_spec
from osp.sweep.summary import select

SPEC = {
    "sweep": {"name": "t", "length": 32, "pairs": [2, 4], "seeds": [0], "learning_rates": [3e-3],
              "steps": 6, "batch_size": 8, "eval_every": 3, "test_examples": 16, "validation_examples": 8,
              "calibration_examples": 4, "quantize_bits": [4]},
    "model": [{"name": "lstm", "widths": [8, 16], "set": {"vocab_size": 32}}, {"name": "key-table"},
              {"name": "rescan"}],
}
#: what depends on time or on where it ran, not on the seed
UNSTABLE = {"seconds", "seconds_to_target", "train_tokens_per_second", "provenance", "wall_seconds"}


def _stable(obj):
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in obj.items() if k not in UNSTABLE}
    if isinstance(obj, list):
        return [_stable(v) for v in obj]
    return obj


def _results(folder):
    return {p.name: _stable(json.loads(p.read_text())) for p in sorted(folder.glob("*.json"))}


#: the resume test also asserts Theorem 2, so the report reads its rows
SPEC_T2 = {**SPEC, "sweep": {**SPEC["sweep"], "theorem2": True}}


def _run(tmp_path, name, data=SPEC, **kw):
    spec = parse_spec(data)
    return run_sweep(spec, SweepOptions(results=tmp_path / name, progress=False, **kw))


def test_interrupted_sweep_resumes_and_skips_finished_runs(tmp_path, monkeypatch):
    real = executors.execute
    calls = []

    def interrupt_second(run):
        calls.append(run.key)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(run)

    monkeypatch.setattr(executors, "execute", interrupt_second)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, "r", SPEC_T2)
    assert len(list((tmp_path / "r").glob("*.json"))) == 1  # the first run's result survived, whole
    monkeypatch.setattr(executors, "execute", real)
    partial = _run(tmp_path, "r", SPEC_T2, run=False)  # summarize what is finished, start nothing
    assert (partial.skipped, partial.ran, partial.summary["finished"], partial.exit_code) == (1, 0, 1, 1)
    out = _run(tmp_path, "r", SPEC_T2)
    assert (out.skipped, out.ran) == (1, 3) and out.summary["finished"] == 4
    again = _run(tmp_path, "r", SPEC_T2)
    assert (again.skipped, again.ran) == (4, 0)
    # a truncated file, or one whose key is not the run's, is not a finished run
    victim = sorted((tmp_path / "r").glob("lstm*.json"))[0]
    victim.write_text(victim.read_text()[:100])
    other = sorted((tmp_path / "r").glob("key-table*.json"))[0]
    data = json.loads(other.read_text())
    data["sweep"]["key"] = "0" * 64
    other.write_text(json.dumps(data))
    third = _run(tmp_path, "r", SPEC_T2)
    assert (third.skipped, third.ran) == (2, 2)
    for p in (tmp_path / "r").glob("*.json"):
        d = json.loads(p.read_text())
        assert d["sweep"]["selected"] is True and d["sweep"]["learning_rate_choice"].startswith("the learning rate")
        assert {"model", "per_pairs", "verdict", "findings", "confidence", "provenance", "quantized"} <= set(d)
    shown = load_dir(tmp_path / "r")  # what `osp report --results` reads: every run's file
    assert sorted(m.model for m in shown) == ["key-table", "lstm", "lstm", "rescan"]
    assert all(m.theorem2 for m in shown if m.model == "lstm")
    summary = json.loads((tmp_path / "sweep-t.json").read_text())
    assert summary["learning_rate_selection"]["split"] == "validation"
    assert summary["capacity_label"].startswith("at this budget")
    t2 = [r for t in summary["figures"]["theorem2"] for r in t["rows"] if r["eps_plus"] is not None]
    assert t2 and all((r["n_dfn_eps_plus"] > 0) == (r["eps_plus"] < 1 - 1 / 16) for r in t2)
    # a past commit's runs are summarized with --no-run --commit; another commit's runs are not these
    if git_commit() is not None:
        assert _run(tmp_path, "r", SPEC_T2, run=False, commit=git_commit()).summary["finished"] == 4
    assert _run(tmp_path, "r", SPEC_T2, run=False, commit="0" * 40).summary["finished"] == 0
    with pytest.raises(OspInputError, match="--commit"):
        _run(tmp_path, "r", SPEC_T2, commit="0" * 40)
    # the rescan witness (a tape OSP, 0 state bits) recalls past what its state holds: Theorem 1 bounds
    # pure OSPs only, so osp measure calls the check not applicable (vacuous), and the summary lists it apart
    assert [t["model"] for t in summary["tape_osps"]] == ["rescan"]
    assert summary["tape_osps"][0]["measure_verdict"] == "vacuous" and summary["verdict"] != "violated"


def test_one_and_two_workers_give_identical_results(tmp_path):
    one = _run(tmp_path, "w1", workers=1)
    two = _run(tmp_path, "w2", workers=2)
    assert one.ran == two.ran == 4
    a, b = _results(tmp_path / "w1"), _results(tmp_path / "w2")
    assert list(a) == list(b) and a == b
    assert any(r["training"] and r["training"]["steps"] == 6 for r in a.values())


def test_ray_gives_the_local_results(tmp_path):
    try:
        import ray
    except ImportError:
        if os.environ.get("OSP_REQUIRE_RAY") == "1":
            raise
        pytest.skip("ray is not installed (pip install 'osp[ray]'); set OSP_REQUIRE_RAY=1 to require it")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = _run(tmp_path, "ray", executor="ray")
    finally:
        ray.shutdown()
    local = _run(tmp_path, "local")
    assert on_ray.ran == local.ran == 4 and not on_ray.summary["failed"]
    assert _results(tmp_path / "ray") == _results(tmp_path / "local")


def test_learning_rate_is_chosen_on_validation_never_test():
    spec = parse_spec({**SPEC, "sweep": {**SPEC["sweep"], "learning_rates": [1e-3, 1e-2]},
                       "model": [SPEC["model"][0]]})
    runs = plan.expand(spec, commit="c")
    results = {}
    for r in runs:  # the lr with the better validation accuracy has the worse test accuracy
        good = r.lr == 1e-2
        results[r.key] = {"training": {"accuracy": 0.9 if good else 0.5},
                          "per_pairs": [{"pairs": 2, "accuracy": 0.1 if good else 0.99}]}
    groups = select(runs, results)
    assert len(groups) == 2 and all(g["chosen"] == 1e-2 and g["complete"] for g in groups)
    del results[runs[0].key]
    assert not select(runs, results)[0]["complete"]


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA device")
def test_cuda_sweep_runs_on_the_device(tmp_path):
    spec = parse_spec({**SPEC, "model": [SPEC["model"][0]]})
    out = run_sweep(spec, SweepOptions(results=tmp_path / "cuda", progress=False, device="cuda"))
    assert out.ran == 2 and not out.summary["failed"]
    for p in (tmp_path / "cuda").glob("*.json"):
        d = json.loads(p.read_text())
        assert d["provenance"]["device"] == "cuda" and d["training"]["steps"] == 6
