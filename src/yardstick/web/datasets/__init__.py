"""Batches (批次) of datasets and their status events; the Parquet files live in the storage folder."""
