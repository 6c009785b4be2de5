"""`osp sweep`: the paper's experiment and its extensions, as many `osp measure` runs.

spec.py reads the TOML spec, plan.py expands it into content-keyed runs (and
skips finished ones), executors.py runs them (in-process, a process pool, or
Ray), summary.py picks learning rates on validation and builds the figure
data, runner.py ties them together. See docs/experiments.md.
"""
