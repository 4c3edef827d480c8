"""ldn_i18n: multilingual patient handouts from Markdown, gettext catalogs and CSL-JSON.

One module (or package) per stage, each with one public entry point, in the
order of a translation's life:

- :mod:`.source`: :func:`~ldn_i18n.source.read_handout` (``source/handouts/<slug>.md`` -> Handout);
- :mod:`.extract`: :func:`~ldn_i18n.extract.extract` writes ``locale/<domain>.pot``;
- :mod:`.update`: :func:`~ldn_i18n.update.update` creates or merges the catalogs -> UpdateReport;
- :mod:`.pseudo`: :func:`~ldn_i18n.pseudo.write_pseudo` writes the ``en_XA`` pseudo-locale;
- :mod:`.check`: :func:`~ldn_i18n.check.check_project` -> findings;
- :mod:`.review`: the reviewer's pack, blind back-translation, sign-off and release policy;
- :mod:`.status`: :func:`~ldn_i18n.status.project_status` -> ProjectStatus, where every catalog stands;
- :mod:`.build`: :func:`~ldn_i18n.editions.build` -> BuildReport, the HTML and PDF editions
  (composed by :mod:`.edition`, gated by :mod:`.gate`, rendered by :mod:`.render` and :mod:`.pdf`).

No module chains the stages: each subcommand of ``ldn-i18n`` (:mod:`ldn_i18n.cli`)
calls one entry point, which reads the files the earlier stages wrote.
"""

__version__ = "0.1.0"
