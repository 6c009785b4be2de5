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


def _saved(main_args, ckpt, capsys):
    assert main([*main_args, "--steps", "1", "--pairs", "2", "--length", "16", "--json", "--save", str(ckpt)]) == 0
    capsys.readouterr()


def _measure(args, capsys) -> tuple[int, str]:
    code = main(["measure", *args, "--pairs", "2", "--length", "16", "--test-examples", "4", "--json"])
    return code, capsys.readouterr().err


USER_MODEL = '''
import dataclasses, enum, torch
from torch import nn
from osp.runtime.contract import OSP, StateTensor

class Kind(enum.Enum):
    TANH = "tanh"

@dataclasses.dataclass(frozen=True)
class Config:
    d_model: int = 8
    kind: Kind = Kind.TANH     # neither is plain data a weights-only load reads back
    act: object = torch.tanh

class Model(nn.Module, OSP):
    def __init__(self, config):
        super().__init__()
        self.name, self.config, self.vocab_size = "enum-config", config, 64
        self.embed, self.head = nn.Embedding(64, config.d_model), nn.Linear(config.d_model, 64, bias=False)
    def init_state(self, batch):
        return torch.zeros(batch, self.config.d_model)
    def step(self, state, tokens):
        h = self.config.act(state + self.embed(tokens))
        return h, self.head(h)
    def forward(self, tokens):
        return self.decode(tokens)[1]
    def state_tensors(self, state):
        return [StateTensor("h", state)]

def build(d_model: int = 8):
    return Model(Config(d_model))
'''


def test_a_user_config_holding_functions_and_enums_still_loads(capsys, tmp_path):
    spec = tmp_path / "user.py"
    spec.write_text(USER_MODEL)
    _saved(["train", f"{spec}:build"], tmp_path / "u.pt", capsys)
    code, err = _measure([f"{spec}:build", "--load", str(tmp_path / "u.pt")], capsys)
    assert code in (0, 1) and not err.strip(), err


def test_a_setting_added_after_the_checkpoint_is_read_as_its_default(capsys, tmp_path):
    import torch
    ckpt = tmp_path / "before.pt"
    _saved(["train", "conv-attention"], ckpt, capsys)
    saved = torch.load(ckpt, weights_only=True)
    del saved["config"]["tie_embeddings"]  # as written before the setting existed
    torch.save(saved, ckpt)
    assert _measure(["conv-attention", "--load", str(ckpt)], capsys)[0] in (0, 1)
    code, err = _measure(["conv-attention", "--load", str(ckpt), "--set", "tie_embeddings=true"], capsys)
    assert code == 2 and "trained with tie_embeddings=False" in err and len(err.strip().splitlines()) == 1, err


def test_an_untied_checkpoint_is_not_loaded_into_a_tied_model(capsys, tmp_path):
    import torch
    ckpt = tmp_path / "untied.pt"
    _saved(["train", "attention"], ckpt, capsys)
    saved = torch.load(ckpt, weights_only=True)
    del saved["config"]  # an old checkpoint: only the weights can tell
    torch.save(saved, ckpt)
    code, err = _measure(["attention", "--load", str(ckpt), "--set", "tie_embeddings=true"], capsys)
    assert code == 2 and "ties them" in err and len(err.strip().splitlines()) == 1, err


def test_a_tied_checkpoint_loads_back_tied(capsys, tmp_path):
    import torch

    from osp.harness.store import load_checkpoint
    from osp.runtime import zoo
    ckpt = tmp_path / "tied.pt"
    _saved(["train", "conv-attention", "--set", "tie_embeddings=true"], ckpt, capsys)
    model = zoo.build("conv-attention", {"tie_embeddings": "true"})
    load_checkpoint(model, ckpt)
    saved = torch.load(ckpt, weights_only=True)["state_dict"]
    assert model.head.weight is model.embed.weight and torch.equal(model.embed.weight, saved["embed.weight"])
    code, err = _measure(["conv-attention", "--load", str(ckpt)], capsys)
    assert code == 2 and "trained with tie_embeddings=True" in err, err


def test_a_model_that_cannot_tie_its_head_says_so(capsys, no_training):
    # lstm's head is its own: the setting once was accepted and silently ignored
    code = main(["train", "lstm", "--steps", "1", "--set", "tie_embeddings=true"])
    err = capsys.readouterr().err
    assert code == 2 and "does not tie" in err and len(err.strip().splitlines()) == 1, err


def test_lstm_refuses_positions_it_would_ignore(capsys, no_training):
    code = main(["train", "lstm", "--steps", "1", "--set", "positions=64"])
    err = capsys.readouterr().err
    assert code == 2 and "takes no position embeddings" in err and len(err.strip().splitlines()) == 1, err
