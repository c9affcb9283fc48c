module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# Archetype entities without access rules get admin-only create/update/delete.
entity Account "Account":
  archetype: user
  id: uuid pk
  email: email

entity Settings "Settings":
  archetype: settings
  id: uuid pk
