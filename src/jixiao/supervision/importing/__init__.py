"""Bulk entry of matters from Excel (督办事项 / 整改事项 批量导入).

``columns`` names the template's columns and parses their cells; ``plan`` looks units and leaders up;
``template`` writes the workbook the office fills in; ``reader`` checks an uploaded workbook row by
row into :class:`~jixiao.supervision.services.imports.ImportRow` values (every problem listed);
``upload`` runs an upload end to end: file checks, reading, then
:func:`~jixiao.supervision.services.imports.matters_import`.

This package imports nothing here, so ``services.imports`` may use ``columns`` without a cycle.
"""
