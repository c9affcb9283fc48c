module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# `false` denies everyone; a field forbid denies every role; a forbid with no permit is
# redundant for every persona.
entity Ticket "Ticket":
  id: uuid pk
  status: enum[open, closed] = open
  permit:
    read: role(admin) or role(member)
    delete: role(admin)
    update: false
  forbid:
    delete: status = closed
    create: role(member)
