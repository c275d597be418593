"""``qti.zip``: an exam as an IMS QTI 1.2 package for Canvas, built with ElementTree and zipfile.

The package is laid out as Canvas's own quiz export (and text2qti, whose packages Canvas
imports) lays it out:

- ``imsmanifest.xml``: an IMS Content Packaging 1.1 manifest whose resources are the
  assessment (``imsqti_xmlv1p2``), its Canvas settings (``assessment_meta.xml``) and each
  variant's drawing (``webcontent``, referred to as ``$IMS-CC-FILEBASE$/images/...``);
- ``<id>/<id>.xml``: ``questestinterop > assessment > section`` holding one section per
  asked quantity whose ``selection_ordering`` selects one item: Canvas makes each such
  section a question group that draws one variant's item for every student
  (``Qti::AssessmentTestConverter#process_section`` in Canvas's QTI importer). Canvas draws
  each group on its own and flattens nested sections, so no section can draw a whole
  variant: every item states its variant in full (drawing, numbers, rules), as the
  questions of ``moodle.xml`` do; one variant per student is ``moodle-cloze.xml``'s.
- one ``numerical_question`` item per asked quantity per variant: ``response_str`` with
  ``render_fib fibtype="Decimal"``, and the "exact answer with margin" of Canvas's export,
  ``<or><varequal>answer</varequal><and><vargte>answer - tolerance</vargte>
  <varlte>answer + tolerance</varlte></and></or>`` (the importer,
  ``Qti::NumericInteraction#get_canvas_answers``, takes the margin as the upper bound minus
  the answer). The mistakes' values of ``moodle.xml`` are left out: every condition with a
  value becomes a correct answer of a Canvas numerical question, which has no wrong ones.

Canvas keeps 4 decimals of a numerical answer and of its margin (0.00004 is stored as 0;
Canvas's "Rounding in a formula quiz question" note and its scientific-notation guide), so an
answer or tolerance with more decimals is asked times 10^(3k), the smallest such power that
leaves at most 4 (``scale``), and the question says so. Same exam, same bytes: the
identifiers come from the exam's source, title and seed, and every zip entry has a fixed
date; the archive's comment carries symprop's mark.
"""

from __future__ import annotations

import hashlib
import io
import math
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

from .filters import html_text as _html
from .moodle import well_formed
from .sheet import Question, Sheet, render_html, render_stem

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
IMSCP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSCP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CANVAS_DECIMALS = 4  # what Canvas keeps of a numerical answer
FILEBASE = "%24IMS-CC-FILEBASE%24"  # $IMS-CC-FILEBASE$, URL-quoted as in Canvas's exports: the package's files
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
EXAMPLE = Decimal("0.0123456")  # the number the question moves the decimals of, to show how


def decimals(value: str) -> int:
    """How many decimals a number, as written, has."""
    return max(0, -Decimal(value).as_tuple().exponent)


def scale(q: Question) -> int:
    """The power of ten (a multiple of 3) an answer is asked times so that it and its
    tolerance have at most ``CANVAS_DECIMALS`` decimals."""
    extra = max(decimals(q.answer), decimals(q.tolerance)) - CANVAS_DECIMALS
    return 3 * math.ceil(extra / 3) if extra > 0 else 0


def scaled(value: str, power: int) -> Decimal:
    return Decimal(value).scaleb(power)


def plain(value: Decimal) -> str:
    return f"{value:f}"


def _root(tag: str, namespace: str, schema: str, attrib: dict[str, str] | None = None) -> ET.Element:
    """A document element in ``namespace`` (its children inherit it: ElementTree's own
    default-namespace output refuses attributes without one)."""
    return ET.Element(tag, {"xmlns": namespace, "xmlns:xsi": XSI, **(attrib or {}),
                            "xsi:schemaLocation": f"{namespace} {schema}"})


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib or {})
    if text is not None:
        element.text = text
    return element


def _fields(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)


def _material(parent: ET.Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", {"texttype": "text/html"}, html)


def item(section: ET.Element, ident: str, title: str, html: str, answer: Decimal, tolerance: Decimal,
         feedback: str) -> None:
    """One Canvas numerical question: the exact answer with its margin, a general feedback."""
    element = _sub(section, "item", {"ident": ident, "title": title})
    _fields(_sub(element, "itemmetadata"), [
        ("question_type", "numerical_question"), ("points_possible", "1.0"), ("original_answer_ids", f"{ident}-a"),
        ("assessment_question_identifierref", f"{ident}-ref"),
    ])
    presentation = _sub(element, "presentation")
    _material(presentation, html)
    response = _sub(presentation, "response_str", {"ident": "response1", "rcardinality": "Single"})
    _sub(_sub(response, "render_fib", {"fibtype": "Decimal"}), "response_label", {"ident": f"{ident}-a"})
    processing = _sub(element, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar",
         {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    general = _sub(processing, "respcondition", {"continue": "Yes"})
    _sub(_sub(general, "conditionvar"), "other")
    _sub(general, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
    right = _sub(processing, "respcondition", {"continue": "No"})
    either = _sub(_sub(right, "conditionvar"), "or")
    _sub(either, "varequal", {"respident": "response1"}, plain(answer))
    within = _sub(either, "and")
    _sub(within, "vargte", {"respident": "response1"}, plain(answer - tolerance))
    _sub(within, "varlte", {"respident": "response1"}, plain(answer + tolerance))
    _sub(right, "setvar", {"action": "Set", "varname": "SCORE"}, "100")
    _material(_sub(_sub(element, "itemfeedback", {"ident": "general_fb"}), "flow_mat"), feedback)


def _example(power: int) -> tuple[int, str, str] | None:
    return (power, plain(EXAMPLE), plain(EXAMPLE.scaleb(power).normalize())) if power else None


def identifier(exam) -> str:
    """The package's identifier: the same exam, the same identifier."""
    key = "\0".join((exam.spec.source, exam.spec.title, str(exam.seed), str(len(exam.variants))))
    return "symprop_" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:16]


def assessment(exam, sheets: list[Sheet], base: str, templates: Path | None) -> ET.Element:
    """The assessment: a group per asked quantity, an item per variant in each."""
    root = _root("questestinterop", QTI, QTI_XSD)
    test = _sub(root, "assessment", {"ident": base, "title": exam.spec.title})
    _fields(test, [("cc_maxattempts", "1")])
    top = _sub(test, "section", {"ident": "root_section"})
    stem = {s.number: render_stem(s, f"{FILEBASE}/images/network-{s.number}.svg", templates) for s in sheets}
    for k, quantity in enumerate(exam.ask):
        group = _sub(top, "section", {"ident": f"{base}_g{k + 1}", "title": f"({sheets[0].questions[k].label}) {quantity}"})
        selection = _sub(_sub(group, "selection_ordering"), "selection")
        _sub(selection, "selection_number", text="1")
        _sub(_sub(selection, "selection_extension"), "points_per_item", text="1.0")
        for sheet in sheets:
            q = sheet.questions[k]
            power = scale(q)
            html = render_html(sheet, stem[sheet.number], templates, question=q, scale=_example(power))
            times = f" × 10^{power}" if power else ""
            feedback = _html(f"{q.quantity}{times} = {plain(scaled(q.answer, power))} "
                             f"(accepted within ± {plain(scaled(q.tolerance, power))})")
            item(group, f"{base}_v{sheet.number}_q{k + 1}", f"Variant {sheet.number}: {quantity}{times}", html,
                 scaled(q.answer, power), scaled(q.tolerance, power), feedback)
    return root


def settings(exam, base: str) -> ET.Element:
    """Canvas's quiz settings (``assessment_meta.xml``): an exam, one attempt, answers hidden."""
    root = _root("quiz", CANVAS, CANVAS_XSD, {"identifier": base})
    description = (f"<p>{_html(exam.spec.title)}: {len(exam.variants)} variants drawn with seed {exam.seed}; "
                   f"each question draws one variant.</p>")
    for tag, text in (("title", exam.spec.title), ("description", description), ("shuffle_answers", "false"),
                      ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                      ("points_possible", f"{len(exam.ask)}.0"), ("show_correct_answers", "false"),
                      ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                      ("available", "false")):
        _sub(root, tag, text=text)
    return root


def manifest(base: str, numbers: list[str]) -> ET.Element:
    root = _root("manifest", IMSCP, IMSCP_XSD, {"identifier": f"{base}_manifest"})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", text="IMS Content")
    _sub(meta, "schemaversion", text="1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    test = _sub(resources, "resource", {"identifier": base, "type": "imsqti_xmlv1p2"})
    _sub(test, "file", {"href": f"{base}/{base}.xml"})
    _sub(test, "dependency", {"identifierref": f"{base}_meta"})
    meta_href = f"{base}/assessment_meta.xml"
    extra = _sub(resources, "resource", {"identifier": f"{base}_meta", "href": meta_href,
                                         "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource"})
    _sub(extra, "file", {"href": meta_href})
    for number in numbers:
        href = f"images/network-{number}.svg"
        image = _sub(resources, "resource", {"identifier": f"{base}_image_{number}", "type": "webcontent",
                                             "href": href})
        _sub(image, "file", {"href": href})
    return root


def _xml(root: ET.Element) -> bytes:
    well_formed(root)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def package(exam, sheets: list[Sheet], svgs: dict[str, str], templates: Path | None) -> bytes:
    """``qti.zip``: the manifest, the assessment, Canvas's settings and the drawings."""
    base = identifier(exam)
    numbers = [s.number for s in sheets]
    members = [
        ("imsmanifest.xml", _xml(manifest(base, numbers))),
        (f"{base}/{base}.xml", _xml(assessment(exam, sheets, base, templates))),
        (f"{base}/assessment_meta.xml", _xml(settings(exam, base))),
    ] + [(f"images/network-{n}.svg", svgs[n].encode("utf-8")) for n in numbers]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
        archive.comment = f"generated by symprop exam: {len(numbers)} variants, seed {exam.seed}".encode("ascii")
    return out.getvalue()
