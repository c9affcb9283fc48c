module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

entity Account "Account":
  id: uuid pk
  status: enum[open, closed] = open
  team: str(20)
  permit:
    list: role(admin)
    read: role(admin) and role(member)
    update: not (role(member))
    delete: false
    create: has_grant("owner", team)
  forbid:
    list: status = closed
  scope:
    list: all
      as: admin
    read: all
      as: admin, member
    update: all
      as: admin, member
    create: all
      as: admin, member

entity Notice "Notice":
  id: uuid pk
  access:
    read: authenticated
    write: role(admin)
  scope:
    read: all
      as: admin, member
    create: all
      as: admin
    update: all
      as: admin
