"""One masking function per kind of personal data (个人信息去标识化显示). Lists, API list answers, ledgers
(Excel) and the admin show these; the full value appears only on a record's detail page, as a logged read.

    identity card  110101199003071234 -> 110101********1234   (region code and last four)
    phone          13812345678        -> 138****5678          (operator prefix and last four)
    name           王建国              -> 王**                  (surname only)
"""

ID_NUMBER = "id_number"
PHONE = "phone"
NAME = "name"
CONTACT = "contact"
KINDS = (ID_NUMBER, PHONE, NAME, CONTACT)


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * (len(value) - 2) + value[-2:] if len(value) > 2 else "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def mask_contact(value: str) -> str:
    """A petitioner's contact is free text: a telephone number is masked as one, anything else (an address, a
    mailbox) keeps its first two characters."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if digits >= 7 and digits >= len(value) - 2:
        return mask_phone(value)
    return value[:2] + "****"


_MASKS = {ID_NUMBER: mask_id_number, PHONE: mask_phone, NAME: mask_name, CONTACT: mask_contact}


def mask(kind: str, value: str) -> str:
    return _MASKS[kind](value)
