"""The national-scale benchmark (issue #8): `make bench`, or `python -m benchmarks --help`.

Modules: `run` (the command and its steps), `landing` (the landing folder, written month by
month; the new month and the re-sent file), `phases` (what each measured child process runs),
`measure` (wall, CPU and peak memory of a child process tree), `floor.sql` (the floor),
`compare` (floor against pipeline), `machine` (machine, versions, load), `report`
(docs/performance.md and docs/performance.json). See docs/performance.md.
"""
