"""What extraction and rendering agree on about the Jinja2 templates: :data:`JINJA_EXTENSIONS`.

A module of its own, importing nothing, so that :mod:`ldn_i18n.extract`
reads the templates with the same extensions as :mod:`ldn_i18n.render`
without loading the renderer (and, through it, the edition and check stack).
"""

from __future__ import annotations

#: The Jinja2 extensions every template may use: gettext calls (``i18n``) and ``{% do %}``.
JINJA_EXTENSIONS = ("jinja2.ext.i18n", "jinja2.ext.do")
