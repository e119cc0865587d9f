"""Run public PyTorch programs as they are and with only their imports changed, and compare what they print.

    python experiments/pytorch_programs.py [NAME ...] [--sources DIR] [--list] [--show diff|all|none]
        [--timeout S] [--keep DIR]

The programs are not part of this repository. Copy each repository named in PROGRAMS into
`DIR/OWNER+NAME/` (default DIR: /tmp/pytorch_programs), for instance from a clone:
`git --git-dir=CLONE/.git archive HEAD | tar -x -C /tmp/pytorch_programs/pytorch+examples`.
pytorch/tutorials may come from any of its copies that keep the paths (PyTorch-China/tutorials was used, and
PyTorchKorea/tutorials-kr for the second list). A program that is a notebook (`.ipynb`) runs as its code cells.

For each program, in its own temporary folder: the program and the files it imports are copied with the
listed `edits` (exact replacements, each of which must match: data that the program would download becomes
local data, sizes and epochs shrink), then it runs once with PyTorch and once with every `torch`/`torchvision`
import pointed at tinygrad_adam (the import table of lecture_programs.py plus torchvision -> tinygrad_adam.vision),
nothing else changed. Both runs have one thread, PYTHONHASHSEED=0 (set orders) and start with `manual_seed(0)`,
`random.seed(0)` and `numpy.random.seed(0)`, so unseeded programs draw the same numbers too; a program that seeds
itself overrides this. Data (`data=`): `mnist` lays out $TINYGRAD_ADAM_DATA/mnist as torchvision's
`data/MNIST/raw/` (decompressed; also `../data`), `mnist_pkl` writes the nn tutorial's mnist.pkl.gz, and
names.txt becomes the char-RNN tutorials' language files, the seq2seq tutorial's eng-fra.txt, nanoGPT's and
minGPT's input.txt. PyTorch's side needs torchvision (and requests, which nn_tutorial imports) importable.

Per program it prints `equal` (the same output), `close` (the same text, every number within 1e-3
relative: float32 sums round in another order, see docs/pytorch.md), `differ` or `error`, with the CPU
seconds of each run; --show diff prints the differing lines.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lecture_notebooks import cell_source, code_cells, compare  # noqa: E402
from lecture_programs import IMPORTS, rewrite_imports  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
VISION_IMPORTS: list[tuple[str, str]] = [
    (r"^(\s*)import torchvision\s*$", r"\1import tinygrad_adam.vision as torchvision"),
    (r"^(\s*)import torchvision((?:\.\w+)+) as (\w+)\s*$", r"\1import tinygrad_adam.vision\2 as \3"),
    (r"^(\s*)from torchvision((?:\.\w+)*) import ", r"\1from tinygrad_adam.vision\2 import "),
]
MASKS = [
    (re.compile(r"0x[0-9a-fA-F]{6,}"), "0x…"),
    (re.compile(r"(?i)\b(elapsed|time|took|ms/batch|s/it|it/s)\b[^\n]*"), r"\1 …"),
    (re.compile(r"\b\d+m \d+s\b"), "…m …s"),  # the tutorials' timeSince
    # a warning raised inside the library names the library's file and line: only its category and text compare
    (re.compile(r"^[^\n:]*/(?:torch|tinygrad_adam)/[^\n:]*\.py:\d+: (\w+Warning): ([^\n]*)\n(?:  [^\n]*\n)?", re.M),
     r"<library>: \1: \2\n"),
    (re.compile(r" \(Triggered internally at [^)\n]*\)"), ""),  # PyTorch's C++ source line
]


@dataclass(frozen=True)
class Program:
    name: str
    repo: str
    path: str
    files: tuple[str, ...] = ()
    """Other files of the repository the program imports or reads, copied beside it (imports rewritten)."""
    args: tuple[str, ...] = ()
    edits: tuple[tuple[str, str], ...] = ()
    """Exact replacements in the program's text; each must occur."""
    before: tuple[str, ...] = ()
    """Scripts of the repository, beside the program, run first in the same folder and framework (data makers)."""
    data: tuple[str, ...] = ()
    masks: tuple[str, ...] = ()
    """Regular expressions whose matches are blanked in both outputs before they are compared (timings)."""
    timeout: float = 900.0


TUTORIALS = "pytorch/tutorials"
EXAMPLES = "pytorch/examples"
MNIST_FASHION = (("datasets.FashionMNIST(", "datasets.MNIST("),)

PLAIN = """
polynomial_tensor beginner_source/examples_tensor/polynomial_tensor.py
polynomial_autograd beginner_source/examples_autograd/polynomial_autograd.py
polynomial_custom_function beginner_source/examples_autograd/polynomial_custom_function.py
polynomial_nn beginner_source/examples_nn/polynomial_nn.py
polynomial_optim beginner_source/examples_nn/polynomial_optim.py
polynomial_module beginner_source/examples_nn/polynomial_module.py
basics_tensors beginner_source/basics/tensorqs_tutorial.py
basics_buildmodel beginner_source/basics/buildmodel_tutorial.py
basics_autograd beginner_source/basics/autogradqs_tutorial.py
blitz_tensor beginner_source/blitz/tensor_tutorial.py
blitz_neural_networks beginner_source/blitz/neural_networks_tutorial.py
nlp_pytorch beginner_source/nlp/pytorch_tutorial.py
nlp_deep_learning beginner_source/nlp/deep_learning_tutorial.py
nlp_word_embeddings beginner_source/nlp/word_embeddings_tutorial.py
nlp_sequence_models beginner_source/nlp/sequence_models_tutorial.py
nlp_advanced beginner_source/nlp/advanced_tutorial.py
introyt_tensors beginner_source/introyt/tensors_deeper_tutorial.py
introyt_models beginner_source/introyt/modelsyt_tutorial.py
"""
"""Tutorials run as they are: name and path in pytorch/tutorials."""

PLAIN_MORE = """
saving_loading_models beginner_source/saving_loading_models.py
leaf_vs_nonleaf beginner_source/understanding_leaf_vs_nonleaf_tutorial.py
former_autograd beginner_source/former_torchies/autograd_tutorial_old.py
former_nnft beginner_source/former_torchies/nnft_tutorial.py
former_tensor beginner_source/former_torchies/tensor_tutorial_old.py
template_tutorial beginner_source/template_tutorial.py
pruning intermediate_source/pruning_tutorial.py
saved_tensors_hooks intermediate_source/autograd_saved_tensors_hooks_tutorial.py
visualizing_gradients intermediate_source/visualizing_gradients_tutorial.py
parametrizations intermediate_source/parametrizations.py
recipe_defining_a_network recipes_source/recipes/defining_a_neural_network.py
recipe_tensorboard recipes_source/recipes/tensorboard_with_pytorch.py
recipe_what_is_state_dict recipes_source/recipes/what_is_state_dict.py
recipe_warmstarting recipes_source/recipes/warmstarting_model_using_parameters_from_a_different_model.py
"""
"""More tutorials run as they are (pytorch/tutorials-kr's copy: the code is pytorch/tutorials', the comments Korean)."""

PROGRAMS: list[Program] = [
    *(Program(name, TUTORIALS, path) for name, path in (line.split() for line in PLAIN.split("\n") if line)),
    Program("dynamic_net", TUTORIALS, "beginner_source/examples_nn/dynamic_net.py",
            edits=(("for t in range(30000):", "for t in range(6000):"),)),
    Program("basics_quickstart", TUTORIALS, "beginner_source/basics/quickstart_tutorial.py", data=("mnist",),
            edits=(*MNIST_FASHION, ("epochs = 5", "epochs = 2"))),
    Program("basics_transforms", TUTORIALS, "beginner_source/basics/transforms_tutorial.py", data=("mnist",),
            edits=MNIST_FASHION),
    Program("basics_optimization", TUTORIALS, "beginner_source/basics/optimization_tutorial.py", data=("mnist",),
            edits=(*MNIST_FASHION, ("epochs = 10\n", "epochs = 2\n"))),
    Program("nn_tutorial", TUTORIALS, "beginner_source/nn_tutorial.py", data=("mnist_pkl",)),
    Program("introyt_autograd", TUTORIALS, "beginner_source/introyt/autogradyt_tutorial.py",
            masks=(r"aten::\w+ .*", r"USDT:.*", r"Self CPU time total.*")),
    Program("char_rnn_classification", TUTORIALS, "intermediate_source/char_rnn_classification_tutorial.py",
            data=("names_by_language",), edits=(("n_epoch=27, learning_rate=0.15, report_every=5",
                                                 "n_epoch=2, learning_rate=0.15, report_every=1"),)),
    Program("char_rnn_classification_2017", "PyTorch-China/tutorials",
            "intermediate_source/char_rnn_classification_tutorial.py", data=("names_by_language",),
            edits=(("n_iters = 100000", "n_iters = 3000"), ("print_every = 5000", "print_every = 500"),
                   ("plot_every = 1000", "plot_every = 100"), ("n_confusion = 10000", "n_confusion = 1000"))),
    Program("char_rnn_generation", TUTORIALS, "intermediate_source/char_rnn_generation_tutorial.py",
            data=("names_by_language",), edits=(("n_iters = 100000", "n_iters = 3000"),
                                                ("print_every = 5000", "print_every = 500"),
                                                ("plot_every = 500", "plot_every = 100"))),
    Program("examples_mnist", EXAMPLES, "mnist/main.py", data=("mnist",), args=("--epochs", "1")),
    Program("examples_mnist_rnn", EXAMPLES, "mnist_rnn/main.py", data=("mnist",), args=("--epochs", "1")),
    Program("examples_vae", EXAMPLES, "vae/main.py", files=("vae/results/.gitignore",), data=("mnist",),
            args=("--epochs", "1")),
    Program("examples_regression", EXAMPLES, "regression/main.py"),
    Program("examples_time_sequence", EXAMPLES, "time_sequence_prediction/train.py",
            edits=(("torch.load('traindata.pt')", "torch.load('traindata.pt', weights_only=False)"),),
            files=("time_sequence_prediction/generate_sine_wave.py",), before=("generate_sine_wave.py",),
            args=("--steps", "1")),
    *(Program(f"examples_word_language_model_{model.lower()}", EXAMPLES, "word_language_model/main.py",
              files=("word_language_model/data.py", "word_language_model/model.py",
                     "word_language_model/data/wikitext-2/valid.txt"), data=("wikitext_small",),
              args=("--model", model, "--epochs", "1", "--emsize", "32", "--nhid", "32", "--bptt", "20",
                    "--log-interval", "20", "--lr", "5" if model == "Transformer" else "20"))
      for model in ("LSTM", "Transformer")),
    Program("nanogpt_names", "karpathy/nanoGPT", "train.py",
            files=("model.py", "configurator.py", "config/train_shakespeare_char.py",
                   "data/shakespeare_char/prepare.py"),
            before=("data/shakespeare_char/prepare.py",), data=("names_as_shakespeare",),
            args=("config/train_shakespeare_char.py", "--device=cpu", "--compile=False", "--dtype=float32",
                  "--eval_iters=4", "--eval_interval=10", "--log_interval=1", "--block_size=32", "--batch_size=8",
                  "--n_layer=2", "--n_head=2", "--n_embd=32", "--max_iters=20", "--lr_decay_iters=20",
                  "--dropout=0.0"),
            masks=(r"mfu -?\d+\.\d+%",)),
    Program("mingpt_chargpt", "karpathy/minGPT", "projects/chargpt/chargpt.py",
            files=("mingpt/__init__.py", "mingpt/model.py", "mingpt/trainer.py", "mingpt/utils.py"),
            data=("names_with_the_prompt",),
            args=("--trainer.max_iters=31", "--trainer.num_workers=0", "--trainer.batch_size=16",
                  "--trainer.device=cpu", "--data.block_size=32", "--model.model_type=gpt-nano"),
            masks=(r"iter_dt \d+\.\d+ms",)),
    Program("seq2seq_translation", TUTORIALS, "intermediate_source/seq2seq_translation_tutorial.py",
            data=("eng_fra",), edits=(("train(train_dataloader, encoder, decoder, 80, print_every=5, plot_every=5)",
                                       "train(train_dataloader, encoder, decoder, 3, print_every=1, plot_every=1)"),)),
    *(Program(name, TUTORIALS, path) for name, path in (line.split() for line in PLAIN_MORE.split("\n") if line)),
    Program("introyt_training", TUTORIALS, "beginner_source/introyt/trainingyt.py", data=("mnist",),
            edits=(*MNIST_FASHION, ("# Create data loaders for our datasets",
                                    "training_set = torch.utils.data.Subset(training_set, range(4000))\n"
                                    "validation_set = torch.utils.data.Subset(validation_set, range(1000))\n"
                                    "# Create data loaders for our datasets"),
                   ("EPOCHS = 5", "EPOCHS = 2")),
            masks=(r"model_\d{8}_\d{6}_\d",)),
    Program("introyt_tensorboard", TUTORIALS, "beginner_source/introyt/tensorboardyt_tutorial.py", data=("mnist",),
            edits=(*MNIST_FASHION, ("training_loader = torch.utils.data.DataLoader(training_set,",
                                    "training_set = torch.utils.data.Subset(training_set, range(2000))\n"
                                    "validation_set = torch.utils.data.Subset(validation_set, range(400))\n"
                                    "training_loader = torch.utils.data.DataLoader(training_set,"),
                   ("num_workers=2)", "num_workers=0)"),
                   ("images, labels = select_n_random(training_set.data, training_set.targets)",
                    "images, labels = select_n_random(training_set.dataset.data, training_set.dataset.targets)"))),
    Program("spatial_transformer", TUTORIALS, "intermediate_source/spatial_transformer_tutorial.py", data=("mnist",),
            edits=(("from six.moves import urllib", "import urllib.request"), ("root='.'", "root='data'"),
                   ("num_workers=4", "num_workers=0"),
                   ("for epoch in range(1, 20 + 1):", "for epoch in range(1, 1 + 1):"))),
    Program("custom_function_conv_bn", TUTORIALS, "intermediate_source/custom_function_conv_bn_tutorial.py",
            data=("mnist",)),
    Program("examples_dcgan_mnist", EXAMPLES, "dcgan/main.py", data=("mnist",),
            edits=(("        if opt.dry_run:\n            break", "        if i == 5:\n            break"),),
            args=("--dataset", "mnist", "--dataroot", "data", "--workers", "0", "--batchSize", "16", "--ngf", "16",
                  "--ndf", "16", "--nz", "32", "--niter", "1")),
    Program("examples_siamese_network", EXAMPLES, "siamese_network/main.py", data=("mnist",),
            edits=(("            if args.dry_run:\n                break",
                    "            if batch_idx >= 20:\n                break"),
                   ("test_loader = torch.utils.data.DataLoader(test_dataset, **test_kwargs)",
                    "test_loader = torch.utils.data.DataLoader(torch.utils.data.Subset(test_dataset, range(500)), "
                    "**test_kwargs)")),
            args=("--epochs", "1", "--log-interval", "5")),
    Program("blitz_autograd", TUTORIALS, "beginner_source/blitz/autograd_tutorial.py",
            edits=(("resnet18(weights=ResNet18_Weights.DEFAULT)", "resnet18(weights=None)"),)),
    Program("examples_forward_forward", EXAMPLES, "mnist_forward_forward/main.py", data=("mnist",),
            args=("--epochs", "40", "--train_size", "2000", "--test_size", "1000", "--log-interval", "10")),
    Program("mingpt_adder", "karpathy/minGPT", "projects/adder/adder.py",
            files=("mingpt/__init__.py", "mingpt/model.py", "mingpt/trainer.py", "mingpt/utils.py"),
            edits=(("trainer.iter_num % 500 == 0", "trainer.iter_num % 100 == 0"),),
            args=("--trainer.max_iters=101", "--trainer.num_workers=0", "--trainer.batch_size=32",
                  "--trainer.device=cpu"),
            masks=(r"iter_dt \d+\.\d+ms",)),
    Program("mingpt_demo", "karpathy/minGPT", "demo.ipynb",
            files=("mingpt/__init__.py", "mingpt/model.py", "mingpt/trainer.py", "mingpt/utils.py"),
            edits=(("train_config.max_iters = 2000", "train_config.max_iters = 301"),
                   ("max_batches=50)", "max_batches=4)")),
            masks=(r"iter_dt \d+\.\d+ms",)),
    Program("micrograd_test_engine", "karpathy/micrograd", "test/test_engine.py", files=("micrograd/__init__.py",
            "micrograd/engine.py"), edits=(("    assert abs(bmg.grad - bpt.grad.item()) < tol\n",
                                            "    assert abs(bmg.grad - bpt.grad.item()) < tol\n"
                                            "    print(gmg.data, gpt.data.item(), amg.grad, apt.grad.item(), bmg.grad,"
                                            " bpt.grad.item(), gpt, apt.grad, bpt.grad)\n\n"
                                            "test_sanity_check()\ntest_more_ops()\n"),)),
]


def prepare(program: Program, sources: Path, folder: Path, framework: str) -> None:
    """Copy the program and its files into folder, edited, with the imports of `framework`."""
    root = sources / program.repo.replace("/", "+")
    for relative in (program.path, *program.files):
        source = root / relative
        if not source.exists():
            raise SystemExit(f"{program.name}: {source} is missing (see --help: copy {program.repo} into {root})")
        home = Path(program.path).parent  # the program's folder; a file outside it keeps its path from the root
        target = folder / (Path(relative).relative_to(home) if Path(relative).is_relative_to(home) else relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative == program.path and source.suffix == ".ipynb":  # a notebook runs as its code cells in order
            text = "\n\n".join(cell_source(cell) for cell in code_cells(json.loads(source.read_text())))
            target = target.with_suffix(".py")
        elif source.suffix != ".py":
            shutil.copy(source, target)
            continue
        else:
            text = source.read_text()
        if relative == program.path:
            for old, new in program.edits:
                if old not in text:
                    raise SystemExit(f"{program.name}: the edit {old!r} does not match the program")
                text = text.replace(old, new)
        if framework == "ours":
            text = rewrite_imports(text, IMPORTS + VISION_IMPORTS)
        target.write_text(text)


def lay_out_data(program: Program, folder: Path, cache: Path) -> None:
    data = Path(os.environ.get("TINYGRAD_ADAM_DATA", REPO.parent / "shared" / "datasets"))
    for name in program.data:
        if name == "mnist":
            raw = cache / "MNIST" / "raw"
            if not raw.exists():
                raw.mkdir(parents=True)
                for packed in sorted((data / "mnist").glob("*.gz")):
                    (raw / packed.stem).write_bytes(gzip.decompress(packed.read_bytes()))
            for where in (folder / "data", folder.parent / "data"):
                if not where.exists():
                    where.symlink_to(cache, target_is_directory=True)
        elif name == "mnist_pkl":
            mnist_pickle(data / "mnist", folder / "data" / "mnist" / "mnist.pkl.gz")
        elif name == "names_by_language":
            names_by_language(data / "names" / "names.txt", folder / "data" / "names")
        elif name == "eng_fra":
            english_french(data / "names" / "names.txt", folder / "data" / "eng-fra.txt")
        elif name == "wikitext_small":  # train, valid and test from the repository's valid.txt (its train.txt is large)
            lines = (folder / "data" / "wikitext-2" / "valid.txt").read_text().splitlines(keepends=True)
            for split, part in (("train", lines[:1500]), ("valid", lines[1500:1800]), ("test", lines[1800:2100])):
                (folder / "data" / "wikitext-2" / f"{split}.txt").write_text("".join(part))
        elif name == "names_as_shakespeare":  # nanoGPT's shakespeare_char, on the names
            shutil.copy(data / "names" / "names.txt", folder / "data" / "shakespeare_char" / "input.txt")
        elif name == "names_with_the_prompt":  # minGPT's chargpt samples from "O God, O God!"
            (folder / "input.txt").write_text((data / "names" / "names.txt").read_text() + "O God, O God!\n")
        elif name == "names":
            shutil.copy(data / "names" / "names.txt", folder / "names.txt")
        else:
            raise SystemExit(f"{program.name}: unknown data {name!r}")


def mnist_pickle(source: Path, target: Path) -> None:
    """mnist.pkl.gz as the nn tutorial downloads it: (train 50,000, valid 10,000, test), float32 rows in [0, 1]."""
    import pickle

    import numpy as np

    def read(name: str, offset: int) -> np.ndarray:
        return np.frombuffer(gzip.decompress((source / name).read_bytes()), np.uint8, offset=offset)

    images = read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    labels = read("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    test = (read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255,
            read("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(target, "wb") as f:
        pickle.dump(((images[:50000], labels[:50000]), (images[50000:], labels[50000:]), test), f)


LANGUAGES = ["Arabic", "Chinese", "Czech", "Dutch", "English", "French", "German", "Greek", "Irish", "Italian",
             "Japanese", "Korean", "Polish", "Portuguese", "Russian", "Scottish", "Spanish", "Vietnamese"]


def names_by_language(names: Path, folder: Path) -> None:
    """The char-RNN tutorials' data/names/<Language>.txt, made from every 8th name of names.txt: a name's
    "language" is the sum of its letters' codes modulo 18 (something to learn; the tutorials' own data is a
    download)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_language: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for name in names.read_text().split()[::8]:
        by_language[LANGUAGES[sum(map(ord, name)) % len(LANGUAGES)]].append(name.capitalize())
    for language, lines in by_language.items():
        (folder / f"{language}.txt").write_text("\n".join(lines) + "\n")


def english_french(names: Path, target: Path) -> None:
    """The seq2seq tutorial's data/eng-fra.txt (English<TAB>French), made from 300 names and simple sentences."""
    patterns = [("I am {}.", "Je suis {}."), ("He is {}.", "Il est {}."), ("She is {}.", "Elle est {}."),
                ("You are {}.", "Tu es {}."), ("We are with {}.", "Nous sommes avec {}."),
                ("They are not {}.", "Ils ne sont pas {}.")]
    lines = [f"{english.format(name.capitalize())}\t{french.format(name.capitalize())}"
             for name in names.read_text().split()[::100] for english, french in patterns]
    lines += ["He is not as tall as his father.\tIl n'est pas aussi grand que son père.",  # what it translates at
              "I am too tired to drive.\tJe suis trop fatigué pour conduire.",  # the end
              "I am sorry if this is a stupid question.\tJe suis désolé si c'est une question idiote.",
              "I am really proud of you.\tJe suis réellement fière de vous."]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n")


BOOT = """\
import random, runpy, sys
import numpy
import {module} as torch
torch.manual_seed(0); random.seed(0); numpy.random.seed(0); torch.set_num_threads(1)
sys.argv = [{program!r}, *{args!r}]
runpy.run_path({program!r}, run_name="__main__")
"""


def run(program: Program, sources: Path, framework: str, cache: Path, timeout: float) -> tuple[str, float, bool]:
    """The program's stdout and stderr, its CPU seconds, and whether it exited 0."""
    with tempfile.TemporaryDirectory(prefix=f"pytorch_program_{framework}_") as top:
        folder = Path(top) / "run"
        folder.mkdir()
        prepare(program, sources, folder, framework)
        lay_out_data(program, folder, cache)
        env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg", PYTHONHASHSEED="0")
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TINYGRAD_ADAM_THREADS"):
            env[name] = "1"
        if framework == "ours":
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        module = "torch" if framework == "torch" else "tinygrad_adam"
        boot = BOOT.format(module=module, program=Path(program.path).with_suffix('.py').name, args=list(program.args))
        before = os.times()
        output = ""
        try:
            for script in program.before:
                done = subprocess.run([sys.executable, "-c", BOOT.format(module=module, program=script, args=[])],
                                      cwd=folder, env=env, text=True, timeout=timeout, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT)
                output += done.stdout
            done = subprocess.run([sys.executable, "-c", boot], cwd=folder, env=env, text=True, timeout=timeout,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            output, ok = output + done.stdout, done.returncode == 0
        except subprocess.TimeoutExpired as expired:
            output, ok = (expired.stdout or b"").decode() + f"\n[timed out after {timeout:.0f} s]", False
        after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return output, cpu, ok


def masked(program: Program, text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    for pattern in program.masks:
        text = re.sub(pattern, "…", text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="programs to run (default: all)")
    parser.add_argument("--sources", type=Path, default=Path("/tmp/pytorch_programs"))
    parser.add_argument("--list", action="store_true", help="list the programs and exit")
    parser.add_argument("--show", choices=("diff", "all", "none"), default="diff")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per run (default: the program's)")
    parser.add_argument("--keep", type=Path, help="write both outputs of each program here")
    args = parser.parse_args()
    chosen = [p for p in PROGRAMS if not args.names or p.name in args.names]
    unknown = set(args.names) - {p.name for p in PROGRAMS}
    if unknown:
        parser.error(f"unknown programs: {', '.join(sorted(unknown))}")
    if args.list:
        for p in chosen:
            print(f"{p.name:28s} {p.repo}:{p.path}")
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="pytorch_programs_data_") as cache:
        for program in chosen:
            outputs, row = {}, [program.name]
            for framework in ("torch", "ours"):
                start = time.perf_counter()
                text, cpu, ok = run(program, args.sources, framework, Path(cache), args.timeout or program.timeout)
                outputs[framework] = (text, ok)
                row.append(f"{framework} {'ok' if ok else 'FAILED'} {cpu:.1f} s CPU"
                           f" ({time.perf_counter() - start:.1f} s wall)")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{program.name}.{framework}.txt").write_text(text)
            (theirs, their_ok), (ours, our_ok) = outputs["torch"], outputs["ours"]
            verdict = ("error" if their_ok != our_ok else "both fail" if not our_ok
                       else compare(masked(program, theirs), masked(program, ours), atol=1e-5))
            results.append((program.name, verdict))
            print(f"{program.name:28s} {verdict:9s} | " + " | ".join(row[1:]), flush=True)
            if args.show == "all" or (args.show == "diff" and verdict not in ("equal",)):
                lines = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "torch", "tinygrad_adam",
                                             n=0, lineterm="")
                for line in list(lines)[:60]:
                    print("    " + line[:200])
    kinds = ("equal", "close", "differ", "error", "both fail")
    print("\n" + ", ".join(f"{kind} {sum(v == kind for _, v in results)}" for kind in kinds))


if __name__ == "__main__":
    main()
