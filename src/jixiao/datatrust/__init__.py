"""数据指标库与数据质量提示: figures reported once and reused with lineage, and data-quality flags."""
