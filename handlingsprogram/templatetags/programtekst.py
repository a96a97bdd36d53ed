"""The programme document's text as HTML: ``{% load programtekst %}``, then ``{% programme_text text footnotes %}``.

The stored text is plain (see ``Programtekst.text``): paragraphs separated by an empty line, list items on lines that
start with "• " or "▪ " (the document's bullets), any other line break kept as one. Every piece of text is escaped
before it is put into markup; the only markup is the paragraphs, lists and footnote references made here."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

LIST_ITEM = re.compile(r"^[•▪➢] +")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A footnote's place in the text while it is escaped: NUL never occurs in stored text (PostgreSQL refuses it).
MARK = "\x00{}\x00"


def footnote_reference(footnote) -> SafeString:
    return format_html(
        '<sup class="portal-footnote-ref"><a class="ds-link" href="#{}" aria-label="{}">{}</a></sup>',
        footnote.anchor,
        gettext("Footnote %(number)s") % {"number": footnote.number},
        footnote.number,
    )


def render_programme_text(text: str, footnotes=()) -> SafeString:
    """``text`` as paragraphs and lists, with a reference to each of ``footnotes`` after the first occurrence of
    its ``refers_to`` (a footnote whose words are not in the text gets none)."""
    text = (text or "").replace("\r\n", "\n").strip()
    references = {}
    for footnote in footnotes:
        phrase = footnote.refers_to
        if phrase and phrase in text:
            end = text.index(phrase) + len(phrase)
            mark = MARK.format(len(references))
            text = text[:end] + mark + text[end:]
            references[mark] = footnote_reference(footnote)

    html = []
    for block in PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        run: list[str] = []
        run_is_list = False
        for line in [*lines, None]:
            is_item = line is not None and bool(LIST_ITEM.match(line))
            if run and (line is None or is_item != run_is_list):
                if run_is_list:
                    html.append('<ul class="ds-list">' + "".join(f"<li>{item}</li>" for item in run) + "</ul>")
                else:
                    html.append("<p>" + "<br>".join(run) + "</p>")
                run = []
            if line is not None:
                run.append(escape(LIST_ITEM.sub("", line) if is_item else line))
                run_is_list = is_item
    rendered = "\n".join(html)
    for mark, reference in references.items():
        rendered = rendered.replace(mark, reference)
    return mark_safe(rendered)  # noqa: S308 - every piece of text in it was escaped above


@register.simple_tag
def programme_text(text, footnotes=()):
    return render_programme_text(text, footnotes)
