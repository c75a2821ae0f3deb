"""``imblearn-vae train``: a detector for any labelled table, in one model file.

The command (:mod:`~imblearn_vae.train.command`) reads the table as
``compare`` reads it, or takes a comparison's best entry
(``--from-compare``), and leaves the work to
:func:`imblearn_vae.detector.train_on_tables`.
"""
