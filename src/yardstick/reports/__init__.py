"""The annual performance report (年度施政績效報告) in PDF, XLSX and HTML, and its charts."""
