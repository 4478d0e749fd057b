"""Abstract base models shared by the apps."""

from __future__ import annotations

from django.db import models


class TreeModel(models.Model):
    """A node of a tree (树形结构) with a parent of its own kind.

    Cycles are refused by :func:`jixiao.core.trees.check_parent`, which every service that sets a
    parent calls; the model itself carries no logic.
    """

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        abstract = True
