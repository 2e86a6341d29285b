"""The SIPD import: a kabupaten's Bappeda uploads a SIPD usulan export (the layout reports/sipd.py
writes, XLSX or CSV) to create or update that kabupaten's proposals, matched by SIPD id.

What an imported proposal stores. The columns a proposal's intake holds are read into its fields:
proposer, profile (proposer type), title and proposed work (split at the first colon of Usulan),
problem, address with RT and RW, the village by name within its kecamatan within the kabupaten,
the first and the current agency by name, volume, unit, cost, spending type and sub kegiatan. The
columns SIPD's deliberation fills in (Status, Catatan, the three Rekomendasi) are not remodelled as
decisions of forums that never met in this app: they are kept as SIPD wrote them, with the SIPD id,
in the proposal's SipdRecord, and the SIPD export writes them back while no forum of ours has
decided on the item. Volume and Anggaran, which the export writes as the latest agreed figures,
become the imported proposal's own. So export, import into a fresh database and export again give
the same rows. Columns SIPD's layout lacks get plain defaults: the chosen plan year; the sector
named by the Sub Kegiatan's code, else the one chosen on the form; physical work unless the
spending is operating or transfer; no beneficiaries counted.

An imported proposal is submitted (a tracking code of its own, submitted on SIPD's Tanggal Usul,
through proposals.transitions) with a "created" and a "submitted" event naming the file, but is
put on no forum's list: SIPD's forums deliberated it. A row whose id is the tracking code of a
proposal entered in this app leaves that proposal alone: the app is where it changes.

The parts: layout (the header both directions share, and a proposal's row as intake knows it),
reading (the file), checking (the rows against the kabupaten: what would be created or changed,
errors by row and column), saving (the one verb, one transaction), importing (the worker's two
passes: the dry run that keeps the file, and the confirmed run that saves), forms and views.
"""
