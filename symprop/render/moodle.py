r"""Moodle XML for an exam: its question bank import format, built with ElementTree.

- ``moodle.xml``: one *numerical* question per asked quantity per variant, each under a
  category per quantity (``$course$/top/<exam>/<quantity>``), so a quiz can draw one
  random variant per question ("Add a random question" from each category). Every question
  states its variant in full (drawing, numbers, rules) and accepts the key's answer within
  its tolerance (Moodle's nominal ± tolerance). After it come the values the classic
  mistakes give (the checker's library), each an answer of fraction 0, within the same
  tolerance, whose feedback names the mistake: Moodle grades a response by the *first*
  answer whose range holds it (``qtype_numerical_question::get_matching_answer`` in
  ``question/type/numerical/question.php``), so the correct answer wins where they overlap.
- ``moodle-cloze.xml``: one *cloze* (embedded answers) question per variant, with every
  asked quantity as ``{1:NUMERICAL:=answer:tolerance#feedback~%0%wrong:tolerance#feedback}``,
  in one category: a quiz draws one variant per student. The syntax is that of
  ``question/type/multianswer/questiontype.php`` (``ANSWER_ALTERNATIVE_REGEX``): ``~``
  separates the answers, ``%0%`` is a fraction of 0, ``#`` starts a feedback, which ends
  at the first ``~`` or ``}`` not escaped by ``\``; Moodle unescapes ``\}`` and decodes
  HTML entities in it, so a ``~`` is written ``&#126;`` and a ``}`` ``\}``.

The elements follow Moodle's own exporter (``question/format/xml/format.php``): ``name``,
``questiontext format="html"`` with the network drawing embedded as a base64 ``file``
(``@@PLUGINFILE@@``), ``generalfeedback``, ``defaultgrade``, ``penalty``, ``hidden``,
``idnumber``, then ``answer fraction="100"`` with ``text``, ``feedback`` and ``tolerance``
and the unit options. ElementTree escapes every text and attribute; question texts are
HTML, escaped by the templates (``sheet.render_html``). Before writing, every text,
attribute and comment is made well-formed whatever a title or file name holds
(``well_formed``): characters XML 1.0 cannot hold are dropped, and a comment never holds
``--``.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .filters import html_text as _html
from .sheet import Question, Sheet, render_html, render_stem

PENALTY = "0.3333333"  # Moodle's default penalty for each wrong try (interactive mode)
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # XML 1.0's Char


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _category(quiz: ET.Element, path: str, info: str) -> None:
    question = ET.SubElement(quiz, "question", {"type": "category"})
    _text(question, "category", f"$course$/top/{path}")
    _text(question, "info", info, "html")


def _segment(name: str) -> str:
    """A category name as one segment of a Moodle category path (``/`` is written ``//``)."""
    return name.replace("/", "//")


def _header(question: ET.Element, name: str, text: str, image: tuple[str, str] | None, feedback: str,
            idnumber: str, grade: int | None = 1) -> None:
    _text(question, "name", name)
    body = _text(question, "questiontext", text, "html")
    if image is not None:
        file = ET.SubElement(body, "file", {"name": image[0], "path": "/", "encoding": "base64"})
        file.text = image[1]
    _text(question, "generalfeedback", feedback, "html")
    if grade is not None:
        ET.SubElement(question, "defaultgrade").text = str(grade)
    ET.SubElement(question, "penalty").text = PENALTY
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = idnumber


def _image(number: str, svg: str) -> tuple[str, str]:
    """The drawing as a file of the question text: (name, base64)."""
    return f"network-{number}.svg", base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _exam_name(exam) -> str:
    return f"{exam.spec.title} (symprop exam, seed {exam.seed})"


def _idnumber(exam, *parts: str) -> str:
    """Moodle's idnumber (at most 100 characters, unique in its category)."""
    return "-".join(("symprop", f"s{exam.seed}") + parts)[:100]


def well_formed(quiz: ET.Element) -> None:
    """Every text, tail, attribute and comment of ``quiz`` as XML 1.0 can hold it."""
    for element in quiz.iter():
        if element.tag is ET.Comment:
            text = _NOT_XML.sub("", element.text or "")
            element.text = re.sub("-(?=-|$)", "- ", text)  # no "--", no "-" before the closing "-->"
            continue
        for field in ("text", "tail"):
            value = getattr(element, field)
            if value:
                setattr(element, field, _NOT_XML.sub("", value))
        for key, value in element.attrib.items():
            element.attrib[key] = _NOT_XML.sub("", value)


def _serialize(quiz: ET.Element) -> str:
    well_formed(quiz)
    ET.indent(quiz, space="  ")
    xml = ET.tostring(quiz, encoding="unicode", short_empty_elements=False)  # <text></text>, as Moodle writes it
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


def _quiz(exam, what: str) -> ET.Element:
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(f" generated by symprop exam: {what} of {_html(exam.spec.source)}, seed {exam.seed} "))
    return quiz


def wrong_feedback(wrong) -> str:
    """What a mistake's answer tells the student (plain text): the mistakes that give it."""
    how = "; or with ".join(wrong.descriptions)
    return f"Not right: this is the value you get with {how} ({', '.join(wrong.names)})."


def _answer(question: ET.Element, fraction: str, value: str, tolerance: str, feedback: str) -> None:
    answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
    ET.SubElement(answer, "text").text = value
    _text(answer, "feedback", _html(feedback), "html")
    ET.SubElement(answer, "tolerance").text = tolerance


def stems(sheets: list[Sheet], images: dict[str, tuple[str, str]], templates: Path | None) -> dict[str, str]:
    """Each variant's question stem (HTML, the drawing as a file of the question), once."""
    return {s.number: render_stem(s, f"@@PLUGINFILE@@/{images[s.number][0]}", templates) for s in sheets}


def numerical_xml(exam, sheets: list[Sheet], svgs: dict[str, str], templates: Path | None) -> str:
    """One numerical question per asked quantity per variant, a category per quantity
    (``svgs``: each variant's network drawing, by its number); the mistakes' values follow
    the correct answer as answers of fraction 0."""
    quiz = _quiz(exam, f"{len(exam.variants)} variants x {len(exam.ask)} numerical questions")
    images = {number: _image(number, svg) for number, svg in svgs.items()}
    stem = stems(sheets, images, templates)
    for k, quantity in enumerate(exam.ask):
        _category(quiz, f"{_segment(_exam_name(exam))}/{_segment(quantity)}",
                  _html(f"{quantity}: one question per variant; add a random question from this category."))
        for variant, sheet in zip(exam.variants, sheets):
            q = sheet.questions[k]
            question = ET.SubElement(quiz, "question", {"type": "numerical"})
            image = images[variant.number]
            text = render_html(sheet, stem[variant.number], templates, question=q)
            feedback = _html(f"{q.quantity} = {q.answer} (accepted within ± {q.tolerance})")
            _header(question, f"Variant {variant.number}: {quantity}", text, image, feedback,
                    _idnumber(exam, f"v{variant.number}", quantity))
            _answer(question, "100", q.answer, q.tolerance, "")
            for wrong in q.wrong:
                _answer(question, "0", wrong.value, q.tolerance, wrong_feedback(wrong))
            for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"), ("showunits", "3"),
                               ("unitsleft", "0")):
                ET.SubElement(question, tag).text = value
    return _serialize(quiz)


def _cloze_feedback(text: str) -> str:
    """Plain text as the feedback of an embedded answer: HTML-escaped, and neither ``~`` nor
    an unescaped ``}`` (either would end it)."""
    return _html(text).replace("~", "&#126;").replace("}", "\\}")


def cloze_code(q: Question) -> str:
    """An embedded numerical answer: full marks within ± tolerance, then each mistake's
    value with fraction 0 and its feedback."""
    wrongs = "".join(f"~%0%{w.value}:{q.tolerance}#{_cloze_feedback(wrong_feedback(w))}" for w in q.wrong)
    return f"{{1:NUMERICAL:={q.answer}:{q.tolerance}{wrongs}}}"


def cloze_xml(exam, sheets: list[Sheet], svgs: dict[str, str], templates: Path | None) -> str:
    """One cloze question per variant, every asked quantity embedded, in one category."""
    quiz = _quiz(exam, f"{len(exam.variants)} cloze questions")
    _category(quiz, _segment(_exam_name(exam)),
              _html("One question per variant; add a random question from this category."))
    images = {number: _image(number, svg) for number, svg in svgs.items()}
    stem = stems(sheets, images, templates)
    for variant, sheet in zip(exam.variants, sheets):
        question = ET.SubElement(quiz, "question", {"type": "cloze"})
        image = images[variant.number]
        codes = {q.label: cloze_code(q) for q in sheet.questions}
        text = render_html(sheet, stem[variant.number], templates, cloze=codes, name="exam/cloze.html.j2")
        feedback = _html("; ".join(f"{q.quantity} = {q.answer} (± {q.tolerance})" for q in sheet.questions))
        _header(question, f"Variant {variant.number}", text, image, feedback, _idnumber(exam, f"v{variant.number}"),
                grade=None)
    return _serialize(quiz)
