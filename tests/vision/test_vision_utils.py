"""vision.utils (make_grid, save_image) on cases computed by hand from torchvision's algorithm, the PNG read
back with Pillow pixel for pixel; and the geometric transforms."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.vision import transforms, utils

P = 128  # the pad value 0.5 as a pixel: int(0.5·255 + 0.5)
# three 1 x 2 x 2 images holding 0..11, normalised by the batch's min 0 and max 11, nrow=2, padding=1:
# the pixel of value v is int(v / 11 · 255 + 0.5), clamped to 255
HAND_GRID = np.array([
    [P, P, P, P, P, P, P],
    [P, 0, 23, P, 93, 116, P],
    [P, 46, 70, P, 139, 162, P],
    [P, P, P, P, P, P, P],
    [P, 185, 209, P, P, P, P],
    [P, 232, 255, P, P, P, P],
    [P, P, P, P, P, P, P],
], dtype=np.uint8)


def _batch() -> tg.Tensor:
    return tg.tensor(np.arange(12, dtype=np.float32).reshape(3, 1, 2, 2))


def test_make_grid_by_hand() -> None:
    grid = utils.make_grid(_batch(), nrow=2, padding=1, normalize=True, pad_value=0.5)
    assert grid.shape == (3, 7, 7) and grid.dtype == tg.float32  # one channel becomes three
    np.testing.assert_array_equal(utils.to_uint8_image(grid), np.repeat(HAND_GRID[..., None], 3, axis=2))
    np.testing.assert_allclose(grid.detach().numpy()[0, 1:3, 1:3], [[0, 1 / 11], [2 / 11, 3 / 11]], rtol=1e-6)


def test_save_image_png_read_back_pixel_for_pixel(tmp_path) -> None:
    image = pytest.importorskip("PIL.Image")
    path = tmp_path / "grid.png"
    utils.save_image(_batch(), path, nrow=2, padding=1, normalize=True, pad_value=0.5)
    with image.open(path) as png:
        assert png.mode == "RGB" and png.size == (7, 7)
        pixels = np.asarray(png)
    np.testing.assert_array_equal(pixels, np.repeat(HAND_GRID[..., None], 3, axis=2))


def test_make_grid_options() -> None:
    batch = tg.tensor(np.stack([np.full((3, 2, 2), v, dtype=np.float64) for v in (-1.0, 0.5, 3.0)]))
    grid = utils.make_grid(batch, nrow=3, padding=0)  # no normalisation, no padding: the images side by side
    assert grid.shape == (3, 2, 6)
    np.testing.assert_array_equal(grid.detach().numpy()[0, 0], [-1, -1, 0.5, 0.5, 3, 3])
    ranged = utils.make_grid(batch, nrow=3, padding=0, normalize=True, value_range=(0.0, 1.0))
    np.testing.assert_array_equal(ranged.detach().numpy()[0, 0], [0, 0, 0.5, 0.5, 1, 1])  # clamped to the range first
    ramp = tg.tensor(np.stack([np.arange(4.0).reshape(1, 2, 2) * s for s in (1.0, 10.0)]))
    each = utils.make_grid(ramp, padding=0, normalize=True, scale_each=True).detach().numpy()
    np.testing.assert_allclose(each[0], np.tile(np.arange(4.0).reshape(2, 2) / 3, (1, 2)))
    single = utils.make_grid(tg.tensor(np.ones((1, 4, 4))))
    assert single.shape == (3, 4, 4)  # one image: no grid, no padding
    listed = utils.make_grid([tg.tensor(np.zeros((3, 2, 2)))] * 9, nrow=4, padding=1, pad_value=1.0)
    assert listed.shape == (3, 3 * 3 + 1, 4 * 3 + 1) and listed.detach().numpy()[0, 0, 0] == 1.0
    assert utils.make_grid(batch, nrow=8).shape == (3, 2 + 2 * 2, 3 * 4 + 2)  # fewer images than nrow
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        utils.make_grid(np.zeros((2, 1, 2, 2)))


def test_save_image_without_pillow_names_the_extra(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[images\]"'):
        utils.save_image(_batch(), tmp_path / "x.png")


# ----- transforms --------------------------------------------------------------------------------
def test_center_crop() -> None:
    image = np.arange(5 * 6).reshape(5, 6)
    np.testing.assert_array_equal(transforms.CenterCrop(3)(image), image[1:4, 2:5])  # round((5-3)/2), round(1.5)
    t = transforms.CenterCrop((2, 4))(tg.tensor(image[None].astype(np.float32)))
    assert isinstance(t, tg.Tensor) and t.shape == (1, 2, 4)
    np.testing.assert_array_equal(t.detach().numpy()[0], image[2:4, 1:5])
    padded = transforms.CenterCrop(8)(image)  # larger than the image: zero padding around it
    assert padded.shape == (8, 8) and padded[0].sum() == 0 and padded[1, 1] == image[0, 0]
    rgb = np.zeros((5, 6, 3), dtype=np.uint8)
    assert transforms.CenterCrop(4)(rgb).shape == (4, 4, 3)


def test_pad_modes() -> None:
    image = np.arange(6).reshape(2, 3)
    out = transforms.Pad((1, 2), fill=9)(image)  # left/right 1, top/bottom 2
    assert out.shape == (6, 5) and out[0, 0] == 9 and out[2, 1] == 0
    assert transforms.Pad((1, 0, 2, 1), padding_mode="edge")(image).shape == (3, 6)
    np.testing.assert_array_equal(transforms.Pad(1, padding_mode="reflect")(image)[1], [1, 0, 1, 2, 1])
    np.testing.assert_array_equal(transforms.Pad(1, padding_mode="symmetric")(image)[1], [0, 0, 1, 2, 2])
    with pytest.raises(ValueError, match="Padding mode"):
        transforms.Pad(1, padding_mode="wrap")


def test_random_crop_and_flip() -> None:
    image = np.arange(28 * 28).reshape(28, 28)
    crop = transforms.RandomCrop(28, padding=4, generator=np.random.default_rng(0))
    outs = [crop(image) for _ in range(20)]
    assert all(o.shape == (28, 28) for o in outs) and len({o.tobytes() for o in outs}) > 5
    for o in outs:  # each crop is a window of the zero-padded image
        padded = np.pad(image, 4)
        assert any(np.array_equal(o, padded[i:i + 28, j:j + 28]) for i in range(9) for j in range(9))
    assert transforms.RandomCrop(30, pad_if_needed=True)(image).shape == (30, 30)
    with pytest.raises(ValueError, match="larger than input image"):
        transforms.RandomCrop(30)(image)
    flip = transforms.RandomHorizontalFlip(p=1.0)
    np.testing.assert_array_equal(flip(image), image[:, ::-1])
    assert np.array_equal(transforms.RandomHorizontalFlip(p=0.0)(image), image)
    t = flip(tg.tensor(image[None].astype(np.float32)))
    np.testing.assert_array_equal(t.detach().numpy()[0], image[:, ::-1])
    flips = [transforms.RandomHorizontalFlip(generator=np.random.default_rng(s))(image)[0, 0] for s in range(40)]
    assert 5 < sum(f == 27 for f in flips) < 35


def test_resize_sizes_and_dtypes() -> None:
    image = (np.arange(20 * 30) % 256).astype(np.uint8).reshape(20, 30)
    out = transforms.Resize(10)(image)  # the smaller edge becomes 10, the aspect ratio kept
    assert out.shape == (10, 15) and out.dtype == np.uint8
    assert transforms.Resize((8, 12))(np.zeros((20, 30, 3), dtype=np.uint8)).shape == (8, 12, 3)
    assert transforms.Resize(10, max_size=12)(image).shape == (8, 12)
    t = transforms.Resize(5, interpolation=transforms.InterpolationMode.NEAREST)(tg.tensor(np.ones((3, 10, 10))))
    assert t.shape == (3, 5, 5) and np.all(t.detach().numpy() == 1)
    pipeline = transforms.Compose([transforms.Resize(32), transforms.CenterCrop(28), transforms.ToTensor()])
    assert pipeline(image).shape == (1, 28, 28)


def test_resize_of_a_uint8_image_is_pillows_bilinear_resize() -> None:
    image_module = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    for shape, size in [((28, 28), 64), ((28, 28), (37, 23)), ((30, 17, 3), 40), ((5, 7), (100, 9)),
                        ((28, 28), 14), ((40, 31), (13, 77))]:
        image = rng.integers(0, 256, shape, dtype=np.uint8)
        ours = transforms.Resize(size)(image)
        height, width = ours.shape[:2]
        theirs = np.asarray(image_module.fromarray(image).resize((width, height), image_module.BILINEAR))
        assert ours.dtype == np.uint8 and np.array_equal(ours, theirs), (shape, size)
