import numpy as np

from osp.checks import covering


def _sequential_net(points, r, norm):
    """The definition: keep a point unless it lies within r of a point already kept."""
    net = []
    for i, p in enumerate(points):
        if not net or np.min(norm(points[net] - p)) >= r:
            net.append(i)
    return net


def test_vectorised_greedy_net_equals_the_definition():
    rng = np.random.default_rng(3)
    for d in (1, 2, 3):
        for order in (1, 2, np.inf):
            norm = lambda x, o=order: np.linalg.norm(x, ord=o, axis=-1)  # noqa: E731
            pts = rng.normal(size=(250, d))
            r = float(rng.uniform(0.2, 1.2))
            net = covering._greedy_net(pts, r, norm)
            assert net == _sequential_net(pts, r, norm)
            kept = pts[net]
            gaps = [norm(kept[i] - kept[j]) for i in range(len(net)) for j in range(i)]
            assert min(gaps, default=r) >= r  # r-separated
            assert all(np.min(norm(kept - p)) < r or i in net for i, p in enumerate(pts))  # an r-net
