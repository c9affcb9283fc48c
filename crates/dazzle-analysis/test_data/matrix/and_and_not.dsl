module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# `role(a) and role(b)` grants each of a and b; `not (role(x))` is open to everyone.
entity Note "Note":
  id: uuid pk
  permit:
    update: role(admin) and role(member)
    read: not (role(admin))
