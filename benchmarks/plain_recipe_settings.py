"""Settings for the "plain recipe" of ``search_bench.py``: haystack's stock Whoosh backend.

Our settings, with the search connections replaced by the one every Chinese haystack tutorial
configures; ``plain_recipe_indexes`` holds its index class. Used only by the benchmark.
"""

import os

from minutes_site.settings import *  # noqa: F403 - the same project, another search setup

PLAIN_INDEX_DIR = os.environ["PLAIN_INDEX_DIR"]
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": PLAIN_INDEX_DIR,
        # Our own index classes (minutes/search_indexes.py) stay out of this connection.
        "EXCLUDED_INDEXES": [
            "minutes.search_indexes.MeetingIndex",
            "minutes.search_indexes.AgendaItemIndex",
        ],
    }
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
