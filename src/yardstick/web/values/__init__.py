"""Values: data element values people enter (資料項目) and KPI values computed with their lineage."""
