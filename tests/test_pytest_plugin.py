"""osp's pytest plugin (osp/pytest_plugin.py), run in inner pytest sessions with `pytester`."""

import dataclasses
from pathlib import Path

import pytest

# Imported here, before any inner session: pytester's in-process runs drop the modules a run
# imported, and importing torch (or osp's classes) a second time in one process breaks it.
import osp.runtime.witnesses.key_table  # noqa: F401,E402
import osp.testing  # noqa: F401,E402
import torch  # noqa: F401,E402
import torch._dynamo  # noqa: F401,E402  # the optimizer's first step imports it (and _inductor): a training inner run
from osp.runtime import zoo  # noqa: F401,E402

pytest_plugins = ["pytester"]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_plugin_is_registered_through_the_entry_point():
    from importlib.metadata import entry_points

    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("osp") == "osp.pytest_plugin"


def test_marker_is_registered(pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.osp_slow:*"])


def test_skip_slow_skips_only_marked_tests(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.osp_slow
        def test_trains():
            raise AssertionError("a slow measurement ran")

        def test_quick():
            pass
        """
    )
    pytester.runpytest("--strict-markers", "--osp-skip-slow").assert_outcomes(passed=1, skipped=1)
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1, failed=1)


def test_summary_lists_what_was_recorded(pytester):
    pytester.makepyfile(
        """
        from osp.testing_records import record
        from osp.status import Status

        def test_a():
            record("model-a", Status.HOLDS, 8, 0)

        def test_b():
            record("model-b", Status.VIOLATED, 2, 1)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "*= osp measurements =*",
        "HOLDS * model-a  capacity 8 pairs, 0 finding(s)  (test_summary_lists_what_was_recorded.py::test_a)",
        "VIOLATED * model-b  capacity 2 pairs, 1 finding(s)  (*::test_b)",
        "2 model(s) measured, 1 not passing",
    ])


def test_no_section_without_measurements(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest()
    assert "osp measurements" not in result.stdout.str()


def test_plugin_can_be_turned_off(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("-p", "no:osp", "--osp-skip-slow")
    assert result.ret != 0  # the option is the plugin's: gone with it
    result.stderr.fnmatch_lines(["*unrecognized arguments: --osp-skip-slow*"])


# -- measurements through the harness (osp.harness.measure), kept small: witnesses need no training --

_HIDDEN_TABLE = '''
from osp.runtime.witnesses.key_table import KeyTable


class HiddenTable(KeyTable):
    """The key-table with its table left out of the state: recall it cannot account for."""

    name = "hidden-table"

    def state_tensors(self, state):
        return [st for st in super().state_tensors(state) if st.name != "table"]
'''


def test_a_model_within_the_bounds_passes_and_is_summarised(pytester):
    pytester.makepyfile(
        """
        from osp.runtime import zoo

        def test_witness(osp_measure):
            result = osp_measure(zoo.build("key-table"), pairs=(2, 4), test_examples=50)
            assert [row.state_bits for row in result.rows] == [2 * 4 + 2, 4 * 4 + 3]
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*= osp measurements =*", "HOLDS * key-table  capacity - pairs, 0 finding(s)  (*)"])


def test_hidden_state_fails_the_test_with_the_finding(pytester):
    pytester.makepyfile(hidden=_HIDDEN_TABLE)
    pytester.makepyfile(
        """
        from hidden import HiddenTable

        def test_hidden(osp_measure):
            osp_measure(HiddenTable(), pairs=(4,), test_examples=50)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*BoundFinding: osp: hidden-table: violated*",
        "*Theorem 1 violated at N = 4*state tensors [[]pending[]]*",
        "VIOLATED * hidden-table  capacity - pairs, 1 finding(s)  (*::test_hidden)",
    ])


@pytest.fixture
def unrecorded(monkeypatch):
    """Measurements made directly in this suite stay out of its own summary (they are meant to fail)."""
    import osp.pytest_plugin

    monkeypatch.setattr(osp.pytest_plugin, "_ACTIVE", [])


def test_refuted_declaration_raises_bound_finding(unrecorded):
    from osp.status import Status
    from osp.testing import BoundFinding, assert_bounds_hold

    with pytest.raises(BoundFinding, match=r"declared state of 4(\.0+)? bits refuted at N = 2") as err:
        assert_bounds_hold("key-table", pairs=(2,), test_examples=50, declared_state_bits=4)
    assert err.value.result.status is Status.REFUTED
    # the same claim at the size the table really needs (2 log2 16 + 2 bits) is consistent
    assert assert_bounds_hold("key-table", pairs=(2,), test_examples=50, declared_state_bits=10).status.passes


def test_inconclusive_is_never_a_pass(monkeypatch, unrecorded):
    # the harness reports inconclusive when a check cannot decide (a probed Lipschitz constant);
    # the assertion must fail on it exactly as on a violation
    import osp.testing as testing
    from osp.status import Status

    real = testing.measure

    def inconclusive(model, config):
        result = real(model, config)
        return dataclasses.replace(result, status=Status.INCONCLUSIVE, findings=["Theorem 2 inconclusive"])

    monkeypatch.setattr(testing, "measure", inconclusive)
    with pytest.raises(testing.BoundFinding, match="inconclusive"):
        testing.assert_bounds_hold("key-table", pairs=(2,), test_examples=50)


def test_config_fields_are_flat_and_exact():
    from fractions import Fraction

    from osp.testing import make_config

    config = make_config(pairs=[2, 4], steps=7, error=0.05, confidence="99/100", declared_state_bits=12)
    assert config.train.pairs == (2, 4) and config.train.steps == 7
    assert config.error == Fraction(1, 20) and config.confidence == Fraction(99, 100)
    assert config.declared_state_bits == 12
    with pytest.raises(TypeError, match="unknown measurement field"):
        make_config(pair=4)


def test_slow_marked_training_measurement(pytester):
    # a tiny trained user model (fixed 20 steps); under --osp-skip-slow it does not run at all
    pytester.makepyfile(
        f"""
        import sys
        import pytest

        sys.path.insert(0, {str(EXAMPLES)!r})
        from user_model import build

        @pytest.mark.osp_slow
        def test_trains(osp_measure):
            result = osp_measure(build(d_model=8, vocab_size=32), pairs=(2,), steps=20, batch_size=16,
                                 eval_every=20, validation_examples=16, test_examples=50)
            assert result.training is not None and result.training.trained
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "--osp-skip-slow").assert_outcomes(skipped=1)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["* tiny-gated-rnn  capacity * pairs, 0 finding(s)  (*::test_trains)"])
