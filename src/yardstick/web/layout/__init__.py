"""The site's shared look: the base template, styles, scripts (charts drawn by vega-embed from the
site's own static files), template tags for ROC years and figures, error pages."""
