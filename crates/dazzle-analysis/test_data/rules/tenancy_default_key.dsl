module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Positive: `database_per_tenant` is not implemented, so nothing fences tenants: scope rules that
# ignore the default partition key `tenant_id` leak across tenants (see, create, change).
# Negative: the key is declared (no tenant-partition-key-missing).
tenancy:
  mode: database_per_tenant

entity Order "Order":
  id: uuid pk
  tenant_id: uuid required
  status: str(20)
  permit:
    list: role(clerk)
    create: role(clerk)
    delete: role(clerk)
  scope:
    list: status = "open"
      as: clerk
    create: all
      as: clerk
    delete: all
      as: clerk

# Negative: constrained on the default key.
entity Invoice "Invoice":
  id: uuid pk
  tenant_id: uuid required
  permit:
    list: role(clerk)
  scope:
    list: tenant_id = current_user.tenant_id
      as: clerk
