"""pactnet: US alliances and security partnerships as sourced, time-stamped data.

The public API is re-exported here; heavy modules are imported lazily so that ``import pactnet``
(and the CLI) stay fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
