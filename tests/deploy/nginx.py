"""The nginx template (``deploy/nginx/kneeassess.conf.template``) rendered as the README renders it, for the deploy
tests and the bench's replicas part."""

from __future__ import annotations


def render(template: str, values: dict[str, str]) -> str:
    """What ``envsubst '${A} ${B}...'`` does: only these variables, nginx's own $variables untouched."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    if "${KNEEASSESS_" in template:
        raise AssertionError("a variable of the nginx template was not given")
    return template
