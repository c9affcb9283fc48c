module t.core
app t "T":
  multi_tenant: true

persona admin "Admin":
  description: "a"
persona clerk "Clerk":
  description: "c"

entity Store "Store":
  archetype: tenant
  id: uuid pk
  name: str(50)
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

entity Sale "Sale":
  id: uuid pk
  store: ref Store required
  permit:
    list: role(clerk) or role(admin)
    read: role(clerk) or role(admin)
  scope:
    list: all
      as: clerk
    list: all
      as: admin
    read: store = current_user.store
      as: clerk
    read: all
      as: admin
