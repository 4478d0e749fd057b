"""Permission-matrix rows (see test_permission_matrix.py)."""

from typing import Any

MATRIX: dict[str, Any] = {}
