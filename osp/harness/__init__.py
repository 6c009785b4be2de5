"""The measured half of osp: train models on MQAR (train.py) and assert their
recall below Theorem 1 and 2 (measure.py), with confidence bounds whose unit
is the example (confidence.py). See docs/harness.md."""
