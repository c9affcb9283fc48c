module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Positive: a membership keeps its own ref to the tenant (the archetype adds one), the tenant
# itself and users get no key: nothing receives `tenant_id`.
tenancy:
  mode: shared_schema

entity Org "Org":
  archetype: tenant
  id: uuid pk

entity Seat "Seat":
  archetype: user_membership
  id: uuid pk

entity Person "Person":
  archetype: user
  id: uuid pk
  email: email
