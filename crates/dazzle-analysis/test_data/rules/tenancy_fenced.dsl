module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Negative: a `tenancy:` block without `mode:` is shared_schema, whose runtime fences tenants on
# the default key `tenant_id`, which the entity declares: no tenancy finding at all.
tenancy:
  admin_personas: []

entity Order "Order":
  id: uuid pk
  tenant_id: uuid required
  permit:
    list: role(clerk)
  scope:
    list: all
      as: clerk
