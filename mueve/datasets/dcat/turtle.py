"""Turtle for large graphs in linear time.

rdflib's Turtle serializer looks up every IRI's namespace in a trie of all the namespaces it has met, which grows
with each dataset's IRI and access URL: 1,000 datasets took minutes (docs/dcat-ap.md). This writer groups the
triples by subject, abbreviates only the bound namespaces' plain local names, and writes every other term in full
with rdflib's own N-Triples escaping, so the output is the same graph, one subject block after another.
"""

import re

from rdflib import BNode, Graph, URIRef

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def serialize(graph: Graph) -> str:
    prefixes = sorted(((str(ns), prefix) for prefix, ns in graph.namespaces() if prefix), key=lambda p: -len(p[0]))

    def term(node) -> str:
        if isinstance(node, URIRef):
            text = str(node)
            for namespace, prefix in prefixes:
                if text.startswith(namespace) and _LOCAL.fullmatch(text[len(namespace) :]):
                    return f"{prefix}:{text[len(namespace) :]}"
        if isinstance(node, BNode):
            return "_:b" + re.sub(r"[^A-Za-z0-9_]", "_", str(node))
        return node.n3()

    lines = [f"@prefix {prefix}: <{namespace}> ." for namespace, prefix in sorted(prefixes, key=lambda p: p[1])]
    subjects = sorted(set(graph.subjects()), key=lambda s: (isinstance(s, BNode), str(s)))
    for subject in subjects:
        pairs = sorted(graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1])))
        body = " ;\n    ".join(f"{term(p)} {term(o)}" for p, o in pairs)
        lines.append(f"\n{term(subject)}\n    {body} .")
    return "\n".join(lines) + "\n"
