"""Painpoint's assessment engine: pure Python, no Django, no I/O, the same output for the same input."""

from painpoint.engine.assess import assess
from painpoint.engine.model import Answers, Knowledge, Level, Result

__all__ = ["Answers", "Knowledge", "Level", "Result", "assess"]
