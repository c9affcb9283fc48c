module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Positive: a mode the runtime does not implement (no fencing), and no `partition_key:`, so the
# default `tenant_id` is the key — which no entity declares.
tenancy:
  mode: Schema_Per_Tenant

entity Order "Order":
  id: uuid pk
  status: str(20)
  permit:
    list: role(clerk)
    create: role(clerk)
    update: role(clerk)
  scope:
    list: status = "open"
      as: clerk
    create: all
      as: clerk
    update: all
      as: clerk
