"""torch.distributions without PyTorch: closed forms, gradients by gradcheck, shapes, validation, seeded samples."""

import math

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import distributions as D
from tinygrad_adam.distributions import constraints


def _f64(values):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_normal_log_prob_entropy_and_moments_are_the_closed_forms():
    loc, scale = np.array([0.0, 1.5]), np.array([1.0, 0.5])
    d = D.Normal(tg.tensor(loc), tg.tensor(scale))
    x = np.array([0.3, -1.0])
    expected = -((x - loc) ** 2) / (2 * scale**2) - np.log(scale) - 0.5 * math.log(2 * math.pi)
    np.testing.assert_allclose(d.log_prob(tg.tensor(x)).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(d.entropy().numpy(), 0.5 * np.log(2 * math.pi * math.e * scale**2), rtol=1e-12)
    np.testing.assert_allclose(d.variance.numpy(), scale**2)
    np.testing.assert_allclose(d.cdf(tg.tensor(loc)).numpy(), [0.5, 0.5])


def test_log_prob_gradients_pass_gradcheck():
    x = tg.tensor(np.array([0.3, -1.0, 2.0]))
    assert tg.gradcheck(lambda loc, scale: D.Normal(loc, scale).log_prob(x).sum(),
                        (_f64([0.1, 0.2, -0.3]), _f64([1.0, 0.7, 2.0])))
    assert tg.gradcheck(lambda logits: D.Categorical(logits=logits).log_prob(tg.tensor([0, 2, 1])).sum()
                        + D.Categorical(logits=logits).entropy().sum(), (_f64([[0.1, 0.2, -0.3]] * 3),))
    ones = tg.tensor([1.0, 0.0], dtype=tg.float64)
    assert tg.gradcheck(lambda p: D.Bernoulli(p).log_prob(ones).sum() + D.Bernoulli(p).entropy().sum(),
                        (_f64([0.3, 0.6]),))
    L = np.array([[1.0, 0.0], [0.3, 0.8]])
    assert tg.gradcheck(lambda loc, tril: D.MultivariateNormal(loc, scale_tril=tril.tril()).log_prob(
        tg.tensor(np.array([[0.5, -0.2], [1.0, 1.0]]))).sum(), (_f64([0.1, 0.2]), _f64(L)))


def test_rsample_is_differentiable_and_sample_is_not():
    loc, scale = _f64([0.0, 1.0]), _f64([1.0, 2.0])
    d = D.Normal(loc, scale)
    tg.manual_seed(0)
    r = d.rsample((3,))
    tg.manual_seed(0)
    s = d.sample((3,))
    np.testing.assert_array_equal(r.detach().numpy(), s.numpy())
    assert r.requires_grad and not s.requires_grad
    r.sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(scale.grad.numpy(), ((r.detach() - loc.detach()) / scale.detach()).sum(0).numpy())


def test_categorical_normalises_and_samples_its_probabilities():
    d = D.Categorical(tg.tensor([1.0, 3.0, 0.0, 4.0]))
    np.testing.assert_allclose(d.probs.numpy(), [0.125, 0.375, 0.0, 0.5])
    np.testing.assert_allclose(d.log_prob(tg.tensor([0, 3])).numpy(), np.log([0.125, 0.5]), rtol=1e-6)
    tg.manual_seed(1)
    counts = np.bincount(d.sample((20000,)).numpy(), minlength=4) / 20000
    np.testing.assert_allclose(counts, [0.125, 0.375, 0.0, 0.5], atol=0.015)
    assert d.enumerate_support().tolist() == [0, 1, 2, 3]
    assert d.mode.item() == 3


def test_bernoulli_probs_and_logits_agree():
    logits = tg.tensor([-2.0, 0.0, 3.0], dtype=tg.float64)
    d = D.Bernoulli(logits=logits)
    np.testing.assert_allclose(d.probs.numpy(), 1 / (1 + np.exp([2.0, 0.0, -3.0])))
    np.testing.assert_allclose(D.Bernoulli(d.probs).logits.numpy(), logits.numpy(), rtol=1e-12)
    mode = d.mode.numpy()
    assert mode[0] == 0 and np.isnan(mode[1]) and mode[2] == 1


def test_diagonal_mvn_equals_independent_normals():
    loc, scale = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.5, 2.0])
    mvn = D.MultivariateNormal(tg.tensor(loc), tg.tensor(np.diag(scale**2)))
    diag = D.Independent(D.Normal(tg.tensor(loc), tg.tensor(scale)), 1)
    assert (mvn.batch_shape, mvn.event_shape) == (diag.batch_shape, diag.event_shape) == ((), (3,))
    x = tg.tensor(np.random.default_rng(0).normal(size=(4, 3)))
    np.testing.assert_allclose(mvn.log_prob(x).numpy(), diag.log_prob(x).numpy(), rtol=1e-12)
    np.testing.assert_allclose(mvn.entropy().numpy(), diag.entropy().numpy(), rtol=1e-12)
    q = (tg.tensor(loc[::-1].copy()), tg.tensor(scale + 1))
    np.testing.assert_allclose(
        D.kl_divergence(mvn, D.MultivariateNormal(q[0], scale_tril=tg.diag(q[1]))).numpy(),
        D.kl_divergence(diag, D.Independent(D.Normal(*q), 1)).numpy(), rtol=1e-12)


def test_kl_is_zero_between_equal_distributions_and_positive_otherwise():
    p = D.Categorical(tg.tensor([0.2, 0.3, 0.5]))
    assert D.kl_divergence(p, p).item() == pytest.approx(0.0, abs=1e-7)
    assert D.kl_divergence(p, D.Categorical(tg.tensor([0.5, 0.3, 0.2]))).item() > 0.1
    assert D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.0, 1.0)).item() == math.inf
    assert D.kl_divergence(D.Uniform(0.0, 1.0), D.Uniform(-1.0, 1.0)).item() == pytest.approx(math.log(2))
    assert D.kl_divergence(D.Bernoulli(0.0), D.Bernoulli(0.5)).item() == pytest.approx(math.log(2))


def test_shapes_of_samples_batches_and_events():
    d = D.Normal(tg.zeros(2, 1), tg.ones(3))
    assert d.batch_shape == (2, 3) and d.event_shape == ()
    assert d.sample().shape == (2, 3) and d.sample((4, 5)).shape == (4, 5, 2, 3)
    assert D.Normal(0.0, 1.0).sample().shape == ()
    assert D.OneHotCategorical(tg.ones(2, 4)).sample((3,)).shape == (3, 2, 4)
    assert D.Categorical(tg.ones(2, 4)).sample((3,)).shape == (3, 2)
    mvn = D.MultivariateNormal(tg.zeros(5, 1, 3), tg.eye(3).expand(2, 3, 3))
    assert mvn.batch_shape == (5, 2) and mvn.event_shape == (3,) and mvn.rsample((7,)).shape == (7, 5, 2, 3)
    assert D.Independent(D.Normal(tg.zeros(2, 3, 4), 1.0), 2).batch_shape == (2,)
    assert D.Normal(tg.zeros(3), 1.0).expand((2, 3)).batch_shape == (2, 3)


def test_validation_raises_value_errors_and_can_be_turned_off():
    with pytest.raises(ValueError, match=r"Expected parameter scale .* GreaterThan\(lower_bound=0.0\)"):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError, match="must be a Tensor"):
        D.Normal(0.0, 1.0).log_prob(0.0)
    with pytest.raises(ValueError, match="within the support"):
        D.Bernoulli(0.5).log_prob(tg.tensor(0.5))
    with pytest.raises(ValueError, match="Either `probs` or `logits`"):
        D.Categorical()
    assert D.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0


def test_constraints_are_pytorchs_names():
    assert repr(constraints.positive) == "GreaterThan(lower_bound=0.0)"
    assert repr(constraints.real_vector) == "IndependentConstraint(Real(), 1)"
    assert constraints.simplex.check(tg.tensor([[0.5, 0.5], [0.5, 0.6]])).tolist() == [True, False]
    assert constraints.is_dependent(D.Uniform.support) and not constraints.is_dependent(constraints.real)
    assert repr(D.Uniform(0.0, 2.0).support) == "Interval(lower_bound=0.0, upper_bound=2.0)"


def test_same_seed_same_samples():
    d = D.MultivariateNormal(tg.zeros(2), tg.tensor([[2.0, 0.5], [0.5, 1.0]]))
    tg.manual_seed(4)
    first = d.sample((3,)).numpy()
    tg.manual_seed(4)
    np.testing.assert_array_equal(d.sample((3,)).numpy(), first)
