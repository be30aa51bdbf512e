"""Issue 15, the pure part: what an offer's manifest may name (everything a hostile sender could
use to write outside the downloads folder is refused), how the stream maps onto files, numbered
names, and the file frames' codec bounds."""

from __future__ import annotations

import pytest

from zp2p_gui.core.codec import CodecError, decode, encode
from zp2p_gui.core.file_limits import CHUNK, DIR
from zp2p_gui.core.files import Entry, Layout, Manifest, ManifestError, check_component, check_manifest, numbered

KEY = "GjUv(.+?RdEXj6L40f}jStGjJ.L)]@4.Dl*S?NB!"


def folder(*entries: tuple[str, int]) -> list[dict[str, object]]:
    return [{"p": p, "s": s} for p, s in entries]


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", "con", "CON.txt", "lpt1", "nul.tar.gz", "a\x00b",
                                  "a\nb", "evil\u202etxt.exe", "a\u2066b", "x\u200fy", "trailing.", " lead",
                                  "trail ", "a:b", "q?", "x" * 256, "e\u0301"])
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(ManifestError):
        check_component(name)


@pytest.mark.parametrize("name", ["a.txt", "사진 모음", "파일 0001.txt", ".hidden", "console.log", "comet", "é"])
def test_ordinary_names_pass(name: str) -> None:
    assert check_component(name) == name


@pytest.mark.parametrize("entries", [
    folder(("../escape.txt", 5)),
    folder(("/etc/passwd", 5)),
    folder(("a", DIR), ("a/../../x", 5)),
    folder(("a/b.txt", 5)),  # its folder is not listed first
    folder(("a", DIR), ("A", DIR), ("a/x", 5)),  # the same path to Windows and macOS
    folder(("x", 5), ("x", 5)),
    folder(("x", -2)),
    folder(("/".join(["d"] * 65), 5)),
])
def test_an_escaping_or_inconsistent_folder_manifest_is_refused(entries) -> None:
    with pytest.raises(ManifestError):
        check_manifest("pics", True, entries, 5, 1)


def test_the_sizes_must_add_up_to_the_offer() -> None:
    entries = folder(("a", DIR), ("a/x", 5), ("y", 7))
    assert check_manifest("pics", True, entries, 12, 2).size == 12
    for size, files in ((11, 2), (12, 3), (13, 2)):
        with pytest.raises(ManifestError):
            check_manifest("pics", True, entries, size, files)


def test_a_single_file_offer_lists_exactly_its_file() -> None:
    assert check_manifest("a.txt", False, folder(("a.txt", 3)), 3, 1).files == 1
    for entries in (folder(("b.txt", 3)), folder(("a.txt", 3), ("a.txt", 3)), folder(("a.txt", DIR)), []):
        with pytest.raises(ManifestError):
            check_manifest("a.txt", False, entries, 3, 1)


def test_the_stream_maps_onto_files_skipping_folders_and_empty_files() -> None:
    manifest = Manifest("t", True, (Entry("d", DIR), Entry("d/a", 3), Entry("d/e", 0), Entry("b", 4), Entry("c", 0)))
    layout = Layout(manifest)
    assert layout.total == 7
    assert layout.pieces(0, 7) == [(0, 0, 3), (2, 0, 4)]
    assert layout.pieces(2, 2) == [(0, 2, 1), (2, 0, 1)]
    assert layout.pieces(3, 1) == [(2, 0, 1)]
    assert layout.pieces(7, 0) == []


def test_numbered_names_keep_the_extension() -> None:
    assert [numbered("a.txt", n) for n in (1, 2, 3)] == ["a.txt", "a (2).txt", "a (3).txt"]
    assert numbered("folder", 2) == "folder (2)"
    assert numbered(".bashrc", 2) == ".bashrc (2)"


def test_the_fingerprint_changes_with_names_sizes_and_times() -> None:
    one = Manifest("a", False, (Entry("a", 3),))
    assert one.fingerprint([1]) == one.fingerprint([1])
    assert one.fingerprint([1]) != one.fingerprint([2])
    assert one.fingerprint([1]) != Manifest("a", False, (Entry("a", 4),)).fingerprint([1])


def test_an_offer_of_a_negative_size_or_without_its_data_key_does_not_decode() -> None:
    fields = dict(id="a" * 32, key=KEY, nick="amy", name="x", folder=False, files=1, fp="0" * 64, entries=[])
    assert decode(encode("file_offer", **fields, size=1, dkey="1" * 64))["dkey"] == "1" * 64
    with pytest.raises(CodecError):
        decode(encode("file_offer", **fields, size=-1, dkey="1" * 64))
    with pytest.raises(CodecError):
        decode(encode("file_offer", **fields, size=1))
