#+ summary: Derive tkg:transit (flow -> place) from every member of a flow's route list.
INSERT { GRAPH <https://w3id.org/tkg/graph/derived> { ?flow tkg:transit ?place } }
WHERE {
  GRAPH ?g { ?flow tkg:route ?list . ?list rdf:rest*/rdf:first ?place }
}
