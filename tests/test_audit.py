"""`osp audit`: verdicts, certificates, exit codes, malformed claims."""

import json
import math
from pathlib import Path

import pytest

from osp.cli import main
from osp.registry import audit, classify

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
    text = BASE.replace("recall_pairs = 1000", "recall_pairs = 10000000").replace("4096\nvalues", "67108864\nvalues")
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert (code, out["verdict"]) == (1, "refuted")
    assert out["claimed"] > out["bound"]


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


# ---- issue 5 ----------------------------------------------------------------

def test_hanging_expression_is_audited(tmp_path, capsys):
    # per_step_compute used to loop forever inside sympy.limit
    text = INLINE.replace('"d^2"', '"log(L^2) - 2*log(L) + 1"') + "n = 4\n"
    code, out, err = run_json(capsys, _claim(tmp_path, text))
    assert out is not None, err
    assert out["properties"]["efficient"] is True


@pytest.mark.parametrize("state", ["log(1-L)", "sqrt(1-L)", "(-8)^(1/3)*L", "log(a-1)*L"])
def test_complex_valued_state_exits_2_naming_the_field(tmp_path, capsys, state):
    code, out, err = run_json(capsys, _claim(tmp_path, INLINE.replace('"2*d*n"', f'"{state}"')))
    assert code == 2 and out is None
    assert err.startswith("osp: error: model.state_scalars") and err.count("\n") == 1


def test_model_without_claim_table_exits_2(tmp_path, capsys):
    text = INLINE.split("[model]", 1)[1]
    code, out, err = run_json(capsys, _claim(tmp_path, "[model]" + text + "n = 4\n"))
    assert code == 2 and out is None and "claim." in err


def test_non_utf8_claim_exits_2_naming_the_file(tmp_path, capsys):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe[claim]\n")
    code, out, err = run_json(capsys, path)
    assert code == 2 and out is None and "binary.toml: not UTF-8" in err


@pytest.mark.parametrize("edit, field", [
    (lambda t: t.replace("recall_pairs = 1000", "recall_pairs = 1366"), "claim.recall_pairs"),   # 3N > 4096
    (lambda t: t.replace("recall_pairs = 1000", "recall_pairs = 1000000"), "claim.recall_pairs"),
    (lambda t: t.replace("recall_pairs = 1000", "recall_fraction = 0.34"), "claim.recall_fraction"),
    (lambda t: t.replace("recall_pairs = 1000", "recall_fraction = 1"), "claim.recall_fraction"),
])
def test_more_pairs_than_fit_in_the_context_exit_2(tmp_path, capsys, edit, field):
    code, out, err = run_json(capsys, _claim(tmp_path, edit(BASE)))
    assert code == 2 and out is None
    assert field in err and "3N <= context" in err


def test_largest_pair_count_that_fits_is_audited(tmp_path, capsys):
    code, out, _ = run_json(capsys, _claim(tmp_path, BASE.replace("recall_pairs = 1000", "recall_pairs = 1365")))
    assert code in (0, 1) and out["claimed"] == 1365


def test_state_bits_are_taken_after_the_storing_phase(tmp_path, capsys):
    # a KV-cache-like state L*d grows with L: b_T is its size after T = 2N tokens, not at L = context
    text = INLINE.replace('"2*d*n"', '"L*d"').replace("context = 1000", "context = 100000") \
        .replace("recall_pairs = 100", "recall_pairs = 20000")
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert out["state_bits"] == 2 * 20000 * 8 * 16 and out["storing_tokens"] == 40000
    assert out["bound"] == pytest.approx(2 * 20000 * 8 * 16 / _dfn(0.1, 256), rel=1e-9)
    assert "after the 2N = 40000 storing tokens" in out["reason"]


def test_certificate_names_the_storing_phase(capsys):
    _, out, _ = run_json(capsys, EXAMPLES / "refuted_rwkv4_169m_1m_context.toml")
    cert = out["certificate"]
    assert cert["storing_tokens"] == 2 * out["claimed"]
    assert cert["b_T"] == f"state bits after the 2N = {cert['storing_tokens']} storing tokens"


def test_inline_tape_model_is_not_reported_in_ECR(tmp_path, capsys):
    text = INLINE.replace('"d^2"', '"1"').replace('"2*d*n"', '"1"') + "tape = true\n"
    text = text.replace("[parameters]\nd = 8\n", "")
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert out["verdict"] == "undecided" and out["region"] == "E+C"   # content_retrieval defaults to false
    code, out, _ = run_json(capsys, _claim(tmp_path, text + "content_retrieval = true\n"))
    assert out["region"] == classify.TAPE_ECR and out["region"] != "E+C+R"
    assert "tape.open" in out["region"] and "tape.open" in out["rests_on"]


@pytest.mark.parametrize("values, verdict", [(2, "consistent"), (1024, "refuted")])
def test_all_lengths_uses_the_state_after_2N_tokens(tmp_path, capsys, values, verdict):
    # b_T(T) = T bits. N = L/4 pairs: b_T(2N) = L/2 bits; Dfn(0, 2) = 1 allows it, Dfn(0, 1024) = 10 does not
    text = ("[claim]\nrecall_fraction = 0.25\ncontext = 1024\nvalues = %d\nerror = 0\nall_lengths = true\n"
            "[model]\nper_step_compute = \"1\"\nstate_scalars = \"L/16\"\nbits_per_scalar = 16\n" % values)
    code, out, _ = run_json(capsys, _claim(tmp_path, text))
    assert out["verdict"] == verdict
    if verdict == "refuted":
        assert out["certificate"]["state_bits"] == out["certificate"]["storing_tokens"] == 2 * out["claimed"]


def test_refuted_and_undecided_share_exit_1_but_not_the_verdict(tmp_path, capsys):
    refuted = run_json(capsys, EXAMPLES / "refuted_rwkv4_169m_1m_context.toml")
    undecided = run_json(capsys, EXAMPLES / "undecided_error_too_high.toml")
    assert refuted[0] == undecided[0] == 1
    assert (refuted[1]["verdict"], undecided[1]["verdict"]) == ("refuted", "undecided")
    assert refuted[1]["certificate"] and "certificate" not in undecided[1]
    assert main(["audit", str(EXAMPLES / "undecided_error_too_high.toml")]) == 1
    assert capsys.readouterr().out.startswith("verdict:    undecided")


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    text = capsys.readouterr().out
    assert "1  refuted (with a certificate) OR undecided" in text and '"verdict"' in text


def test_proof_nodes_include_the_cited_nodes():
    nodes = audit.proof_nodes("thm1", "cor1.2")
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
    st.one_of(_scalar, st.sampled_from(["d^2", "L*d", "min(L, w)*d", "2*d*n", "log(", "d^", "log(1-L)",
                                        "sqrt(1-L)", "(-8)^(1/3)*L", "log(L^2) - 2*log(L) + 1",
                                        "max(0, 5 - L) + 1"])), max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({},
                             optional={"claim": _claim_table, "model": _model_table,
                                       "parameters": st.dictionaries(st.sampled_from(["d", "n", "w", "L"]),
                                                                     _scalar, max_size=3)}))
def test_fuzzed_claims_give_a_verdict_or_an_input_error(data):
    try:
        verdict = audit.audit(data)
    except OspInputError as exc:
        assert "\n" not in str(exc)
        return
    assert verdict.verdict in ("consistent", "refuted", "undecided")


def test_misspelt_parameter_is_an_error_not_a_silent_default(tmp_path):
    import pathlib

    from osp.cli import main
    src = pathlib.Path(__file__).resolve().parents[1] / "examples/claims/refuted_rwkv4_169m_1m_context.toml"
    bad = tmp_path / "typo.toml"
    bad.write_text(src.read_text().replace("layers = 12", "layer = 12"))
    assert "layer = 12" in bad.read_text()
    assert main(["audit", str(bad)]) == 2


def test_every_length_claim_is_consistent_only_when_proved_for_every_length(tmp_path):
    """Sampling doublings of the context cannot prove a claim: this state dips below the
    bound only past 2^40 * context, so the answer must not be 'consistent'."""
    from osp.cli import main
    claim = tmp_path / "c.toml"
    claim.write_text('[claim]\nrecall_fraction = 0.25\ncontext = 1024\nvalues = 2\nerror = 0\nall_lengths = true\n\n'
                     '[model]\nper_step_compute = "1"\n'
                     'state_scalars = "L + 27000000000000*sqrt(L) - 23/10*L^(63/64)"\nbits_per_scalar = 1\n')
    assert main(["audit", str(claim), "--json"]) == 1


def test_several_claims_give_the_worst_exit_and_one_verdict_each(capsys):
    consistent = str(EXAMPLES / "consistent_llama3_quarter_context.toml")
    refuted = str(EXAMPLES / "refuted_rwkv4_169m_1m_context.toml")
    assert main(["audit", consistent, consistent]) == 0
    assert capsys.readouterr().out.count("verdict:    consistent") == 2
    assert main(["audit", consistent, refuted, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(o["file"], o["verdict"]) for o in out] == [(consistent, "consistent"), (refuted, "refuted")]
    assert all(set(o) >= KEYS for o in out)


def test_a_model_in_no_region_says_so_in_words(tmp_path, capsys):
    # state d log L: neither E (compute grows), C (state grows) nor R (state o(L)); JSON keeps "none"
    claim = tmp_path / "c.toml"
    claim.write_text('[claim]\nrecall_pairs = 1000\ncontext = 65536\nvalues = 4096\nerror = 0.01\n\n'
                     '[model]\nname = "log memory"\nper_step_compute = "d*log(L)"\nstate_scalars = "d*log(L)"\n'
                     'bits_per_scalar = 16\ncontent_retrieval = true\n\n[parameters]\nd = 64\n', encoding="utf-8")
    main(["audit", str(claim)])
    assert "(in none of the regions E, C, R: efficient no" in capsys.readouterr().out
    code, out, _ = run_json(capsys, claim)
    assert out["region"] == "none"


def test_bad_input_among_several_claims_names_its_file(tmp_path, capsys):
    # a field error is found while auditing, after the TOML is read: with several files it must say which,
    # and no verdict is printed before it (exit 2 for the whole run)
    bad = tmp_path / "bad.toml"
    bad.write_text("[claim]\npairs = 'many'\n", encoding="utf-8")
    assert main(["audit", str(EXAMPLES / "consistent_llama3_quarter_context.toml"), str(bad)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == ""
    assert err.startswith(f"osp: error: {bad}: claim.pairs") and len(err.splitlines()) == 1, err
    assert main(["audit", str(bad)]) == 2  # one file: the message stays as it was
    assert capsys.readouterr().err.startswith("osp: error: claim.pairs")


@pytest.mark.parametrize("name, message", [("", "an empty name is not a claim file"),
                                           ("-", "-: no such file (standard input is not read")])
def test_an_empty_or_dash_claim_name_says_what_it_is(tmp_path, capsys, monkeypatch, name, message):
    monkeypatch.chdir(tmp_path)  # no file named "-" here
    assert main(["audit", str(EXAMPLES / "consistent_llama3_quarter_context.toml"), name]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"osp: error: {message}"), captured.err
