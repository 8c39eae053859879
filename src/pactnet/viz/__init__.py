"""Figures of the partnership system (Plotly; the ``web`` extra) and the self-contained HTML report.

``views`` computes what each figure shows as plain data (no plotting library needed); ``figures`` draws it;
``export`` writes PNG, SVG or PDF through kaleido; ``report`` writes one HTML file.
"""

from __future__ import annotations

__all__ = ["views", "figures", "export", "optional", "report"]
