module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

entity Store "Store":
  archetype: tenant
  id: uuid pk

# Positive: an `or` whose other side ignores the tenant, a `!=`, and a negated condition all
# admit rows of other tenants.
entity Sale "Sale":
  id: uuid pk
  store: ref Store required
  status: str(20)
  permit:
    list: role(clerk)
    read: role(clerk)
    update: role(clerk)
  scope:
    list: status = "open" or store = current_user.store
      as: clerk
    read: store != current_user.store
      as: clerk
    update: not (store = current_user.store)
      as: clerk

# Negative: the tenant on both sides of an `or`, on one side of an `and`, and a junction.
entity Refund "Refund":
  id: uuid pk
  store: ref Store required
  status: str(20)
  permit:
    list: role(clerk)
    read: role(clerk)
    update: role(clerk)
  scope:
    list: store = current_user.store and status = "open" or store = current_user.store
      as: clerk
    read: status = "open" and store = current_user.store
      as: clerk
    update: via StoreMember(store = store, user = current_user)
      as: clerk

entity StoreMember "Store member":
  id: uuid pk
  store: ref Store required
  user: ref User required

entity User "User":
  id: uuid pk
