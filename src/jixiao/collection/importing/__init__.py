"""Excel import of ledger values (电子台帐批量导入).

``template`` writes the workbook a user fills in for one assessment period; ``reader`` checks an
uploaded workbook cell by cell into rows for :func:`~jixiao.collection.services.values_bulk_upsert`;
``jobs`` runs an upload as a background job with progress; ``bench`` times a large import.
"""
