"""ldn_i18n: multilingual patient handouts from Markdown, gettext catalogs and CSL-JSON.

The stages, in order (see :data:`ldn_i18n.pipeline.STAGES`):
source -> extract -> update -> check -> build.
"""

__version__ = "0.1.0"
