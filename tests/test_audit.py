"""`osp audit`: verdicts, certificates, exit codes, malformed claims."""

import json
import math
from pathlib import Path

import pytest

from osp.cli import main
from osp.registry import audit

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "claims"
KEYS = {"verdict", "bound", "claimed", "properties", "rests_on", "reason"}


def run_json(capsys, path):
    code = main(["audit", str(path), "--json"])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out else None), captured.err


def _dfn(e, V):
    h = -e * math.log2(e) - (1 - e) * math.log2(1 - e)
    return math.log2(V) - h - e * math.log2(V - 1)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_examples_give_the_verdict_in_their_name(capsys, path):
    code, out, err = run_json(capsys, path)
    expected = path.stem.split("_")[0]
    assert out is not None, err
    assert out["verdict"] == expected
    assert set(out) >= KEYS and set(out["properties"]) == {"efficient", "compact", "recall_possible"}
    assert code == (0 if expected == "consistent" else 1)


def test_refutation_certificate_is_checkable(capsys):
    code, out, _ = run_json(capsys, EXAMPLES / "refuted_rwkv4_169m_1m_context.toml")
    assert code == 1
    cert = out["certificate"]
    state_bits = 5 * 768 * 12 * 32          # RWKV-4 169M: 5*d scalars per layer, fp32
    assert cert["state_bits"] == state_bits
    assert cert["bound"] == pytest.approx(state_bits / _dfn(0.05, 32768), rel=1e-9)
    assert out["claimed"] == 0.25 * 1048576 > out["bound"]
    assert "thm1" in out["rests_on"]
    assert out["properties"] == {"efficient": True, "compact": True, "recall_possible": False}


def test_all_lengths_claim_is_refuted_at_a_longer_length(capsys):
    code, out, _ = run_json(capsys, EXAMPLES / "refuted_mamba2_every_length.toml")
    assert code == 1 and out["length"] > out["context"]
    assert {"thm1", "cor1.2"} <= set(out["rests_on"])
    assert out["claimed"] > out["bound"]
    assert out["certificate"]["length"] == out["length"]


def test_tape_claim_is_undecided_and_honest(capsys):
    code, out, _ = run_json(capsys, EXAMPLES / "undecided_readagent_tape.toml")
    assert code == 1 and out["bound"] is None
    assert "tape.open" in out["rests_on"] and "OPEN" in out["reason"]


def _claim(tmp_path, text):
    path = tmp_path / "claim.toml"
    path.write_text(text)
    return path


BASE = """
[claim]
architecture = "Mamba"
recall_pairs = 1000
context = 4096
values = 4096
error = 0.05
"""


def test_possible_claim_is_consistent(tmp_path, capsys):
    code, out, _ = run_json(capsys, _claim(tmp_path, BASE))
    assert (code, out["verdict"]) == (0, "consistent")
    assert out["claimed"] <= out["bound"]


def test_impossible_claim_is_refuted(tmp_path, capsys):
    text = BASE.replace("recall_pairs = 1000", "recall_pairs = 10000000")
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert (code, out["verdict"]) == (1, "refuted")


def test_bits_override_changes_the_bound(tmp_path, capsys):
    _, a, _ = run_json(capsys, _claim(tmp_path, BASE))
    _, b, _ = run_json(capsys, _claim(tmp_path, BASE + "bits_per_scalar = 8\n"))
    assert b["bound"] == pytest.approx(a["bound"] / 2)


@pytest.mark.parametrize("edit, field", [
    (lambda t: t.replace("context = 4096\n", ""), "claim.context"),
    (lambda t: t.replace("context = 4096", 'context = "long"'), "claim.context"),
    (lambda t: t.replace("values = 4096", "values = 1"), "claim.values"),
    (lambda t: t.replace("error = 0.05", "error = 1.5"), "claim.error"),
    (lambda t: t.replace("error = 0.05", "error = true"), "claim.error"),
    (lambda t: t.replace('"Mamba"', '"NoSuchNet"'), "claim.architecture"),
    (lambda t: t.replace("recall_pairs = 1000", "recall_fraction = 0.25\nrecall_pairs = 10"), "claim.recall_pairs"),
    (lambda t: t.replace("recall_pairs = 1000", "recall_fraction = 2"), "claim.recall_fraction"),
    (lambda t: t + "surprise = 1\n", "claim.surprise"),
    (lambda t: t + "[model]\nstate_scalars = \"d\"\n", "claim.architecture"),
    (lambda t: t + "[parameters]\nd = \"__import__('os')\"\n", "parameters.d"),
    (lambda t: t + "[parameters]\nL = 5\n", "parameters.L"),
    (lambda t: t.replace("[claim]", "[claim\n"), "malformed TOML"),
    (lambda t: t + "bits_per_scalar = 0\n", "claim.bits_per_scalar"),
    (lambda t: t + "[extra]\nx = 1\n", "extra"),
])
def test_malformed_claims_exit_2_naming_the_field(tmp_path, capsys, edit, field):
    code, out, err = run_json(capsys, _claim(tmp_path, edit(BASE)))
    assert code == 2 and out is None
    assert err.startswith("osp: error:") and field in err and err.count("\n") == 1


INLINE = """
[claim]
recall_pairs = 100
context = 1000
values = 256
error = 0.1

[model]
per_step_compute = "d^2"
state_scalars = "2*d*n"
bits_per_scalar = 16

[parameters]
d = 8
"""


def test_inline_model_errors_name_the_field(tmp_path, capsys):
    code, _, err = run_json(capsys, _claim(tmp_path, INLINE))
    assert code == 2 and "parameters.n" in err
    code, _, err = run_json(capsys, _claim(tmp_path, INLINE.replace('"2*d*n"', '"2*d*"')))
    assert code == 2 and "model.state_scalars" in err and "position" in err
    code, _, err = run_json(capsys, _claim(tmp_path, INLINE.replace('bits_per_scalar = 16\n', '')))
    assert code == 2 and "model.bits_per_scalar" in err


def test_inline_model_verdict(tmp_path, capsys):
    text = INLINE + "n = 4\n"    # 2*8*4*16 = 1024 bits
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert out["bound"] == pytest.approx(1024 / _dfn(0.1, 256), rel=1e-9)
    assert out["verdict"] == ("refuted" if 100 > out["bound"] else "consistent")


def test_error_at_the_guessing_threshold_is_undecided(tmp_path, capsys):
    text = BASE.replace("values = 4096", "values = 4").replace("error = 0.05", "error = 0.75")
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert (code, out["verdict"], out["bound"]) == (1, "undecided", None)


def test_text_output_and_missing_file(tmp_path, capsys):
    assert main(["audit", str(EXAMPLES / "refuted_rwkv4_169m_1m_context.toml")]) == 1
    out = capsys.readouterr().out
    assert "verdict:    refuted" in out and "certificate at L = 1048576" in out
    assert main(["audit", str(tmp_path / "missing.toml")]) == 2


def test_proof_nodes_include_the_cited_nodes():
    nodes, _ = audit.proof_nodes("thm1", "cor1.2")
    assert nodes[0] == "thm1" and "cor1.2" in nodes and len(nodes) == len(set(nodes))


from hypothesis import HealthCheck, given, settings          # noqa: E402
from hypothesis import strategies as st                       # noqa: E402

from osp.errors import OspInputError                          # noqa: E402

_scalar = st.one_of(st.integers(-3, 10**7), st.floats(allow_nan=True), st.booleans(),
                    st.sampled_from(["Mamba", "Llama 3", "1/4", "d", "", "__x"]))
_claim_table = st.dictionaries(
    st.sampled_from(["architecture", "recall_pairs", "recall_fraction", "context", "values", "error",
                     "all_lengths", "bits_per_scalar", "other"]), _scalar, max_size=8)
_model_table = st.dictionaries(
    st.sampled_from(["per_step_compute", "state_scalars", "bits_per_scalar", "tape", "content_retrieval"]),
    st.one_of(_scalar, st.sampled_from(["d^2", "L*d", "min(L, w)*d", "2*d*n", "log(", "d^"])), max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({"claim": _claim_table},
                             optional={"model": _model_table,
                                       "parameters": st.dictionaries(st.sampled_from(["d", "n", "w", "L"]),
                                                                     _scalar, max_size=3)}))
def test_fuzzed_claims_give_a_verdict_or_an_input_error(data):
    try:
        verdict = audit.audit(data)
    except OspInputError as exc:
        assert "\n" not in str(exc)
        return
    assert verdict.verdict in ("consistent", "refuted", "undecided")
