#+ summary: Keep each triple in one named graph only (the first by IRI), so that the union default
#+   graph is a set, as an RDF merge is. Files restate shared declarations (an actor's class and
#+   label, a document block); without this, engines that query the union as a bag (Oxigraph)
#+   would return those rows twice while rdflib returns them once.
DELETE { GRAPH ?later { ?s ?p ?o } }
WHERE {
  GRAPH ?first { ?s ?p ?o }
  GRAPH ?later { ?s ?p ?o }
  FILTER (STR(?first) < STR(?later))
}
