module t.core
app t "T":
  security_profile: standard

persona clerk "Clerk":
  description: "c"

entity Claim "Claim":
  id: uuid pk
  amount: int
  owner_email: email
  permit:
    read: role(clerk)
  scope:
    read: all
      as: clerk

# Negative: bare lines of a nav `group` are names, with their clauses too.
nav main:
  group "Ops":
    case
    return
    continue icon=loop
    break when: role(clerk)

# Positive: an approval threshold is a condition.
approval big_claims "Big claims":
  entity: Claim
  threshold: amount > limit_for(owner_email)

# Positive: the `when` clause of an integration mapping trigger is an expression.
integration crm "CRM":
  mapping push on Claim:
    trigger: on_create when lookup(amount) != 0
    request: POST "/claims"
