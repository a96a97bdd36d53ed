"""``{% keep fragment %}…{% endkeep %}``: a part of a page kept per data version (felles/fragment_cache.py).
``fragment`` comes from the view (``felles.fragment_cache.fragment(request, name, …)``); None renders the part
every time."""

from django import template

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        fragment = self.fragment.resolve(context)
        if fragment is None:
            return self.nodelist.render(context)
        return fragment.get_or_render(lambda: self.nodelist.render(context))


@register.tag("keep")
def do_keep(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% keep fragment %} takes one argument, the Fragment from the view.")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, parser.compile_filter(bits[1]))
