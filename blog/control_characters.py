"""Control characters: refused where plain text is typed, stripped where
text is written to XML.

XML 1.0 cannot hold the C0 controls other than tab, newline and carriage
return; one of them in a title once made every feed answer 500. DEL and the
C1 controls are legal XML but never meant in a title or a name, so forms
refuse them too.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode's Cc category without tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all: those C0 controls and two non-characters.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CONTROL_CHARACTER_MESSAGE = _(
    "This text contains an invisible control character (%(character)s), often "
    "left by pasting from a terminal, a PDF or another program. Delete it, or "
    "retype the text, and save again."
)


def validate_no_control_characters(value):
    """Raise ValidationError when `value` holds a control character."""
    found = CONTROL_CHARACTERS.search(value or "")
    if found:
        raise ValidationError(
            CONTROL_CHARACTER_MESSAGE,
            code="control_character",
            params={"character": f"U+{ord(found.group()):04X}"},
        )


def xml_safe(text):
    """Return `text` without the characters XML 1.0 cannot hold."""
    return NOT_XML.sub("", text)
