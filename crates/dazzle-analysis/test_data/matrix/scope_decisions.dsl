module t.core
app t "T"

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"
persona viewer "Viewer":
  description: "v"

# With scopes: the first matching scope decides; read falls back to list; an uncovered
# (role, op) is PERMIT_NO_SCOPE; dead scope rules are reported.
entity Doc "Doc":
  id: uuid pk
  owner: ref User
  permit:
    list: role(admin) or role(member) or role(viewer)
    read: role(admin) or role(member) or role(viewer)
    update: role(admin)
    delete: role(admin)
    create: role(member)
  scope:
    list: owner = current_user
      as: member
    list: all
      as: admin
    update: all
      as: super_admin
    delete: via Share(doc = id, user = current_user)
      as: admin
    create: all
      as: typo_persona
    read: all
      as: viewer

entity User "User":
  id: uuid pk
  permit:
    read: authenticated
  scope:
    read: id = current_user
      as: *
