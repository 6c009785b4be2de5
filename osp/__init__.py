"""osp: machine-checked bounds for the impossibility triangle of long-context modeling."""

__version__ = "0.1.0"
