"""The dropout family against PyTorch: after the same manual_seed the same masks, the same stream left over."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

CASES = [  # (function, input shape, p)
    ("dropout", (4, 6), 0.3), ("dropout", (3, 5), 1.0), ("dropout", (0, 3), 0.5),
    ("dropout1d", (2, 5, 7), 0.4), ("dropout1d", (5, 7), 0.4),
    ("dropout2d", (2, 5, 3, 4), 0.5), ("dropout2d", (5, 3, 4), 0.5),  # 3-D: PyTorch takes it as (N, C, L)
    ("dropout2d", (6, 4), 0.5),
    ("dropout3d", (2, 3, 2, 3, 4), 0.25), ("dropout3d", (3, 2, 3, 4), 0.25), ("dropout3d", (3, 2, 3), 0.25),
    ("alpha_dropout", (5, 8), 0.2), ("alpha_dropout", (5, 8), 1.0),
    ("feature_alpha_dropout", (3, 4, 5), 0.3),
]


@pytest.mark.parametrize("inplace", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name, shape, p", CASES)
def test_functional_dropout_equals_torch(name: str, shape: tuple[int, ...], p: float, dtype: str,
                                         inplace: bool) -> None:
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype) + 2
    results = []
    for lib in (tg, torch):
        lib.manual_seed(3)
        leaf = lib.tensor(x, requires_grad=True)
        hidden = leaf * 1.0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = getattr(lib.nn.functional, name)(hidden, p, True, inplace)
        out.backward(lib.ones_like(out))
        after = lib.rand(3)  # the stream left over: p == 1 and empty inputs draw nothing
        results.append((out.detach().numpy(), leaf.grad.numpy(), after.numpy(),
                        ([str(w.message) for w in caught], out is hidden)))
    ours, theirs = results
    tol = 1e-6 if dtype == "float32" else 1e-13
    for a, b in zip(ours[:3], theirs[:3], strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    assert ours[3] == theirs[3]


@pytest.mark.parametrize("layer, shape", [("Dropout", (3, 4, 5)), ("Dropout1d", (2, 3, 4)), ("Dropout2d", (2, 3, 4, 5)),
                                          ("Dropout3d", (2, 3, 4, 5, 6)), ("AlphaDropout", (4, 5)),
                                          ("FeatureAlphaDropout", (2, 3, 4, 5))])
def test_dropout_layers_equal_torch(layer: str, shape: tuple[int, ...]) -> None:
    x = np.random.default_rng(1).standard_normal(shape)
    outputs = []
    for lib in (tg, torch):
        lib.manual_seed(5)
        module = getattr(lib.nn, layer)(0.4)
        trained = module(lib.tensor(x)).numpy()
        module.eval()
        outputs.append((repr(module), trained, module(lib.tensor(x)).numpy()))
    assert outputs[0][0] == outputs[1][0]
    np.testing.assert_allclose(outputs[0][1], outputs[1][1], rtol=1e-13)
    np.testing.assert_array_equal(outputs[0][2], x)


def test_dropout_refusals_equal_torch() -> None:
    for lib in (tg, torch):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            lib.nn.Dropout1d(1.5)
        with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"):
            lib.nn.functional.dropout1d(lib.ones(1, 2, 3, 4))
        with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions"):
            lib.nn.functional.feature_alpha_dropout(lib.ones(4), 0.5, True)
