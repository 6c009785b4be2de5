"""`osp profile` prints the bound as `osp bound` does: the exact decimal rounded down,
not the float below it (512 bits at V = 32, eps = 0 is exactly 102.4 pairs)."""

from pathlib import Path

from osp.cli import main

USER_MODEL = Path(__file__).resolve().parents[1] / "examples" / "user_model.py"


def test_profile_bound_column_is_the_exact_decimal(capsys):
    code = main(["profile", f"{USER_MODEL}:build", "--set", "d_model=16", "--lengths", "8,16,32"])
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.split()[:1] in (["8"], ["16"], ["32"])]
    assert code == 0 and len(rows) == 3
    assert all(r[1] == "512" and r[-1] == "102.4" for r in rows), rows
