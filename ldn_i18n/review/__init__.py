"""Stage 4b, review: from machine draft to a qualified reviewer's sign-off.

- :mod:`.signoff`: who signed off which message, and where a catalog stands.
- :mod:`.records`: the signed sign-off batches kept in ``locale/<LL>/review/<domain>.json``.
- :mod:`.signatures`: reviewers' keys (``source/reviewers``) and OpenSSH signatures.
- :mod:`.signing`: what a reviewer may sign (``ldn-i18n review``), checked before recording.
- :mod:`.back`: blind back-translation catalogs (``ldn-i18n back``).
- :mod:`.pack`: the reviewer's bilingual pack (``ldn-i18n review-pack``).
- :mod:`.policy`: what a release requires per locale.
- :mod:`.record`: the record of a released edition, kept in ``records/``.
"""
