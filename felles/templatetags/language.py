"""The programme's and staff's own texts in the English interface: ``{% load language %}``, then
``{{ omraade.navn|nb }}`` marks a Norwegian name or text inside an English sentence or table cell as bokmål
(``<span lang="nb">``), so a screen reader reads it in Norwegian (WCAG 3.1.2). Elements that hold only such
text carry ``lang="nb"`` themselves."""

from django import template

from felles import language

register = template.Library()
register.filter("nb", language.nb)
