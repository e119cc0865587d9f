"""The glibc malloc tuning that keeps a training step's freed memory for the next step."""

from __future__ import annotations

import sys

import pytest

from tinygrad_adam import keep_freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_applied_on_linux_and_can_be_switched_off(monkeypatch) -> None:
    assert keep_freed_memory() is True
    monkeypatch.setenv("TINYGRAD_ADAM_NO_MALLOPT", "1")
    assert keep_freed_memory() is False


def test_does_nothing_elsewhere(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert keep_freed_memory() is False
