#+ summary: Derive one tkg:Leg per pair of consecutive places of each flow, and the place-to-place
#+   shortcut tkg:flowsTo. Stops: origins, then the route list in order, then destinations.
INSERT {
  GRAPH <https://w3id.org/tkg/graph/derived> {
    ?leg a tkg:Leg ; tkg:legOf ?flow ; tkg:fromPlace ?from ; tkg:toPlace ?to ; tkg:legIndex ?index .
    ?from tkg:flowsTo ?to .
  }
}
WHERE {
  {
    # No route: each origin straight to each destination.
    # (MINUS, not FILTER NOT EXISTS: Oxigraph evaluates the latter once per row.)
    GRAPH ?g {
      ?flow tkg:origin ?from ; tkg:destination ?to .
      MINUS { ?flow tkg:route/rdf:first ?any }
    }
    BIND (1 AS ?index)
  } UNION {
    # Each origin to the first place of the route.
    GRAPH ?g { ?flow tkg:origin ?from ; tkg:route/rdf:first ?to }
    BIND (1 AS ?index)
  } UNION {
    # Each place of the route to the next one.
    {
      SELECT ?flow ?from (COUNT(?mid) AS ?position) WHERE {
        GRAPH ?g { ?flow tkg:route ?list . ?list rdf:rest* ?mid . ?mid rdf:rest* ?node .
                   ?node rdf:first ?from }
      } GROUP BY ?flow ?node ?from
    }
    {
      SELECT ?flow ?to (COUNT(?mid2) AS ?position2) WHERE {
        GRAPH ?g2 { ?flow tkg:route ?list2 . ?list2 rdf:rest* ?mid2 . ?mid2 rdf:rest* ?node2 .
                    ?node2 rdf:first ?to }
      } GROUP BY ?flow ?node2 ?to
    }
    FILTER (?position2 = ?position + 1)
    BIND (?position + 1 AS ?index)
  } UNION {
    # The last place of the route to each destination.
    {
      SELECT ?flow ?from (COUNT(?mid) AS ?position) WHERE {
        # The end test is a FILTER, not the pattern `rdf:rest rdf:nil`: with the constant,
        # Oxigraph starts from the list ends and walks the paths backwards (minutes at 1M).
        GRAPH ?g { ?flow tkg:route ?list . ?list rdf:rest* ?mid . ?mid rdf:rest* ?node .
                   ?node rdf:first ?from ; rdf:rest ?next . FILTER (?next = rdf:nil) }
      } GROUP BY ?flow ?node ?from
    }
    GRAPH ?g3 { ?flow tkg:destination ?to }
    BIND (?position + 1 AS ?index)
  }
  BIND (IRI(CONCAT(STR(?flow), "-leg-", STR(?index), "-",
                   SUBSTR(MD5(CONCAT(STR(?from), " ", STR(?to))), 1, 8))) AS ?leg)
}
