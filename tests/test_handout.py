"""The printed handout: two A4 PDFs, read back with pypdf and one page rendered to PNG.

Checks that each pack is A4, carries the cover (report, publisher, date) and contents,
every headline figure of the overview and the sectors with its paragraph, the 2023
commitments, in the right language (no Chinese in the English pack), charts as vectors
(no raster image anywhere) and fonts embedded. A page of each pack is rendered with
pdftoppm into ``test-artifacts/`` to be looked at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing import charts, data, display, handout, pdfprint
from briefing.catalogue import SECTOR_APPS
from tests.html_text import ID_PATTERN

pypdf = pytest.importorskip("pypdf")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
DS = data.load()


def _squash(text: str) -> str:
    """Text without spaces or line breaks (PDF text breaks lines anywhere), ligatures undone."""
    ligatures = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
    return re.sub(r"\s+", "", text.translate(str.maketrans(ligatures)))


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if pdfprint.chromium_path() is None:
        pytest.skip("no Chromium to print with: apt-get install chromium fonts-noto-cjk")
    out = tmp_path_factory.mktemp("handout")
    paths = handout.write_pdfs(out)
    return {p.stem.rsplit("-", 1)[1]: p for p in paths}


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def _headline_facts() -> list[dict[str, object]]:
    facts = DS.facts
    chosen = facts[
        facts["headline"]
        & facts["sector"].isin([s for a in SECTOR_APPS for s in a.sectors] + ["overall"])
    ]
    return [dict(r) for _, r in chosen.iterrows()]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pack_has_cover_contents_figures_and_sources(packs: dict[str, Path], lang: str) -> None:
    reader = pypdf.PdfReader(packs[lang])
    assert len(reader.pages) >= 8
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 2  # A4 in points
        assert abs(height - 841.9) < 2
    text = _text(packs[lang])
    flat = _squash(text)
    cover = _squash(reader.pages[0].extract_text())
    assert _squash(handout.word("report", lang)) in cover
    assert _squash(handout.word("publisher_name", lang)) in cover
    assert "2023-01-29" in cover
    assert _squash(handout.word("contents", lang)) in _squash(reader.pages[1].extract_text())
    missing = []
    for fact in _headline_facts():
        value = _squash(display.value_text(fact, lang))
        source = handout.Handout(lang, DS).source(str(fact["paragraph_id"]))
        # The figure, then its source (section, then paragraph in words) close after it.
        where = (
            re.escape(_squash(source.section)) + r".{0,12}?" + re.escape(_squash(source.paragraph))
        )
        hit = re.search(re.escape(value) + r".{0,400}?" + where, flat)
        if not hit:
            missing.append((fact["fact_id"], value, source.text(lang)))
    assert not missing, missing[:10]
    # Readers see places in words, never an internal id.
    assert not ID_PATTERN.search(text), ID_PATTERN.findall(text)[:10]
    for info in SECTOR_APPS:
        title = info.title_en if lang == "en" else info.title_zh
        assert _squash(title) in flat
    commitments = DS.commitments
    for row in commitments.itertuples():
        title = row.title_en if lang == "en" else row.title_zh
        assert _squash(str(title))[:20] in flat, title
    # The text layer reads as written: 大, 民, 长…, not the radical forms of the same glyphs.
    assert not re.findall(r"[\u2e80-\u2fdf]", text)
    if lang == "en":
        assert not CJK.findall(text), sorted(set(CJK.findall(text)))[:20]
    else:
        assert "Datang Town 2023" not in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contents_give_the_page_each_section_starts_on(packs: dict[str, Path], lang: str) -> None:
    reader = pypdf.PdfReader(packs[lang])
    pages = [_squash(page.extract_text() or "") for page in reader.pages]
    lines = (reader.pages[1].extract_text() or "").splitlines()
    entries = handout.Handout(lang, DS).contents()
    assert len(entries) == 1 + len(SECTOR_APPS)
    numbers = []
    for _anchor, heading in entries:
        # One line of the contents: the heading, then its page number.
        line = next((x for x in lines if _squash(x).startswith(_squash(heading))), "")
        found = re.fullmatch(re.escape(_squash(heading)) + r"(\d+)", _squash(line))
        assert found, (heading, lines)
        number = int(found.group(1))
        numbers.append(number)
        # That page begins with the heading, and its footer carries the same number.
        assert pages[number - 1].startswith(_squash(heading)), (heading, number)
        assert pages[number - 1].endswith(_squash(handout.word("report", lang)) + str(number))
        # No earlier page holds the section's heading as its first line.
        assert not any(p.startswith(_squash(heading)) for p in pages[2 : number - 1])
    assert numbers == sorted(numbers)
    assert numbers[0] == 3  # cover, contents, then the overview


def test_a_pack_whose_pages_cannot_be_found_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pdfprint.chromium_path() is None:
        pytest.skip("no Chromium to print with")
    monkeypatch.setattr(handout, "section_pages", lambda path, contents: {})
    target = tmp_path / "briefing-pack-zh.pdf"
    with pytest.raises(handout.PaginationError, match="no page found"):
        handout.write_pdf(target, "zh", DS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pack_charts_are_vector_and_fonts_embedded(packs: dict[str, Path], lang: str) -> None:
    reader = pypdf.PdfReader(packs[lang])
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        assert "/XObject" not in resources or not any(
            x.get_object().get("/Subtype") == "/Image" for x in resources["/XObject"].values()
        ), "a raster image in the pack"
        for name, font in resources.get("/Font", {}).items():
            fonts[(page.page_number, name)] = font.get_object()
    assert fonts
    for font in fonts.values():
        if font["/Subtype"] == "/Type3":
            assert "/CharProcs" in font  # the glyphs are drawn inside the PDF
            continue
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    # Every chart's title is text in the PDF (vector), not pixels.
    flat = _squash(_text(packs[lang]))
    titles = []
    for info in SECTOR_APPS:
        facts = DS.facts[DS.facts["sector"].isin(info.sectors)]
        specs = charts.comparison_charts(facts, DS.facts, lang) + charts.charts_for(facts, lang)
        for spec in specs:
            title = spec.spec["title"]
            titles.append(title["text"] if isinstance(title, dict) else title)
    assert titles
    missing = [t for t in titles if _squash(t)[:30] not in flat]
    assert not missing, missing


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_page_renders_to_png(packs: dict[str, Path], lang: str) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing: apt-get install poppler-utils (make system-deps)")
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"handout-{lang}-page-5"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "5",
            "-l",
            "5",
            "-singlefile",
            str(packs[lang]),
            str(stem),
        ],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20_000  # a page with text and cards, not a blank one
