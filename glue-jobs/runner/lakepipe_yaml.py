"""A reader for the small YAML subset job manifests use, for Glue images without PyYAML (PyYAML when there is
one). Part of the job runner's pure half (lakepipe_manifest.py): no Spark, no Glue.
"""

import json
import re


class ManifestError(Exception):
    """The job manifest is missing, malformed or inconsistent."""


def _strip_comment(line):
    """Drops a trailing `# comment` that is outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _split_flow(text):
    """Splits the inside of a flow collection on top-level commas."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    last = text[start:]
    if last.strip():
        parts.append(last)
    return [p.strip() for p in parts]


def _split_key(text):
    """'key: value' -> (key, value) on the first ': ' (or a trailing ':') outside quotes; None if not a pair."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == ":" and (i + 1 == len(text) or text[i + 1] == " "):
            return _scalar(text[:i].strip()), text[i + 1 :].strip()
    return None


def _scalar(text):
    """A YAML 1.2 core-schema scalar: quoted string, null, bool, int, float, else plain string."""
    if text.startswith(("&", "*", "!", "|", ">", "@", "`")):
        raise ManifestError("YAML feature not supported by the fallback parser: %s" % text)
    if text.startswith("{") and text.endswith("}"):
        out = {}
        for part in _split_flow(text[1:-1]):
            pair = _split_key(part)
            if pair is None:
                raise ManifestError("not a key: value pair in a flow mapping: %s" % part)
            out[pair[0]] = _scalar(pair[1])
        return out
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(p) for p in _split_flow(text[1:-1])]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return json.loads(text)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if re.match(r"^[-+]?[0-9]+$", text):
        return int(text)
    if re.match(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", text):
        return float(text)
    return text


def parse_yaml_subset(text):
    """Parses block mappings, block sequences of scalars or mappings, flow collections and scalars.

    Enough for job manifests; anchors, multi-line strings and multiple documents are refused.
    """
    lines = []
    for raw in text.splitlines():
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ManifestError("tabs are not allowed for indentation")
        body = _strip_comment(raw)
        if body.strip() in ("", "---"):
            continue
        if body.strip().startswith(("&", "*", "|", ">", "%")) or body.rstrip().endswith(("|", ">")):
            raise ManifestError("YAML feature not supported by the fallback parser: %s" % body.strip())
        lines.append((len(body) - len(body.lstrip(" ")), body.strip()))

    def block(i, indent):
        if i >= len(lines):
            return None, i
        if lines[i][1].startswith("- ") or lines[i][1] == "-":
            return seq(i, lines[i][0])
        return mapping(i, lines[i][0])

    def mapping(i, indent):
        out = {}
        while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
            pair = _split_key(lines[i][1])
            if pair is None:
                raise ManifestError("expected key: value, got: %s" % lines[i][1])
            key, rest = pair
            if key in out:
                raise ManifestError("duplicate key: %s" % key)
            i += 1
            if rest:
                out[key] = _scalar(rest)
            elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
                out[key], i = block(i, lines[i][0])
            else:
                out[key] = None
        if i < len(lines) and lines[i][0] > indent:
            raise ManifestError("unexpected indentation at: %s" % lines[i][1])
        return out, i

    def seq(i, indent):
        out = []
        while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
            item = lines[i][1][1:].strip()
            if item == "":
                i += 1
                value, i = block(i, lines[i][0]) if i < len(lines) and lines[i][0] > indent else (None, i)
                out.append(value)
            elif _split_key(item) is not None and not item.startswith(("{", "[", '"', "'")):
                # "- key: value" starts a mapping whose further keys are indented to the key's column
                child = indent + 2
                lines[i] = (child, item)
                value, i = mapping(i, child)
                out.append(value)
            else:
                out.append(_scalar(item))
                i += 1
        return out, i

    value, end = block(0, 0)
    if end != len(lines):
        raise ManifestError("could not parse the manifest near: %s" % lines[end][1])
    return value


def parse_yaml(text):
    try:
        import yaml  # PyYAML, when the Glue image provides it
    except ImportError:
        return parse_yaml_subset(text)
    return yaml.safe_load(text)
