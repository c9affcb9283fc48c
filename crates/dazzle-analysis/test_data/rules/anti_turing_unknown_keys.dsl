module t.core
app t "T":
  security_profile: standard

# Positive: control flow under keys a persona does not know, in values and in blocks.
persona admin "Admin":
  description: "a"
  goals: if overdue then escalate else wait
  routine:
    for each ticket in queue
      while open
  helper: def triage(ticket)
  shortcut: lambda ticket

# Positive: keys a process block does not know.
process triage "Triage":
  trigger:
    when: entity Ticket created
  steps:
    - step assign:
        service: assigner
        fallback: return unassigned
        retry_policy: repeat until done
  escalation: switch priority
  cleanup:
    break
    continue
  guards:
    - while open
    - return

# Positive: statements in an entity body, where the parser reads field names.
entity Queue "Queue":
  id: uuid pk
  if full
  else:
    return
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin
  audit: all

# Negative: the same words used as names (keys, lone values, enum values, names, comparisons).
entity Ticket "Ticket":
  id: uuid pk
  state: enum[open, case, return, switch] = open
  loop: bool = false
  permit:
    read: role(admin)
  scope:
    read: state = case
      as: admin
  audit: all

surface ticket_view "Ticket":
  uses entity Ticket
  mode: view
  section case "Case":
    field return "Return"
    field state "State" widget=switch

process close "Close":
  trigger:
    when: entity Ticket created
  steps:
    - step match:
        service: matcher
        on_failure: continue
        on_success: break

story ST-001 "Agent closes a ticket":
  persona: admin
  given:
    - the ticket is open for each customer
  then:
    - if nobody replies, then it closes
