"""osp's pytest plugin (osp/pytest_plugin.py), run in inner pytest sessions with `pytester`."""

import pytest

pytest_plugins = ["pytester"]


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
        from osp.pytest_plugin import record
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
