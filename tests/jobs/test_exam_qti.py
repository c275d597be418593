"""``qti.zip``: an IMS QTI 1.2 package Canvas imports. Every XML file parses, the elements
used follow the content models of the QTI 1.2 ASI DTD (ims_qtiasiv1p2.dtd) and of IMS
Content Packaging, and every item's answer and tolerance round-trip to ``key.json``."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from symprop.cli import main
from symprop.examples import path

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
RELU_ASK = "out(o),E_total,grad(w_100),grad(w_000)"

# tag -> (children in order, as a regular expression over their names; required attributes;
# attributes with a closed list of values), from the DTD, for the elements an export uses
CONDITIONS = "(not|and|or|unanswered|other|varequal|varlt|varlte|vargt|vargte|varsubset|varinside|varsubstring)"
MODELS = {
    "questestinterop": (r"(qticomment )?(objectbank |assessment |((section |item )+))", (), {}),
    "assessment": ((r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(assessmentcontrol )*(rubric )*"
                   r"(presentation_material )?(outcomes_processing )*(assessproc_extension )?(assessfeedback )*"
                   r"(selection_ordering )?(reference )?((sectionref |section )+)"), ("ident",), {}),
    "section": ((r"(qticomment )?(duration )?(qtimetadata )*(objectives )*(sectioncontrol )*"
                r"(sectionprecondition )*(sectionpostcondition )*(rubric )*(presentation_material )?"
                r"(outcomes_processing )*(sectionproc_extension )?(sectionfeedback )*(selection_ordering )?"
                r"(reference )?((itemref |item |sectionref |section )*)"), ("ident",), {}),
    "selection_ordering": (r"(qticomment )?(sequence_parameter )*(selection )*(order )?", (), {}),
    "selection": ((r"(sourcebank_ref )?(selection_number )?(selection_metadata )?"
                  r"(and_selection |or_selection |not_selection |selection_extension )?"), (), {}),
    "selection_extension": (r"(points_per_item )?", (), {}),  # Canvas's extension
    "item": ((r"(qticomment )?(duration )?(itemmetadata )?(objectives )*(itemcontrol )*(itemprecondition )*"
             r"(itempostcondition )*((itemrubric |rubric )*)(presentation )?(resprocessing )*"
             r"(itemproc_extension )?(itemfeedback )*(reference )?"), ("ident",), {}),
    "itemmetadata": (r"(qtimetadata )*", (), {}),
    "qtimetadata": (r"(vocabulary )?(qtimetadatafield )+", (), {}),
    "qtimetadatafield": (r"fieldlabel fieldentry ", (), {}),
    "presentation": ((r"(qticomment )?(flow |((material |material_ref |response_lid |response_xy |response_str "
                     r"|response_num |response_grp |response_extension )+))"), (), {}),
    "material": ((r"(qticomment )?((mattext |matemtext |matimage |mataudio |matvideo |matapplet |matapplication "
                 r"|matref |matbreak |mat_extension )+)(altmaterial )*"), (), {}),
    "response_str": ((r"(material )?(render_choice |render_hotspot |render_slider |render_fib |render_extension )"
                     r"(material )?"), ("ident",), {"rcardinality": ("Single", "Multiple", "Ordered")}),
    "render_fib": (r"((material |material_ref |response_label |flow_label )*)", (),
                   {"fibtype": ("String", "Integer", "Decimal", "Scientific")}),
    "response_label": (r"", ("ident",), {}),
    "resprocessing": (r"(qticomment )?outcomes ((respcondition |itemproc_extension )+)", (), {}),
    "outcomes": (r"(qticomment )?((decvar (interpretvar )*)+)", (), {}),
    "decvar": (r"", (), {"vartype": ("Integer", "String", "Decimal", "Scientific", "Boolean", "Enumerated",
                                     "Set")}),
    "respcondition": (r"(qticomment )?conditionvar (setvar )*(displayfeedback )*(respcond_extension )?", (),
                      {"continue": ("Yes", "No")}),
    "conditionvar": (rf"({CONDITIONS} )+", (), {}),
    "or": (rf"({CONDITIONS} )+", (), {}),
    "and": (rf"({CONDITIONS} )+", (), {}),
    "other": (r"", (), {}),
    "varequal": (r"", ("respident",), {}),
    "vargte": (r"", ("respident",), {}),
    "varlte": (r"", ("respident",), {}),
    "setvar": (r"", (), {"action": ("Set", "Add", "Subtract", "Multiply", "Divide")}),
    "displayfeedback": (r"", ("linkrefid",), {"feedbacktype": ("Response", "Solution", "Hint")}),
    "itemfeedback": (r"((flow_mat |material |solution |hint )+)", ("ident",), {}),
    "flow_mat": (r"(qticomment )?((flow_mat |material |material_ref )+)", (), {}),
    "mattext": (r"", (), {}),
}
LEAVES = {"fieldlabel", "fieldentry", "selection_number", "points_per_item"}


def local(tag: str) -> str:
    return tag.split("}", 1)[1]


def qti_problems(root: ET.Element) -> list[str]:
    """Where the document leaves the QTI 1.2 content models (an empty list: it follows them)."""
    problems = []
    for element in root.iter():
        tag = local(element.tag)
        if not element.tag.startswith(QTI):
            problems.append(f"{tag}: not in the QTI namespace")
            continue
        if tag in LEAVES:
            problems += [f"{tag}: has children"] if len(element) else []
            continue
        if tag not in MODELS:
            problems.append(f"{tag}: not an element this test knows")
            continue
        model, required, closed = MODELS[tag]
        children = "".join(local(c.tag) + " " for c in element)
        if not re.fullmatch(model, children):
            problems.append(f"{tag}: children {children!r} do not follow {model}")
        problems += [f"{tag}: no {a}" for a in required if not element.get(a)]
        problems += [f"{tag}: {a}={element.get(a)!r}" for a, allowed in closed.items()
                     if element.get(a) is not None and element.get(a) not in allowed]
    return problems


def exam(tmp_path: Path, spec: str, *extra: str) -> Path:
    out = tmp_path / "exam"
    assert main(["exam", spec, "--variants", "3", "--seed", "4", "-o", str(out), "--no-pdf", *extra]) == 0
    return out


def decimals(text: str) -> int:
    return max(0, -Decimal(text).as_tuple().exponent)


@pytest.mark.parametrize(("spec", "extra", "power"), [
    ("sigmoid-2-2-2", (), 3),  # 5 places: every answer asked times 10^3, Canvas keeping 4 decimals
    ("relu-3-2-1", ("--ask", RELU_ASK), 0),
])
def test_the_package_parses_follows_qti_and_round_trips_the_key(tmp_path, spec, extra, power):
    out = exam(tmp_path, spec, *extra)
    key = json.loads((out / "key.json").read_text(), parse_float=Decimal)
    asked = json.loads((out / "exam.json").read_text())["ask"]
    with zipfile.ZipFile(out / "qti.zip") as archive:
        names = set(archive.namelist())
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        assert manifest.tag == f"{CP}manifest"
        hrefs = [f.get("href") for f in manifest.iter(f"{CP}file")]
        assert set(hrefs) == names - {"imsmanifest.xml"}  # every file listed, every listed file there
        [test] = [r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2"]
        root = ET.fromstring(archive.read(test.find(f"{CP}file").get("href")))
        images = [n for n in names if n.startswith("images/")]
        assert images and all(ET.fromstring(archive.read(n)).tag == "{http://www.w3.org/2000/svg}svg" for n in images)
    assert qti_problems(root) == []
    broken = ET.fromstring(ET.tostring(root))  # the check sees an element out of order
    first = broken.find(f".//{QTI}item")
    first.insert(0, first.find(f"{QTI}presentation"))
    assert [p.split(":")[0] for p in qti_problems(broken)] == ["item"]
    groups = root.findall(f"{QTI}assessment/{QTI}section/{QTI}section")
    assert len(groups) == len(asked)
    found = []
    for group, quantity in zip(groups, asked):
        assert group.findtext(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_number") == "1"
        items = group.findall(f"{QTI}item")
        assert len(items) == 3  # one per variant: each student draws one of them
        for item in items:
            fields = {f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
                      for f in item.iter(f"{QTI}qtimetadatafield")}
            assert fields["question_type"] == "numerical_question"
            number = re.fullmatch(rf"Variant (\d+): {re.escape(quantity)}( × 10\^{power})?", item.get("title"))[1]
            either = item.find(f".//{QTI}respcondition[@continue='No']/{QTI}conditionvar/{QTI}or")
            answer = either.findtext(f"{QTI}varequal")
            low, high = either.findtext(f"{QTI}and/{QTI}vargte"), either.findtext(f"{QTI}and/{QTI}varlte")
            assert all(decimals(v) <= 4 for v in (answer, low, high))
            scale = Decimal(10) ** power
            row = next(r for r in key if r["variant"] == number and r["quantity"] == quantity)
            assert Decimal(answer) / scale == row["answer"]
            assert (Decimal(high) - Decimal(answer)) / scale == (Decimal(answer) - Decimal(low)) / scale == row["tolerance"]
            text = html.unescape(item.findtext(f".//{QTI}presentation/{QTI}material/{QTI}mattext"))
            assert f"variant {number}" in text and f"images/network-{number}.svg" in text
            assert (f"multiplied by \\(10^{{{power}}}\\)" in text) == (power > 0)
            found.append((number, quantity))
    assert sorted(found) == sorted((r["variant"], r["quantity"]) for r in key)


def test_a_foreign_qti_zip_is_left_alone(tmp_path, capsys):
    out = tmp_path / "exam"
    out.mkdir()
    with zipfile.ZipFile(out / "qti.zip", "w") as archive:
        archive.writestr("mine.txt", "my own package")
    argv = ["exam", "sigmoid-2-2-2", "--variants", "1", "--seed", "1", "-o", str(out), "--no-pdf"]
    assert main(argv) == 2
    assert "qti.zip: exists and was not written by symprop" in capsys.readouterr().err
    (out / "qti.zip").unlink()
    assert main(argv) == 0 and main(argv) == 0  # its own package is replaced
    assert zipfile.ZipFile(out / "qti.zip").comment.startswith(b"generated by symprop exam")


def test_a_title_is_escaped_in_every_file_of_the_package(tmp_path):
    title = 'A <b>bold</b> & "quoted" ]]> title'
    text = Path(path("sigmoid-2-2-2")).read_text().replace("title: Forward pass and back-propagation",
                                                           "title: '" + title.replace("'", "''") + "'")
    (tmp_path / "spec.yaml").write_text(text)
    out = tmp_path / "exam"
    assert main(["exam", str(tmp_path / "spec.yaml"), "--variants", "1", "--seed", "1", "-o", str(out),
                 "--no-pdf"]) == 0
    with zipfile.ZipFile(out / "qti.zip") as archive:
        xml = {n: ET.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xml")}  # well-formed
    test = next(root for root in xml.values() if root.tag == f"{QTI}questestinterop")
    assert test.find(f"{QTI}assessment").get("title") == title
    body = test.findtext(f".//{QTI}mattext")
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\" ]]&gt; title, variant 01" in body
    assert html.unescape(body).count("<b>bold</b>") == 1
    meta = next(root for root in xml.values() if root.tag.endswith("quiz"))
    assert meta.findtext("{http://canvas.instructure.com/xsd/cccv1p0}title") == title
