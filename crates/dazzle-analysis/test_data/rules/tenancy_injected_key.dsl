module t.core
app t "T":
  security_profile: standard
  multi_tenant: true

persona clerk "Clerk":
  description: "c"

# Negative: in shared_schema mode the linker gives every tenanted entity the partition key
# (`tenant_id ref Workspace required`), so no entity has to declare it.
tenancy:
  mode: shared_schema

entity Workspace "Workspace":
  archetype: tenant
  id: uuid pk
  name: str(50)

entity Task "Task":
  id: uuid pk
  title: str(50)
