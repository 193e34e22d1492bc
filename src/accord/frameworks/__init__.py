"""Frameworks: the single negotiating text, its review, amendment and mediation.

from accord.frameworks import load_framework, review_framework
framework, scenario = load_framework("berlin-2025-berlin-draft")
review_framework(framework, scenario).verdict
"""

from __future__ import annotations

from accord.frameworks.amend import AmendmentResult, amend_framework
from accord.frameworks.criticism import CriticismMediator
from accord.frameworks.delegation import Delegation
from accord.frameworks.diff import DraftDiff, diff_frameworks
from accord.frameworks.flags import RedLineFlag, red_line_flags
from accord.frameworks.load import builtin_frameworks, load_framework, parse_framework
from accord.frameworks.mediation import MediationResult, mediate_text
from accord.frameworks.model import Framework, Point
from accord.frameworks.review import Review, review_framework

__all__ = [
    "AmendmentResult",
    "CriticismMediator",
    "Delegation",
    "DraftDiff",
    "Framework",
    "MediationResult",
    "Point",
    "RedLineFlag",
    "Review",
    "amend_framework",
    "builtin_frameworks",
    "diff_frameworks",
    "load_framework",
    "mediate_text",
    "parse_framework",
    "red_line_flags",
    "review_framework",
]
