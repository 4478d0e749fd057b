"""Self-assessment pages (自查自评)."""
