#+ summary: Derive the shortcut tkg:involvedIn (actor -> claim) from qualified involvements.
INSERT { GRAPH <https://w3id.org/tkg/graph/derived> { ?actor tkg:involvedIn ?claim } }
WHERE {
  GRAPH ?g { ?claim tkg:qualifiedInvolvement ?involvement . ?involvement tkg:actor ?actor }
}
