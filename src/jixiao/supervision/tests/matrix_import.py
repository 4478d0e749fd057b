"""Permission-matrix rows (see test_permission_matrix.py): bulk import is the office's alone."""

from typing import Any

from django.urls import reverse

OFFICE_ONLY = {"anon": 302, "office": 200, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}

MATRIX: dict[str, Any] = {
    "import": ("GET", lambda ctx: reverse("supervision:import"), OFFICE_ONLY),
    # A POST without a file: the office gets the form back with the message (400), nothing is written.
    "import#post": ("POST", lambda ctx: reverse("supervision:import"), {**OFFICE_ONLY, "office": 400}),
    "import_template": ("GET", lambda ctx: reverse("supervision:import_template"), OFFICE_ONLY),
}
