"""torch.distributions against PyTorch 2.13: after the same seed the same samples, the same log_prob,
entropy, moments and KL in float32 and float64, the same gradients (float64), errors, repr and shapes."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402
from tinygrad_adam import distributions as D  # noqa: E402

TD = torch.distributions
RNG = np.random.default_rng(0)
L3 = np.array([[1.5, 0.0, 0.0], [0.4, 0.8, 0.0], [-0.3, 0.2, 0.6]])
L3B = np.stack([L3, np.diag([0.5, 1.0, 2.0])])  # a batch of two factors
COV3 = L3 @ L3.T

# name -> (class name, parameters as NumPy arrays or numbers, a valid value for log_prob)
CASES = {
    "normal": ("Normal", dict(loc=RNG.normal(size=(2, 3)), scale=RNG.uniform(0.5, 2, (2, 3))),
               RNG.normal(size=(4, 2, 3))),
    "normal_broadcast": ("Normal", dict(loc=RNG.normal(size=(3,)), scale=1.5), RNG.normal(size=(2, 3))),
    "normal_numbers": ("Normal", dict(loc=0.5, scale=2.0), RNG.normal(size=(5,))),
    "uniform": ("Uniform", dict(low=RNG.uniform(-2, 0, (3,)), high=RNG.uniform(1, 2, (3,))), RNG.uniform(0, 1, (4, 3))),
    "bernoulli_probs": ("Bernoulli", dict(probs=np.array([0.1, 0.5, 0.9, 0.3])), RNG.integers(0, 2, (3, 4)) * 1.0),
    "bernoulli_logits": ("Bernoulli", dict(logits=RNG.normal(size=(2, 4))), RNG.integers(0, 2, (2, 4)) * 1.0),
    "categorical_probs": ("Categorical", dict(probs=RNG.uniform(0.1, 1, (2, 5))), RNG.integers(0, 5, (3, 2))),
    "categorical_logits": ("Categorical", dict(logits=RNG.normal(size=(4,))), RNG.integers(0, 4, (6,))),
    "onehot": ("OneHotCategorical", dict(probs=RNG.uniform(0.1, 1, (2, 4))), np.eye(4)[RNG.integers(0, 4, (3, 2))]),
    "mvn_scale_tril": ("MultivariateNormal", dict(loc=RNG.normal(size=(3,)), scale_tril=L3), RNG.normal(size=(4, 3))),
    "mvn_covariance": ("MultivariateNormal", dict(loc=RNG.normal(size=(2, 3)), covariance_matrix=COV3),
                       RNG.normal(size=(4, 2, 3))),
    "mvn_precision": ("MultivariateNormal", dict(loc=RNG.normal(size=(3,)), precision_matrix=COV3),
                      RNG.normal(size=(3,))),
    "mvn_batched_factor": ("MultivariateNormal", dict(loc=RNG.normal(size=(3,)), scale_tril=L3B),
                           RNG.normal(size=(5, 2, 3))),
}
FLOATS = [(torch.float64, tg.float64), (torch.float32, tg.float32)]


def _params(lib, params, dtype, requires_grad=False):
    return {k: lib.tensor(v, dtype=dtype, requires_grad=requires_grad) if isinstance(v, np.ndarray) else v
            for k, v in params.items()}


def _pair(case, floats=FLOATS[0], requires_grad=False):
    name, params, _ = CASES[case]
    theirs_params = _params(torch, params, floats[0], requires_grad)
    ours_params = _params(tg, params, floats[1], requires_grad)
    return (getattr(D, name)(**ours_params), ours_params), (getattr(TD, name)(**theirs_params), theirs_params)


def _value(lib, case, dtype):
    name, _, value = CASES[case]
    return lib.tensor(value, dtype=(lib.int64 if name == "Categorical" else dtype))


def _close(ours, theirs, dtype=None, exact=False):
    theirs = theirs.detach().numpy()
    ours = ours.detach().numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if exact:
        np.testing.assert_array_equal(ours, theirs)
    else:
        tight = ours.dtype == np.float64
        np.testing.assert_allclose(ours, theirs, rtol=1e-12 if tight else 2e-6, atol=1e-12 if tight else 1e-6)


# --- samples: the same numbers after the same seed ---------------------------------------------------

@pytest.mark.parametrize("floats", FLOATS, ids=["float64", "float32"])
@pytest.mark.parametrize("sample_shape", [(), (3,), (2, 3)])
@pytest.mark.parametrize("case", list(CASES))
def test_sample_after_the_same_seed_is_pytorchs(case, sample_shape, floats):
    (ours, _), (theirs, _) = _pair(case, floats)
    torch.manual_seed(7)
    expected = [theirs.sample(sample_shape), theirs.sample(sample_shape)]
    tg.manual_seed(7)
    got = [ours.sample(sample_shape), ours.sample(sample_shape)]
    discrete = CASES[case][0] in ("Bernoulli", "Categorical", "OneHotCategorical")
    for o, t in zip(got, expected, strict=True):
        _close(o, t, exact=discrete or CASES[case][0] in ("Normal", "Uniform"))
        assert o.requires_grad is False


@pytest.mark.parametrize("sample_shape", [(), (4,), (2, 2)])
@pytest.mark.parametrize("case", [c for c in CASES if CASES[c][0] in ("Normal", "Uniform", "MultivariateNormal")])
def test_rsample_values_and_gradients_are_pytorchs(case, sample_shape):
    (ours, ours_params), (theirs, theirs_params) = _pair(case, requires_grad=True)
    torch.manual_seed(11)
    expected = theirs.rsample(sample_shape)
    tg.manual_seed(11)
    got = ours.rsample(sample_shape)
    _close(got, expected)
    assert got.requires_grad == expected.requires_grad
    if not expected.requires_grad:
        return
    weights = np.random.default_rng(1).normal(size=tuple(expected.shape))
    (expected * torch.tensor(weights)).sum().backward()
    (got * tg.tensor(weights)).sum().backward()
    for key, theirs_param in theirs_params.items():
        if isinstance(theirs_param, torch.Tensor):
            _close(ours_params[key].grad, theirs_param.grad)


def test_the_default_stream_continues_as_pytorchs_after_sampling():
    torch.manual_seed(3)
    TD.Categorical(logits=torch.zeros(6)).sample((5,))
    TD.Normal(0.0, 1.0).rsample((17,))
    after_theirs = torch.rand(4)
    tg.manual_seed(3)
    D.Categorical(logits=tg.zeros(6)).sample((5,))
    D.Normal(0.0, 1.0).rsample((17,))
    _close(tg.rand(4), after_theirs, exact=True)


# --- values: log_prob, entropy, moments -------------------------------------------------------------

@pytest.mark.parametrize("floats", FLOATS, ids=["float64", "float32"])
@pytest.mark.parametrize("case", list(CASES))
def test_log_prob_entropy_and_moments_are_pytorchs(case, floats):
    (ours, _), (theirs, _) = _pair(case, floats)
    _close(ours.log_prob(_value(tg, case, floats[1])), theirs.log_prob(_value(torch, case, floats[0])))
    _close(ours.entropy(), theirs.entropy())
    _close(ours.perplexity(), theirs.perplexity())
    for moment in ("mean", "variance", "stddev", "mode"):
        expected = getattr(theirs, moment)
        got = getattr(ours, moment)
        assert str(got.dtype) == str(expected.dtype)
        np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy(), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("case", [c for c in CASES if c != "normal_numbers"])
def test_gradients_of_log_prob_and_entropy_are_pytorchs(case):
    (ours, ours_params), (theirs, theirs_params) = _pair(case, requires_grad=True)
    (theirs.log_prob(_value(torch, case, torch.float64)).sum() + theirs.entropy().sum()).backward()
    (ours.log_prob(_value(tg, case, tg.float64)).sum() + ours.entropy().sum()).backward()
    for key, theirs_param in theirs_params.items():
        if isinstance(theirs_param, torch.Tensor):
            _close(ours_params[key].grad, theirs_param.grad)


@pytest.mark.parametrize("name", ["Normal", "Uniform"])
def test_cdf_and_icdf_are_pytorchs(name):
    args = (np.array([-1.0, 0.5]), np.array([2.0, 3.0]))
    ours = getattr(D, name)(*(tg.tensor(a, dtype=tg.float64) for a in args))
    theirs = getattr(TD, name)(*(torch.tensor(a, dtype=torch.float64) for a in args))
    x, q = np.array([0.3, 1.2]), np.array([0.1, 0.8])
    _close(ours.cdf(tg.tensor(x)), theirs.cdf(torch.tensor(x)))
    _close(ours.icdf(tg.tensor(q)), theirs.icdf(torch.tensor(q)))


def test_bernoulli_and_categorical_parameters_convert_as_pytorchs():
    probs = np.array([[0.0, 0.25, 1.0], [0.5, 0.5, 0.0]])
    for ours, theirs in ((D.Bernoulli(tg.tensor(probs)), TD.Bernoulli(torch.tensor(probs))),
                         (D.Categorical(tg.tensor(probs)), TD.Categorical(torch.tensor(probs))),
                         (D.Categorical(logits=tg.tensor(probs)), TD.Categorical(logits=torch.tensor(probs))),
                         (D.Bernoulli(logits=tg.tensor(probs)), TD.Bernoulli(logits=torch.tensor(probs)))):
        _close(ours.probs, theirs.probs)
        _close(ours.logits, theirs.logits)
        assert ours.param_shape == theirs.param_shape


def test_mvn_matrices_from_each_parameterization_are_pytorchs():
    for case in ("mvn_scale_tril", "mvn_covariance", "mvn_precision", "mvn_batched_factor"):
        (ours, _), (theirs, _) = _pair(case)
        for name in ("scale_tril", "covariance_matrix", "precision_matrix"):
            _close(getattr(ours, name), getattr(theirs, name))


# --- KL divergences ---------------------------------------------------------------------------------

def _kl_pairs():
    second = {
        "normal": dict(loc=RNG.normal(size=(2, 3)), scale=RNG.uniform(0.5, 2, (2, 3))),
        "uniform": dict(low=np.array([-3.0, -0.5, -2.5]), high=np.array([3.0, 2.0, 1.5])),
        "bernoulli_probs": dict(probs=np.array([0.0, 0.5, 1.0, 0.6])),
        "categorical_probs": dict(probs=np.array([[0.0, 1, 1, 1, 1], [1, 2, 3, 4, 5]])),
        "onehot": dict(probs=RNG.uniform(0.1, 1, (2, 4))),
        "mvn_scale_tril": dict(loc=RNG.normal(size=(2, 3)), covariance_matrix=COV3 + np.eye(3)),
        "mvn_batched_factor": dict(loc=RNG.normal(size=(3,)), scale_tril=L3),
    }
    return [(case, params) for case, params in second.items()]


@pytest.mark.parametrize("floats", FLOATS, ids=["float64", "float32"])
@pytest.mark.parametrize(("case", "q_params"), _kl_pairs(), ids=[c for c, _ in _kl_pairs()])
def test_kl_divergence_values_and_gradients_are_pytorchs(case, q_params, floats):
    name = CASES[case][0]
    (p_ours, p_ours_params), (p_theirs, p_theirs_params) = _pair(case, floats, requires_grad=True)
    q_ours = getattr(D, name)(**_params(tg, q_params, floats[1]))
    q_theirs = getattr(TD, name)(**_params(torch, q_params, floats[0]))
    expected, got = TD.kl_divergence(p_theirs, q_theirs), D.kl_divergence(p_ours, q_ours)
    _close(got, expected)
    finite = torch.isfinite(expected)
    expected[finite].sum().backward()
    got[tg.tensor(finite.numpy())].sum().backward()
    if floats[0] is torch.float64:
        for key, theirs_param in p_theirs_params.items():
            if isinstance(theirs_param, torch.Tensor):
                _close(p_ours_params[key].grad, theirs_param.grad)


def test_kl_of_independent_normals_and_across_families_is_pytorchs():
    loc, scale = RNG.normal(size=(2, 3)), RNG.uniform(0.5, 2, (2, 3))
    p = (D.Independent(D.Normal(tg.tensor(loc), tg.tensor(scale)), 1),
         TD.Independent(TD.Normal(torch.tensor(loc), torch.tensor(scale)), 1))
    q = (D.Independent(D.Normal(tg.tensor(scale), tg.tensor(loc**2 + 1)), 1),
         TD.Independent(TD.Normal(torch.tensor(scale), torch.tensor(loc**2 + 1)), 1))
    _close(D.kl_divergence(p[0], q[0]), TD.kl_divergence(p[1], q[1]))
    u = (D.Uniform(tg.tensor(loc), tg.tensor(loc + 1)), TD.Uniform(torch.tensor(loc), torch.tensor(loc + 1)))
    n = (D.Normal(tg.tensor(scale), tg.tensor(scale)), TD.Normal(torch.tensor(scale), torch.tensor(scale)))
    _close(D.kl_divergence(u[0], n[0]), TD.kl_divergence(u[1], n[1]))
    _close(D.kl_divergence(n[0], u[0]), TD.kl_divergence(n[1], u[1]))


@pytest.mark.parametrize("pair", ["d.Bernoulli(lib.tensor([0.3])), d.Normal(lib.tensor([0.0]), 1.0)",
                                  "d.Categorical(lib.ones(2)), d.Normal(lib.tensor([0.0]), 1.0)",
                                  "d.Uniform(0.0, 1.0), d.Bernoulli(0.5)"])
def test_kl_of_an_unregistered_pair_raises_pytorchs_error(pair):
    def message(lib, d):
        with pytest.raises(NotImplementedError) as info:
            d.kl_divergence(*eval(pair, {"lib": lib, "d": d}))
        return str(info.value)

    assert message(tg, D) == message(torch, TD)


def test_mvn_kl_of_different_event_shapes_raises_pytorchs_error():
    def message(lib, d):
        p = d.MultivariateNormal(lib.zeros(2), lib.eye(2))
        with pytest.raises(ValueError) as info:
            d.kl_divergence(p, d.MultivariateNormal(lib.zeros(3), lib.eye(3)))
        return str(info.value)

    assert message(tg, D) == message(torch, TD)


# --- validation: PyTorch's errors, word for word -----------------------------------------------------

INVALID = [
    "d.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, -1.0]))",
    "d.Normal(lib.tensor(0.0), lib.tensor(float('nan')))",
    "d.Normal(lib.tensor([float('nan')]), 1.0)",
    "d.Normal([0.0], 1.0)",
    "d.Uniform(1.0, 0.0)",
    "d.Uniform(lib.tensor([0.0, 2.0]), lib.tensor([1.0, 1.0]))",
    "d.Bernoulli(lib.tensor([0.5, 1.5]))",
    "d.Bernoulli()",
    "d.Bernoulli(0.5, 0.0)",
    "d.Categorical(lib.tensor([1.0, -1.0]))",
    "d.Categorical(lib.tensor(1.0))",
    "d.Categorical(logits=lib.tensor(1.0))",
    "d.Categorical(lib.tensor([0.5]), lib.tensor([0.5]))",
    "d.OneHotCategorical(lib.tensor([1.0, -1.0]))",
    "d.MultivariateNormal(lib.zeros(2), lib.tensor([[1.0, 2.0], [2.0, 1.0]]))",
    "d.MultivariateNormal(lib.zeros(2), lib.tensor([[1.0, 0.5], [0.0, 1.0]]))",
    "d.MultivariateNormal(lib.zeros(2), scale_tril=lib.tensor([[1.0, 0.5], [0.0, 1.0]]))",
    "d.MultivariateNormal(lib.zeros(2), scale_tril=lib.tensor([[-1.0, 0.0], [0.0, 1.0]]))",
    "d.MultivariateNormal(lib.zeros(2), precision_matrix=-lib.eye(2))",
    "d.MultivariateNormal(lib.zeros(2))",
    "d.MultivariateNormal(lib.zeros(2), lib.eye(2), scale_tril=lib.eye(2))",
    "d.MultivariateNormal(lib.tensor(0.0), lib.eye(2))",
    "d.MultivariateNormal(lib.zeros(2), lib.ones(2))",
    "d.MultivariateNormal(lib.zeros(2), scale_tril=lib.ones(2))",
    "d.MultivariateNormal(lib.zeros(2), precision_matrix=lib.ones(2))",
    "d.Independent(d.Normal(lib.zeros(3), 1.0), 2)",
    "d.Normal(0.0, 1.0).log_prob(0.5)",
    "d.Normal(lib.zeros(3), 1.0).log_prob(lib.zeros(2))",
    "d.Normal(lib.zeros(3), 1.0).log_prob(lib.tensor([0.0, float('nan'), 1.0]))",
    "d.Uniform(0.0, 1.0).log_prob(lib.tensor([0.5, 1.5]))",
    "d.Bernoulli(lib.tensor([0.3, 0.4])).log_prob(lib.tensor([0.5, 1.0]))",
    "d.Categorical(lib.ones(3)).log_prob(lib.tensor(3))",
    "d.Categorical(lib.ones(2, 3)).log_prob(lib.tensor([0, 1, 2]))",
    "d.OneHotCategorical(lib.ones(3)).log_prob(lib.tensor([1.0, 1.0, 0.0]))",
    "d.OneHotCategorical(lib.ones(3)).log_prob(lib.tensor([1.0, 0.0]))",
    "d.MultivariateNormal(lib.zeros(3), lib.eye(3)).log_prob(lib.zeros(2))",
    "d.Independent(d.Normal(lib.zeros(3), 1.0), 1).log_prob(lib.tensor([0.0, float('inf'), float('nan')]))",
    "d.Independent(d.Bernoulli(lib.ones(2) / 2), 1).enumerate_support()",
]


def _error(expression, lib, d):
    try:
        eval(expression, {"lib": lib, "d": d})
    except Exception as e:  # noqa: BLE001 - the type and message are what is compared
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("expression", INVALID)
def test_invalid_arguments_raise_pytorchs_error(expression):
    expected = _error(expression, torch, TD)
    assert expected is not None
    assert _error(expression, tg, D) == expected


def test_validate_args_false_and_the_default_switch_skip_the_checks():
    assert D.Normal(tg.tensor([0.0]), tg.tensor([-1.0]), validate_args=False).scale.item() == -1.0
    before = D.Distribution._validate_args
    try:
        D.Distribution.set_default_validate_args(False)
        D.Uniform(1.0, 0.0)
        assert D.Normal(0.0, 1.0).log_prob(tg.tensor(float("nan"))).isnan().item()
    finally:
        D.Distribution.set_default_validate_args(before)
    with pytest.raises(ValueError):
        D.Uniform(1.0, 0.0)


# --- repr, shapes, expand, support --------------------------------------------------------------------

REPRS = [
    "d.Normal(0.0, 1.0)",
    "d.Normal(lib.tensor([0.5]), 1.0)",
    "d.Normal(lib.zeros(2, 3), lib.ones(3))",
    "d.Normal(lib.tensor(0.0, requires_grad=True), 1.0)",
    "d.Uniform(lib.tensor(0.0, dtype=lib.float64), 2.0)",
    "d.Bernoulli(logits=lib.zeros(2))",
    "d.Bernoulli(0.3)",
    "d.Categorical(lib.tensor([1.0, 2.0]))",
    "d.Categorical(logits=lib.zeros(4, 2))",
    "d.OneHotCategorical(lib.tensor([1.0, 2.0]))",
    "d.MultivariateNormal(lib.zeros(2), lib.eye(2))",
    "d.MultivariateNormal(lib.zeros(2), precision_matrix=lib.eye(2))",
    "d.Independent(d.Normal(lib.zeros(2, 3), 1.0), 1)",
    "d.Normal(lib.zeros(2), 1.0).expand((4, 2))",
    "d.Uniform(0.0, 1.0).support",
    "d.Categorical(lib.ones(3)).support",
    "d.Independent(d.Normal(lib.zeros(2, 3), 1.0), 2).support",
    "d.MultivariateNormal(lib.zeros(2), lib.eye(2)).arg_constraints",
    "d.constraints.positive, d.constraints.real_vector, d.constraints.simplex, d.constraints.unit_interval",
    "d.constraints.integer_interval(0, 3), d.constraints.half_open_interval(0, 1), d.constraints.one_hot",
    "d.constraints.lower_cholesky, d.constraints.nonnegative, d.constraints.boolean, d.constraints.positive_integer",
]


@pytest.mark.parametrize("expression", REPRS)
def test_repr_is_pytorchs(expression):
    assert repr(eval(expression, {"lib": tg, "d": D})) == repr(eval(expression, {"lib": torch, "d": TD}))


SHAPED = [
    "d.Normal(lib.zeros(2, 3), lib.ones(3))",
    "d.Normal(0.0, lib.ones(4))",
    "d.Uniform(lib.zeros(2, 1), lib.ones(3))",
    "d.Bernoulli(lib.ones(2, 3) / 2)",
    "d.Categorical(lib.ones(2, 3, 4))",
    "d.OneHotCategorical(logits=lib.zeros(5, 4))",
    "d.MultivariateNormal(lib.zeros(4, 1, 3), lib.eye(3).expand(2, 3, 3))",
    "d.Independent(d.Normal(lib.zeros(2, 3, 4), 1.0), 2)",
    "d.Independent(d.OneHotCategorical(lib.ones(2, 3)), 1)",
]


@pytest.mark.parametrize("expression", SHAPED)
def test_shapes_expand_and_enumerate_support_are_pytorchs(expression):
    ours, theirs = eval(expression, {"lib": tg, "d": D}), eval(expression, {"lib": torch, "d": TD})
    assert (ours.batch_shape, ours.event_shape) == (theirs.batch_shape, theirs.event_shape)
    assert repr(ours.batch_shape) == repr(theirs.batch_shape)
    assert (ours.has_rsample, ours.has_enumerate_support) == (theirs.has_rsample, theirs.has_enumerate_support)
    for sample_shape in [(), (5,), tg.Size([2, 1])]:
        assert ours.sample(sample_shape).shape == theirs.sample(tuple(sample_shape)).shape
    wider = (6,) + tuple(theirs.batch_shape)
    ours_wide, theirs_wide = ours.expand(wider), theirs.expand(torch.Size(wider))
    assert type(ours_wide) is type(ours)
    assert (ours_wide.batch_shape, ours_wide.event_shape) == (theirs_wide.batch_shape, theirs_wide.event_shape)
    torch.manual_seed(2)
    theirs_draw = theirs_wide.sample((2,))
    tg.manual_seed(2)
    ours_draw = ours_wide.sample((2,))
    assert ours_draw.shape == theirs_draw.shape
    _close(ours_wide.log_prob(tg.tensor(theirs_draw.numpy())), theirs_wide.log_prob(theirs_draw))
    if theirs.has_enumerate_support:
        for expand in (True, False):
            _close(ours.enumerate_support(expand), theirs.enumerate_support(expand), exact=True)


def test_constraints_check_as_pytorchs():
    values = np.array([[-1.0, 0.0, 0.5, 1.0, 2.0, np.nan], [0.2, 0.3, 0.5, 0.0, 0.0, 0.0]])
    names = ["real", "positive", "nonnegative", "unit_interval", "boolean", "simplex", "real_vector",
             "nonnegative_integer", "positive_integer", "one_hot"]
    for name in names:
        expected = getattr(TD.constraints, name).check(torch.tensor(values))
        _close(getattr(D.constraints, name).check(tg.tensor(values)), expected, exact=True)
    for maker, args in (("interval", (0.0, 1.0)), ("half_open_interval", (0.0, 1.0)), ("greater_than", (0.2,)),
                        ("greater_than_eq", (0.2,)), ("less_than", (0.5,)), ("integer_interval", (0, 1))):
        expected = getattr(TD.constraints, maker)(*args).check(torch.tensor(values))
        _close(getattr(D.constraints, maker)(*args).check(tg.tensor(values)), expected, exact=True)
    matrices = np.stack([COV3, L3, -COV3, L3.T])
    for name in ("lower_triangular", "lower_cholesky", "square", "symmetric", "positive_definite",
                 "positive_semidefinite"):
        expected = getattr(TD.constraints, name).check(torch.tensor(matrices))
        _close(getattr(D.constraints, name).check(tg.tensor(matrices)), expected, exact=True)


def test_register_kl_picks_the_most_specific_pair_as_pytorch():
    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _mine(p, q):
        return tg.zeros(p.batch_shape)

    try:
        assert D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(1.0, 2.0)).item() == 0.0
        assert D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 2.0)).item() == pytest.approx(
            TD.kl_divergence(TD.Normal(0.0, 1.0), TD.Normal(1.0, 2.0)).item())
    finally:
        del D.kl._KL_REGISTRY[MyNormal, D.Normal]
        D.kl._KL_MEMOIZE.clear()


def test_sample_n_warns_as_pytorch():
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        assert D.Normal(0.0, 1.0).sample_n(3).shape == (3,)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        TD.Normal(0.0, 1.0).sample_n(3)
    assert [(w.category, str(w.message)) for w in ours] == [(w.category, str(w.message)) for w in theirs]


def test_import_as_torch_reaches_the_package():
    import tinygrad_adam.distributions.constraints as constraints_module
    from tinygrad_adam.distributions.kl import kl_divergence
    from tinygrad_adam.distributions.normal import Normal

    assert tg.distributions.Normal is Normal and tg.distributions.kl_divergence is kl_divergence
    assert tg.distributions.constraints is constraints_module
    assert sorted(n for n in D.__all__) == sorted(n for n in D.__all__ if n in TD.__all__)


def _reinforce_and_vae(lib):
    """A REINFORCE policy step on a made-up task and a VAE step with the reparameterization trick and KL."""
    d, nn = lib.distributions, lib.nn
    lib.manual_seed(0)
    policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    encoder, decoder = nn.Linear(6, 4), nn.Linear(2, 6)
    optimizer = lib.optim.SGD([*policy.parameters(), *encoder.parameters(), *decoder.parameters()], lr=0.1)
    trace = []
    for _ in range(5):
        states = lib.randn(8, 4)
        m = d.Categorical(logits=policy(states))
        actions = m.sample()
        rewards = (actions == 1).float() - 0.1 * actions.float()
        policy_loss = -(m.log_prob(actions) * rewards).mean() - 0.01 * m.entropy().mean()
        x = lib.rand(8, 6)
        mu, log_var = encoder(x).chunk(2, dim=-1)
        q = d.Normal(mu, (0.5 * log_var).exp())
        z = q.rsample()
        recon = d.Bernoulli(logits=decoder(z)).log_prob((x > 0.5).float()).sum(-1)
        kl = d.kl_divergence(q, d.Normal(lib.zeros_like(mu), lib.ones_like(mu))).sum(-1)
        loss = policy_loss + (kl - recon).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        trace.append([*actions.tolist(), loss.item()])
    return np.array(trace)


def test_a_reinforce_and_vae_training_loop_follows_pytorchs():
    ours, theirs = _reinforce_and_vae(tg), _reinforce_and_vae(torch)
    np.testing.assert_array_equal(ours[:, :-1], theirs[:, :-1])
    np.testing.assert_allclose(ours[:, -1], theirs[:, -1], rtol=1e-5)


def test_masked_logits_give_pytorchs_entropy_log_prob_gradients_and_samples():
    def run(lib):
        x = lib.tensor([[0.5, -float("inf"), 1.0], [0.1, 0.2, -float("inf")]], dtype=lib.float64, requires_grad=True)
        m = lib.distributions.Categorical(logits=x)
        (m.entropy().sum() + m.log_prob(lib.tensor([0, 1])).sum()).backward()
        lib.manual_seed(0)
        return m.entropy(), m.probs, x.grad, m.sample((50,))

    for ours, theirs in zip(run(tg), run(torch), strict=True):
        _close(ours, theirs)
