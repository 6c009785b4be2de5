"""Every registry file loads, validates strictly and classifies; `osp registry`."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from osp.cli import main
from osp.errors import OspInputError
from osp.registry import classify, growth, loader

DATA = loader.data_dir()
FILES = sorted(DATA.glob("*.toml"))


@pytest.fixture(scope="module")
def registry():
    return loader.load_registry()


@pytest.fixture(scope="module")
def classified(registry):
    return {a.name: classify.classify(a) for a in registry}


def test_at_least_sixty_entries(registry):
    assert len(FILES) >= 60 and len(registry) == len(FILES)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_file_loads(path):
    arch = loader.load_file(path)
    assert arch.year <= 2026
    m = re.fullmatch(r"arXiv:(\d{2})(\d{2})\.\d{4,5}", arch.source)
    assert m, arch.source
    assert (int(m.group(1)), int(m.group(2))) <= (26, 2)   # published before March 2026
    assert arch.configuration.strip() and arch.notes.strip()


def test_every_entry_classifies_and_none_is_in_ECR(registry, classified):
    for arch in registry:
        cl = classified[arch.name]
        assert cl.region not in ("E+C+R", classify.TAPE_ECR), arch.name
        if arch.tape:
            assert cl.cites == ("tape.open",)
        elif cl.recall_possible:
            assert cl.state_growth.at_least_linear and arch.content_retrieval


def test_families_cover_the_issue(registry):
    families = {a.family for a in registry}
    for needed in ("full-attention", "local-attention", "sparse-attention", "kv-eviction", "linear-attention",
                   "retention", "gated-rnn", "ssm", "delta-rule", "recurrent-memory", "retrieval-memory",
                   "hybrid", "tape", "kv-sharing"):
        assert needed in families, needed
    names = {a.name for a in registry}
    for needed in ("MQA", "GQA", "DeepSeek-V2 (MLA)", "Mamba", "Jamba"):
        assert needed in names


def test_expected_classes_of_landmark_entries(classified):
    # computed from the expressions; these are the textbook positions
    assert classified["Transformer"].region == "R"
    assert classified["Mamba"].region == "E+C"
    assert classified["Mistral 7B"].region == "E+C"        # rolling-buffer window
    assert classified["Jamba"].region == "R"               # attention share a = 1/8 > 0
    assert classified["Transformer (no KV cache)"].region == "C+R"   # tape, like witness W2


def test_hybrid_share_trajectory(registry):
    gemma3 = loader.find("Gemma 3", registry)
    traj = classify.share_trajectory(gemma3, "a", [0, 0.25, 1])
    ks = [p.k for _, p in traj]
    assert ks[0] == 1.0 and ks[1] < 1.0 and ks[2] <= ks[1]
    assert growth.growth(gemma3.state_bits, {**gemma3.constants, "a": 0}).bounded


def test_length_trajectory(registry):
    jamba = loader.find("Jamba", registry)
    pts = classify.length_trajectory(jamba, [1 << 14, 1 << 20, 1 << 30])
    assert [p.length for p in pts] == [1 << 14, 1 << 20, 1 << 30]
    assert all(0 <= p.e <= 1 and 0 <= p.k <= 1 and 0 <= p.q <= 1 for p in pts)


def _write(tmp_path, text, name="entry.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = (DATA / "mamba.toml").read_text()


def test_loader_accepts_a_copy(tmp_path):
    assert loader.load_file(_write(tmp_path, GOOD)).name == "Mamba"


@pytest.mark.parametrize("field", ["source", "bits_per_scalar", "tape", "state_scalars", "constants"])
def test_missing_field_is_named(tmp_path, field):
    data = tomllib.loads(GOOD)
    del data[field]
    with pytest.raises(OspInputError, match=rf"entry.toml: missing field '{field}'"):
        loader.parse_entry(data, "entry.toml")


def test_unknown_field_is_named(tmp_path):
    path = _write(tmp_path, GOOD.replace("tape = false", "tape = false\nverdict = \"E+C\""))
    with pytest.raises(OspInputError, match=r"entry.toml: unknown field 'verdict'"):
        loader.load_file(path)


@pytest.mark.parametrize("old, new, pattern", [
    ("year = 2023", 'year = "2023"', r"field 'year' must be int"),
    ("year = 2023", "year = 2021", r"field 'year'.*2023"),
    ('source = "arXiv:2312.00752"', 'source = "arXiv:2605.00001"', r"field 'source'.*after February 2026"),
    ('source = "arXiv:2312.00752"', 'source = "somewhere"', r"field 'source'"),
    ('family = "ssm"', 'family = "magic"', r"field 'family'"),
    ("layers = 64", "", r"field 'per_step_compute': symbol 'layers'"),
    ('state_scalars = "', 'state_scalars = "__import__(1) + ', r"field 'state_scalars'.*position"),
    ("\nd = 2560", '\nd = "w"', r"constants.d"),
])
def test_bad_values_are_named(tmp_path, old, new, pattern):
    assert old in GOOD
    with pytest.raises(OspInputError, match=pattern):
        loader.load_file(_write(tmp_path, GOOD.replace(old, new, 1)))


def test_malformed_toml_and_duplicates(tmp_path):
    with pytest.raises(OspInputError, match="malformed TOML"):
        loader.load_file(_write(tmp_path, "name = "))
    _write(tmp_path, GOOD, "a.toml")
    _write(tmp_path, GOOD, "b.toml")
    (tmp_path / "entry.toml").unlink(missing_ok=True)
    with pytest.raises(OspInputError, match="already used"):
        loader.load_registry(tmp_path)


def test_non_utf8_file_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace('name = "Mamba"', 'name = "Mamba \u00e9"').encode("latin-1"))
    with pytest.raises(OspInputError, match="latin1.toml: not UTF-8"):
        loader.load_file(path)


def test_cli_registry_check_and_json(capsys):
    assert main(["registry", "--check"]) == 0
    capsys.readouterr()
    assert main(["registry", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"architectures", "regions"}
    row = out["architectures"][0]
    assert set(row) >= {"name", "year", "source", "efficient", "compact", "recall_possible", "region"}
    assert sum(out["regions"].values()) == len(out["architectures"]) == len(FILES)
    assert out["regions"]["E+C+R"] == 0 and out["regions"][classify.TAPE_ECR] == 0


def test_cli_check_fails_on_an_ECR_entry(tmp_path, monkeypatch, capsys):
    bad = GOOD.replace('tape = false', 'tape = true').replace("content_retrieval = false",
                                                              "content_retrieval = true")
    _write(tmp_path, bad.replace('name = "Mamba"', 'name = "Impossible"'), "impossible.toml")
    monkeypatch.setattr(loader, "data_dir", lambda: Path(tmp_path))
    assert main(["registry", "--check"]) == 1
    assert "Impossible: lands in E+C+R" in capsys.readouterr().out


def test_cli_trajectory(capsys):
    assert main(["registry", "--trajectory", "Jamba", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["Lstar"] for p in out["lengths"]] == sorted(p["Lstar"] for p in out["lengths"])
    shares = {p["a"]: p for p in out["shares"]}
    assert shares["0"]["k"] == 1.0 and shares["1/8"]["k"] < 1.0     # attention share turns C off
    assert main(["registry", "--trajectory", "NoSuchNet"]) == 2
