#+ summary: Derive the shortcut tkg:relatedTo (subject actor -> object actor) from actor relations.
INSERT { GRAPH <https://w3id.org/tkg/graph/derived> { ?subject tkg:relatedTo ?object } }
WHERE {
  GRAPH ?g { ?relation tkg:subjectActor ?subject ; tkg:objectActor ?object }
}
