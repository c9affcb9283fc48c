module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# A persona's `role:` line is ignored; a persona named only in `as:` is an orphan.
persona ops "Ops":
  role: admin
entity Job "Job":
  id: uuid pk
  permit:
    list: role(admin)
  scope:
    list: all
      as: admin, viewer
