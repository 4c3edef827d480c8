"""Stage 4b, review: from machine draft to a qualified reviewer's sign-off.

- :mod:`.people`: what a reviewer's ``Name <email>`` and credential may hold.
- :mod:`.signoff`: who signed off which message, and where a catalog stands.
- :mod:`.records`: the signed sign-off batches kept in ``locale/<LL>/review/<domain>.json``.
- :mod:`.signatures`: reviewers' keys (``source/reviewers``) and OpenSSH signatures.
- :mod:`.signing`: what a reviewer may sign (``ldn-i18n review``), checked before recording.
- :mod:`.back`: blind back-translation catalogs (``ldn-i18n back``) and how far each is.
- :mod:`.pack`: the reviewer's bilingual pack (``ldn-i18n review-pack``).
- :mod:`.record`: the record of a released edition, kept in ``records/``.

The package spans two layers (docs/architecture.md): people, signatures,
records and signoff sit below ``check`` and ``update``, which read sign-offs;
back, signing, pack and record sit above them. What a release requires per
locale is :mod:`ldn_i18n.policy`, read by all of them.
"""
