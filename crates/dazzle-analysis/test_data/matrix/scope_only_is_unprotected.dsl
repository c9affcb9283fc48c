module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# Scope rules alone do not count as permission rules.
entity Note "Note":
  id: uuid pk
  scope:
    list: all
      as: *
