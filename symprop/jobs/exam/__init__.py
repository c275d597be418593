"""``symprop exam``: seeded exam variants of one spec, with everything needed to grade them.

One pipeline, R/exams style: parameters -> question -> worked solution -> meta.

- ``draw``: every weight, bias, input and target drawn from the exam section's grids by an
  explicit ``random.Random(seed)``, exactly.
- ``variants``: each draw written as an explicit spec (``spec.writer``) and read back (the
  file is the variant: ``symprop solve`` / ``check`` it), solved and answered.
- ``judge``: a draw that makes a poor question (a weak answer among them) is rejected and
  counted by reason; each answer gets its tolerance from the rounding policy.
- ``mistaken``: what the checker's classic mistakes give for each asked quantity; a draw
  where one of them would be graded correct is rejected, the others become wrong answers.
- ``ask``: what is asked, as the checker names it.
- ``outputs``: the question sheets and the compact key (``render.sheet`` and the ``exam/``
  templates), the worked keys and their book, ``key.csv``, ``key.json``, Moodle XML
  (``render.moodle``), Canvas's ``qti.zip`` (``render.qti``) and ``exam.json``, the
  manifest; written by ``jobs.files``. Same spec and seed, same bytes.
"""

from .ask import default_ask
from .judge import REASONS, tolerance
from .outputs import write_exam
from .variants import MAX_VARIANTS, Exam, make_exam

__all__ = ["MAX_VARIANTS", "REASONS", "Exam", "default_ask", "make_exam", "tolerance", "write_exam"]
