module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# Grant checks and legacy `access:` rules filter rows without scopes: PERMIT_FILTERED.
entity Report "Report":
  id: uuid pk
  dept: str(20)
  permit:
    read: has_grant("observer", dept)

entity Legacy "Legacy":
  id: uuid pk
  owner: ref User
  access:
    read: owner = current_user or role(admin)
    write: role(admin)

entity User "User":
  id: uuid pk
  permit:
    read: authenticated
    list: authenticated
