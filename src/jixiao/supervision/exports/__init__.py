"""Bulletin downloads (XLSX and PDF), drawn from the stored snapshot so they never change."""
