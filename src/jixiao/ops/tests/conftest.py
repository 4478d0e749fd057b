"""The supervision tests' matters (``sv``): the scheduler's daily job is the reminder run."""

from jixiao.supervision.tests.conftest import sv  # noqa: F401
