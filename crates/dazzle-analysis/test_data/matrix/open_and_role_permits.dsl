module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# `authenticated` and `anonymous` match every persona; no scopes: PERMIT.
entity Note "Note":
  id: uuid pk
  permit:
    read: authenticated
    create: anonymous
    list: role(admin) or role(member)
    update: role(admin)
