"""REST API (DRF) with an OpenAPI schema; the same scoping as the pages."""
