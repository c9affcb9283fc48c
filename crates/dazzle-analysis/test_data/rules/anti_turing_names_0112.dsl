#- dialect: 0.112
module p.core
# Negative: a hyphen-joined value, a field named like an expression key with a pii modifier,
# a control word as an arithmetic operand, an attribute value followed by another pair,
# column specs written name(…), a hyphenated icon and a path of an operation.
app p "P":
  security_profile: standard
  theme: loop-dark

entity Order "Order":
  id: uuid pk
  return: int
  condition: text pii(category=health)
  t1: computed return * 2
  audit: all

# Positive: statements in a dash list and a conditional in a value, each once.
process flow "Flow":
  steps:
    - if ready: go
    - while open
  goals: if late then escalate

surface s "S":
  uses entity Order
  mode: list
  section main:
    field return "R" widget=switch help: "x"
    # Positive: a conditional after an inline `visible:`.
    field condition "C" visible: if ready

workspace w "W":
  nav_group "Main" icon=case-file:
    Order
  orders:
    source: Order
    columns: return(width: 20%), condition(truncate)
