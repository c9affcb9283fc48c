module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# An entity with no access rules: every cell PERMIT_UNPROTECTED.
entity Note "Note":
  id: uuid pk
  body: text
