"""torchvision's names for what this project has: `datasets.MNIST`/`FashionMNIST`, `transforms`, `utils`
(make_grid, save_image) and `models` (resnet18, resnet34, without pretrained weights).

    from tinygrad_adam.vision import datasets, transforms
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train = datasets.MNIST("data", train=True, download=True, transform=transform)
"""

from . import datasets, models, transforms, utils

__all__ = ["datasets", "models", "transforms", "utils"]
