"""Licence, producer and contact of the open data (issue #20): what data.gouv.fr asks of a dataset.

French public data is published under the Licence Ouverte 2.0 (`etalab-2.0`, décret n° 2017-638).
The producer and the contact come from the settings (SOCLE_OPENDATA_PRODUCTEUR,
SOCLE_OPENDATA_CONTACT): a functional mailbox or a web page, never a person. Without a contact,
the dataset's discussion space on data.gouv.fr is the contact.
"""

from __future__ import annotations

from socle.settings import Settings

LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence version 2.0",
}
DEFAULT_CONTACT = "l'espace « Discussions » de la page du jeu de données sur data.gouv.fr"


def contact_text(contact: str | None) -> str:
    """The contact as the README writes it."""
    if not contact:
        return DEFAULT_CONTACT
    return f"<{contact}>" if "@" in contact or contact.startswith(("http://", "https://")) else contact


def contributor(producer: str, contact: str | None) -> dict:
    """The producer as a Data Package contributor (role `publisher`), with its contact when it is
    an e-mail address or a web page."""
    entry = {"title": producer, "role": "publisher"}
    if contact and "@" in contact:
        entry["email"] = contact
    elif contact and contact.startswith(("http://", "https://")):
        entry["path"] = contact
    return entry


def publisher(settings: Settings) -> tuple[str, str | None]:
    """(producer, contact) of the open data."""
    return settings.opendata_producer, settings.opendata_contact


def readme_section(producer: str, contact: str | None) -> list[str]:
    """The README's « Licence, producteur, contact » section (Markdown lines)."""
    return [
        "## Licence, producteur, contact",
        "",
        f"- **Licence** : [{LICENCE['title']}]({LICENCE['path']}) (identifiant `{LICENCE['name']}`). "
        "Vous pouvez réutiliser ces données librement, y compris à des fins commerciales, à condition d'en "
        "mentionner la source (le producteur ci-dessous) et la date de mise à jour (le dossier de la publication).",
        f"- **Producteur** : {producer}.",
        f"- **Contact** : {contact_text(contact)}.",
        "",
    ]
