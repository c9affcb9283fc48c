module t.core
app t "T":
  security_profile: standard

persona admin "Admin":
  description: "a"
persona member "Member":
  description: "m"

# None of these is a violation (the reference's scanner flags most of them).
entity Ticket "Ticket":
  intent: "If a ticket is open for each day, then escalate; while waiting, return it? No: case closed"
  id: uuid pk
  email: email pii(category=contact)
  state: enum[open, case, return, switch] = open
  slug: str(40) unique?
  opened_at: datetime
  age_days: computed days_since(opened_at)
  summary: text = "IF in doubt, return it"
  description: text
  # if this were code, for each line we would loop — but it is a comment
  transitions:
    open -> case: role(admin)
    case -> return
  on_transition:
    case -> return:
      invoke close_ticket(ticket: self)
  permit:
    read: role(admin) or has_grant("watcher", state)
    update: role(admin)
  scope:
    read: via Watch(ticket = id, user = current_user)
      as: member
    read: all
      as: admin
    update: state = case
      as: admin
  audit: all

surface ticket_edit "Edit":
  uses entity Ticket
  mode: edit
  section main:
    field state "State" widget=switch
    field summary "Summary"

workspace desk "Desk":
  queue:
    source: Ticket
    filter: state = open and opened_at >= today - 7d
    display: list

# Multi-line strings are one token: the keywords inside are never code.
entity Memo "Memo":
  intent: "If the memo is long,
    for each paragraph we loop; while reading, return nothing"
  id: uuid pk
  slug: str(20) unique? was: old_slug
  audit: all
  permit:
    read: role(admin)
  scope:
    read: all
      as: admin

# 0.112 atomic flow steps and transition effects are declarative, not calls.
atomic enrol "Enrol":
  permit:
    execute: role(admin)
  update Enrolment(input.enrolment):
    group: input.group
