"""The file-transfer bounds the wire codec and the direct port need, apart from core/files.py so
that importing them costs nothing on the way to joining a room (the file actor itself starts
after the first roster)."""

CHUNK = 1024 * 1024  # bytes per chunk: per-chunk Python is ~0.1 CPU-s per GiB on each side at this size
CREDIT = 4  # chunks the recipient keeps in flight: 4 MiB, the bound on data in transit
MAX_ENTRIES = 20_000  # files and folders in one offer
MAX_OFFER_BYTES = 2 * 1024 * 1024  # an offer frame (its manifest); a chunk frame's data is CHUNK at most
MAX_PATH_BYTES = 4000
MAX_SIZE = 2**53  # JSON integers stay exact up to here
DIR = -1  # the size of a folder entry
