import os

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def graph_results():
    """One evaluation of the whole proof graph, shared by the tests that read it."""
    from osp.proofs.evidence import Context
    from osp.proofs.nodes import load_graph
    return load_graph().evaluate(Context())
