"""`osp train` / `osp measure` arguments: bad ones exit 2 before any training starts."""

import re

import pytest

from osp.cli import main
from osp.harness import measure as measure_module
from osp.harness import train as train_module

#: a bad --out/--save is named with why: a missing folder, a folder given, or a path we cannot write
BAD_OUT = r"does not exist|is a folder|cannot write"


@pytest.fixture
def no_training(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")
    monkeypatch.setattr(train_module, "train", refuse)
    monkeypatch.setattr(measure_module, "train", refuse)


def test_steps_and_tokens_are_exclusive(capsys):
    code = main(["train", "lstm", "--steps", "2", "--tokens", "100"])
    err = capsys.readouterr().err
    assert code == 2 and "--steps or --tokens" in err


@pytest.mark.parametrize("argv", [
    ["train", "lstm", "--steps", "2", "--save", "{missing}/x.pt"],
    ["train", "lstm", "--steps", "2", "--out", "{missing}/x.json"],
    ["train", "lstm", "--steps", "2", "--save", "{folder}"],
])
def test_unwritable_outputs_fail_before_training(capsys, tmp_path, no_training, argv):
    argv = [a.format(missing=tmp_path / "nope", folder=tmp_path) for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and re.search(BAD_OUT, err) and len(err.strip().splitlines()) == 1


def test_measure_checks_out_before_training(capsys, tmp_path, no_training):
    code = main(["measure", "lstm", "--steps", "2", "--out", str(tmp_path / "nope" / "x.json")])
    assert code == 2 and re.search(BAD_OUT, capsys.readouterr().err)


def test_zero_steps_is_an_untrained_baseline_not_a_crash(capsys):
    code = main(["train", "lstm", "--steps", "0", "--pairs", "4", "--set", "d_model=16", "--set", "hidden=16"])
    out, err = capsys.readouterr()
    assert code == 0 and "0 steps" in out and "final loss n/a" in out and "internal error" not in err


def test_a_checkpoint_of_another_size_names_the_mismatch(capsys, tmp_path):
    ckpt = tmp_path / "l.pt"
    assert main(["train", "lstm", "--steps", "1", "--pairs", "2", "--json", "--save", str(ckpt)]) == 0
    capsys.readouterr()
    code = main(["measure", "lstm", "--load", str(ckpt), "--set", "d_model=8", "--pairs", "2"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "trained with d_model=32" in err, err


def test_a_checkpoint_of_another_config_with_the_same_shapes_is_refused(capsys, tmp_path):
    # a window of 16 and one of 8 have the same weights: loading one as the other would measure a model never trained
    ckpt = tmp_path / "w.pt"
    assert main(["train", "sliding-window", "--steps", "1", "--pairs", "2", "--set", "window=16", "--json",
                 "--save", str(ckpt)]) == 0
    capsys.readouterr()
    code = main(["measure", "sliding-window", "--load", str(ckpt), "--set", "window=8", "--pairs", "2"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "trained with window=16" in err, err
    assert main(["measure", "sliding-window", "--load", str(ckpt), "--set", "window=16", "--pairs", "2",
                 "--test-examples", "20", "--json"]) in (0, 1)


def test_a_checkpoint_without_a_config_still_names_a_size_mismatch(capsys, tmp_path):
    import torch
    ckpt = tmp_path / "old.pt"
    assert main(["train", "lstm", "--steps", "1", "--pairs", "2", "--json", "--save", str(ckpt)]) == 0
    capsys.readouterr()
    saved = torch.load(ckpt, weights_only=True)
    del saved["config"]  # as written before checkpoints carried the config
    torch.save(saved, ckpt)
    code = main(["measure", "lstm", "--load", str(ckpt), "--set", "d_model=8", "--pairs", "2"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "size mismatch" in err, err
