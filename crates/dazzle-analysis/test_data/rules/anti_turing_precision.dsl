module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

entity Order "Order":
  id: uuid pk
  status: enum[open, case, return] = open
  qty: int
  # Negative: a typed field named like a control word is a name.
  if: str(10)
  else: int
  # Positive: a conditional after a comparison operator is control flow.
  size: computed if qty > 1
  permit:
    list: role(clerk)
  scope:
    # Negative: enum values as comparison operands.
    list: status = return or status != case
      as: clerk

workspace desk "Desk":
  # Negative: bare lines of a nav_group are names.
  nav_group "Main":
    case
    return
  orders:
    source: Order
    # Negative: enum values compared in `filter:` and `when:`.
    filter: status = open
    when: status == case

surface orders "Orders":
  uses entity Order
  mode: list
  section main:
    # Positive: calls after an inline `visible:` / `when:` key, up to the next `key:` pair.
    field status "Status" visible: compute_flag(qty)
    field qty "Qty" when: lookup(status) = 1
    # Negative: allowed calls inline, and a call before the key.
    field if "If" visible: role(clerk)
    # Positive: a conditional inline after `visible:`.
    field qty "Again" visible: x = if qty

# Positive: approval and grant conditions are expressions.
grant_schema delegation "Delegation":
  scope: department_of(current_user)
  relation acting_manager "Acting manager":
    granted_by: manager_of(current_user)
    approved_by: sign_off(current_user)
