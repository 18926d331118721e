from __future__ import annotations

import pytest

from painpoint.assessment.knowledge import base_knowledge


@pytest.fixture(scope="session")
def knowledge():
    """The real knowledge: the rules and profiles in content/, as every door of the engine reads them."""
    return base_knowledge()
